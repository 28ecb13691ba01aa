/**
 * Source builder for a direct function (direct.ts): the region emitter's
 * register cache and templates, with every register in a JS local. X
 * registers are the function's parameters and locals for its whole run (they
 * never go through `vm.x` until the function deoptimises), Y registers are
 * locals `y0..` of the frame the function allocated, a jump is a `break` out
 * of the labelled block that ends where its target starts, and every way of
 * leaving that is not a return (a slow path, an error instruction, the end
 * of the reductions) is a deoptimisation: the live X registers go to `vm.x`,
 * the resume pc and this frame go to the deoptimisation queue, and the
 * function returns `DEOPT` to its caller, which queues its own frame in turn
 * (see direct.ts).
 *
 * Anything the region templates would do through the process state (`stk`,
 * `ret`, closure calls) has no meaning here; such an instruction makes the
 * function ineligible ({@link DirectEmitter.unsupported}).
 */
import type { Operand } from "../../../loader/module.ts";
import type { ExportEntry } from "../../code/exports.ts";
import { Emitter, type JitInstr } from "./emitter.ts";

/** The function a direct function is compiled from: its whole code as one region. */
export interface DirectSource {
  readonly site: string;
  /** Absolute pc of the function's first instruction (its `func_info`). */
  readonly base: number;
  /** Instructions by relative pc. */
  readonly instrs: readonly JitInstr[];
  /** Relative pcs where a block starts, ascending. */
  readonly leaders: readonly number[];
  /** Relative pc of the function's entry. */
  readonly entryRel: number;
  readonly arity: number;
}

/** A frame of unknown size: the block is reached by no transfer the emitter saw (dead code). */
const UNKNOWN_FRAME = -2;

export class DirectEmitter extends Emitter {
  /** Why the function cannot run direct (the first reason found), or null. */
  unsupported: string | null = null;
  /** Y slots of the frame allocated at this point of the code; -1 when there is none. */
  frame = -1;
  /** Most Y slots any frame of the function has (declared as locals). */
  yCount = 0;
  /** Some self tail call loops back to the entry (`continue top`). */
  loops = false;
  /** Relative pcs where a self call returns (each gets a resume function, direct.ts). */
  readonly returns: number[] = [];
  /**
   * The code of each way out by deoptimisation, numbered from 1: the part
   * sets `way` and breaks out to one call of its exit function, which runs it
   * (see {@link coldExit}).
   */
  readonly colds: string[] = [];
  /** Frame size every transfer to a block brings (they must agree). */
  private readonly frameAt = new Map<number, number>();

  /** Y slots of the frame at {@link start} (-1: none). */
  readonly frameAtStart: number;

  constructor(
    pcOf: Int32Array,
    importEntries: readonly ExportEntry[],
    /** The function. */
    readonly fn: DirectSource,
    /**
     * Where this code starts: the entry (the function itself, whose
     * parameters are X0..X(arity-1)), or a return point of a self call (a
     * resume function, whose parameters are X0 and the frame's Y registers).
     */
    readonly start: number,
    startFrame: number,
    /** Captured constants, shared by the function and its resume functions (one factory). */
    private readonly shared: unknown[],
  ) {
    super(pcOf, fn.base, importEntries, [], new Map(), fn.instrs);
    this.frameAtStart = startFrame;
    this.yCount = Math.max(0, startFrame);
    const live = start === fn.entryRel ? fn.arity : 1;
    for (let n = 0; n < live; n++) this.xUsed.add(n);
  }

  get entryRel(): number {
    return this.fn.entryRel;
  }

  get arity(): number {
    return this.fn.arity;
  }

  /** Whether this is the function itself (not a resume function). */
  get isEntry(): boolean {
    return this.start === this.entryRel;
  }

  /** The frame size transfers brought to block `rel` (after emitting). */
  frameOf(rel: number): number {
    return this.frameAt.get(rel) ?? UNKNOWN_FRAME;
  }

  override konst(v: unknown): string {
    let i = this.shared.indexOf(v);
    if (i < 0) {
      i = this.shared.length;
      this.shared.push(v);
    }
    return `k${i}`;
  }

  /** Records the first reason the function cannot run direct. */
  fail(why: string): void {
    this.unsupported ??= why;
  }

