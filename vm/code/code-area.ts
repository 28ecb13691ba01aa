/**
 * All loaded code of one VM in one array of instruction handlers, so a code
 * address is a plain integer (the "pc") and calls and returns never look up a
 * module. Per-pc metadata serves stack traces and `process_info`.
 */

import type { Atom } from "../../terms/atom.ts";
import type { Process } from "../process/process.ts";

/**
 * An instruction, pre-decoded into a closure over its operands. Runs with the
 * current process and its own address; returns the next address, or one of the
 * negative {@link Control} codes.
 */
export type Handler = (p: Process, pc: number) => number;

/** Negative handler results: why the interpreter loop stops running a process. */
export const Control = {
  /** Out of reductions: `p.pc` and `p.savedX` hold the resume state. */
  Yield: -1,
  /** Blocked in a receive: `p.pc` is the `loop_rec` to retry. */
  Wait: -2,
  /** The process finished (returned from its initial call or exited). */
  Exit: -3,
  /** A native parked the process for the host (`VM.resume` restarts it). */
  Suspend: -4,
  /**
   * A native raised `p.raised` without throwing (see `Raise` in native.ts):
   * the interpreter loop routes it as a thrown exception from the pc that
   * made the call, or the one a generated block marked on it (FAULT_PC).
   */
  Raise: -5,
} as const;

/**
 * Fixed addresses the VM emits at start-up: pc 1 runs `apply(X0, X1, X2)`
 * (process start, native traps), pc 2 calls fun X0 with argument list X1.
 */
export const APPLY_MFA_PC = 1;
export const APPLY_FUN_PC = 2;

/** One function's code range. */
export interface FunctionRange {
  readonly module: Atom;
  readonly name: Atom;
  readonly arity: number;
  readonly start: number;
  end: number;
  readonly file: string;
}

export class CodeArea {
  readonly handlers: Handler[] = [];
  /**
   * Source line of each pc (0 when unknown), in a typed array grown by
   * doubling: a plain array pushed one pc at a time cost a loaded
   * compiler ~20 ms of its cold run.
   */
  private lineOfPc = new Int32Array(1024);
  private readonly ranges: FunctionRange[] = [];

  /** Appends a handler; returns its pc. */
  emit(h: Handler, line: number): number {
    const pc = this.handlers.length;
    this.handlers.push(h);
    this.reserveLines(pc + 1);
    this.lineOfPc[pc] = line;
    return pc;
  }

  /**
   * Appends `count` pcs (line 0) holding `handler`; returns the first. For a
   * module's load, which then sets each pc's handler and line in bulk.
   */
  extend(count: number, handler: Handler): number {
    const { handlers } = this;
    const first = handlers.length;
    // Pushed, never `length =`: growing an array's length leaves holes,
    // which turns it into a slower storage kind for every later read, and
    // the interpreter loop reads `handlers` on every instruction.
    for (let i = 0; i < count; i++) handlers.push(handler);
    this.reserveLines(first + count);
    return first;
  }

  /** The source line of `pc` (0 when unknown). */
  line(pc: number): number {
    return pc >= 0 && pc < this.handlers.length ? this.lineOfPc[pc]! : 0;
  }

  /** Sets the source line of `pc`, an address already emitted or extended. */
  setLine(pc: number, line: number): void {
    this.lineOfPc[pc] = line;
  }

  private reserveLines(n: number): void {
    if (n <= this.lineOfPc.length) return;
    let cap = this.lineOfPc.length * 2;
    while (cap < n) cap *= 2;
    const bigger = new Int32Array(cap);
    bigger.set(this.lineOfPc);
    this.lineOfPc = bigger;
  }

  get size(): number {
    return this.handlers.length;
  }

  addFunction(range: FunctionRange): void {
    this.ranges.push(range);
  }

  /** The function whose code contains `pc`, if any. Ranges are appended in pc order. */
  functionAt(pc: number): FunctionRange | undefined {
    const r = this.ranges;
    let lo = 0;
    let hi = r.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const f = r[mid]!;
      if (pc < f.start) hi = mid - 1;
      else if (pc >= f.end) lo = mid + 1;
      else return f;
    }
    return undefined;
  }
}