  protected override x(n: number): string {
    this.xUsed.add(n);
    return `x${n}`;
  }

  private y(n: number): string {
    if (this.frame !== UNKNOWN_FRAME && n >= this.frame) this.fail(`y${n} outside the frame`);
    this.yCount = Math.max(this.yCount, n + 1);
    return `y${n}`;
  }

  override src(o: Operand): string | null {
    return o.kind === "y" ? this.y(o.n) : super.src(o);
  }

  /** A Y register is a local already: no temporary needed. */
  override srcTmp(o: Operand): string | null {
    return o.kind === "y" ? this.y(o.n) : super.srcTmp(o);
  }

  override dst(o: Operand, expr: string): void {
    if (o.kind === "y") this.emit(`${this.y(o.n)} = ${expr};`);
    else if (o.kind === "x") this.emit(`${this.x(o.n)} = ${expr};`);
    else throw new Error(`jit: not a register: ${o.kind}`);
  }

  /** Starts block `rel` with the frame the transfers to it bring. */
  override resetBlock(rel: number): void {
    this.block = rel;
    this.blockStart = this.out.length;
    this.frame = rel === this.start ? this.frameAtStart : (this.frameAt.get(rel) ?? UNKNOWN_FRAME);
  }

  /** Writes of X registers to `vm.x`, for a deoptimisation (the locals are the registers). */
  override flushCode(live = Number.POSITIVE_INFINITY, from = 0): string {
    let s = "";
    for (const n of [...this.xUsed].sort((a, b) => a - b))
      if (n >= from && n < live) s += `x[${n}] = x${n}; `;
    return s;
  }

  /** Nothing to write back: only a deoptimisation writes registers, and its code does. */
  override flush(): void {}

  /** A transfer to a later block keeps every register where it is; records the frame it brings. */
  override toBlock(rel: number): string {
    if (this.frame === UNKNOWN_FRAME) return "";
    const seen = this.frameAt.get(rel);
    if (seen === undefined) this.frameAt.set(rel, this.frame);
    else if (seen !== this.frame)
      this.fail(`frames of ${seen} and ${this.frame} slots meet at ${rel}`);
    return "";
  }

  override exitTo(rel: number): string {
    // Before the entry there is only the function's `func_info` (a guard
    // failing raises function_clause): that instruction's closure raises it.
    if (rel < this.entryRel) return this.deoptAt(rel, this.flushCode());
    if (rel <= this.block) {
      this.fail(`jumps back to ${rel}`);
      return "";
    }
    this.toBlock(rel);
    return `break L${rel};`;
  }

  override leaveCode(ins: JitInstr, flush = this.flushCode()): string {
    return this.deoptAt(ins.rel, flush);
  }

  override leave(ins: JitInstr): void {
    this.emit(this.leaveCode(ins));
  }

  override callOut(ins: JitInstr): void {
    this.fail(`${ins.name} has no inline code`);
  }

  /** The current frame as an array expression of its Y locals, or `null`. */
  frameExpr(): string {
    if (this.frame <= 0) return this.frame === 0 ? "[]" : "null";
    return `[${Array.from({ length: this.frame }, (_, i) => this.y(i)).join(", ")}]`;
  }

  /** Leaves by deoptimising: the interpreter resumes at relative pc `rel` with this frame on the stack. */
  deoptAt(rel: number, flush: string): string {
    return this.coldExit(`${flush}resume = base + ${rel}; dq.push(-1, ${this.frameExpr()});`);
  }

  /**
   * A way out that runs only when the function deoptimises: `code` (which
   * reads only registers and the factory's names) moves to the part's exit
   * function, and the part sets `way` and breaks out to the one call of it
   * at its end (direct.ts `assemble`). JSC optimises a function only once
   * most of its value profiles (call results, scope and property reads) have
   * seen a value, and scales the wait by the function's size: inline, these
   * never-run paths were most of fib's code and profiles, so its optimised
   * code waited the most rounds JSC allows (docs/jit.md, ninth round).
   */
  coldExit(code: string): string {
    this.colds.push(`${code} return DEOPT;`);
    return `way = ${this.colds.length}; break cold;`;
  }
}
