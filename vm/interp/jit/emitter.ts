/**
 * Source builder for one JIT region (see compile.ts), with a small register
 * cache: within a block, X registers live in JS locals (`x3`) and the Y
 * frame base and stack array in `yb`/`stk`. The cache is only valid inside
 * one block (a block can be entered from the region's switch with nothing
 * loaded), so it is flushed at every exit and reset at every block start.
 *
 * Rules the templates rely on:
 * - Reading an operand may emit a load statement, so operands are read into
 *   temporaries before any `if` whose branches must agree on the cache.
 * - Anything that leaves the block, or calls code that reads `vm.x`, first
 *   writes dirty locals back (`flushCode`).
 * - After calling out, locals are stale (the callee may write `vm.x`,
 *   `p.stack` or `p.yBase`): `afterCallOut` forgets or reloads them.
 */
import type { Operand } from "../../../loader/module.ts";
import type { Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import { NIL, type Term } from "../../terms/term.ts";

/** One instruction as the templates see it. */
export interface JitInstr {
  readonly name: string;
  readonly args: readonly Operand[];
  /** Index in the region (its pc minus the region's base pc). */
  readonly rel: number;
}

export class Emitter {
  readonly out: string[] = [];
  /** Captured constants (`k[i]`), deduplicated by identity. */
  readonly consts: unknown[] = [];
  /** Fallback handlers used (`hs[rel]`). */
  readonly usedHandlers = new Set<number>();
  /** X registers ever cached (declared as locals). */
  readonly xUsed = new Set<number>();
  private readonly loaded = new Set<number>();
  private readonly dirty = new Set<number>();
  private frameLoaded = false;
  private tmp = 0;

  constructor(
    /** Absolute pc of each code index (the loader's `pcOf`). */
    private readonly pcOf: Int32Array,
    /** Absolute pc of the region's first instruction. */
    readonly base: number,
    readonly importEntries: readonly ExportEntry[],
    readonly handlers: readonly Handler[],
  ) {}

  emit(line: string): void {
    this.out.push(line);
  }

  fresh(prefix = "t"): string {
    return `${prefix}${this.tmp++}`;
  }

  /** A captured constant, as an expression. */
  konst(v: unknown): string {
    let i = this.consts.indexOf(v);
    if (i < 0) {
      i = this.consts.length;
      this.consts.push(v);
    }
    return `k${i}`;
  }

  /** The relative pc of a label operand, or null for `{f,0}`. */
  label(o: Operand): number | null {
    if (o.kind !== "f" || o.index < 0) return null;
    return this.pcOf[o.index]! - this.base;
  }

  /** `base + rel` as source. */
  pc(rel: number): string {
    return rel === 0 ? "base" : `base + ${rel}`;
  }

  // ---- register cache ---------------------------------------------------------

  /** Starts a block: nothing is cached. */
  resetBlock(): void {
    this.loaded.clear();
    this.dirty.clear();
    this.frameLoaded = false;
  }

  private x(n: number): string {
    this.xUsed.add(n);
    if (!this.loaded.has(n)) {
      this.emit(`x${n} = x[${n}];`);
      this.loaded.add(n);
    }
    return `x${n}`;
  }

  /** Ensures `stk`/`yb` hold `p.stack`/`p.yBase`. */
  frame(): void {
    if (!this.frameLoaded) {
      this.emit("stk = p.stack; yb = p.yBase;");
      this.frameLoaded = true;
    }
  }

  /** Marks `stk`/`yb` as set by the caller's own code. */
  frameSet(): void {
    this.frameLoaded = true;
  }

  /**
   * An operand as a JS expression, or null if it is not a plain source
   * (then the template declines). Register reads may emit loads.
   */
  src(o: Operand): string | null {
    switch (o.kind) {
      case "x":
        return this.x(o.n);
      case "y":
        this.frame();
        return `stk[yb + ${o.n}]`;
      case "int":
        return typeof o.value === "number" ? numLit(o.value) : this.konst(o.value);
      case "atom":
      case "literal":
        return this.konst(o.value);
      case "nil":
        return this.konst(NIL);
      default:
        return null;
    }
  }

  /** A constant operand's value, if it is one. */
  constValue(o: Operand): { v: Term } | null {
    switch (o.kind) {
      case "int":
      case "atom":
      case "literal":
        return { v: o.value };
      case "nil":
        return { v: NIL };
      default:
        return null;
    }
  }

  /** Reads a source into a fresh temporary (so later `if`s see no loads). */
  srcTmp(o: Operand): string | null {
    const s = this.src(o);
    if (s === null) return null;
    if (/^(x\d+|k\d+|\(?-?\d+\)?)$/.test(s)) return s;
    const t = this.fresh();
    this.emit(`const ${t} = ${s};`);
    return t;
  }

  /** Whether `o` can be written by {@link dst}. */
  isReg(o: Operand): boolean {
    return o.kind === "x" || o.kind === "y";
  }

  /** Writes `expr` to a register operand. */
  dst(o: Operand, expr: string): void {
    if (o.kind === "x") {
      this.xUsed.add(o.n);
      this.emit(`x${o.n} = ${expr};`);
      this.loaded.add(o.n);
      this.dirty.add(o.n);
    } else if (o.kind === "y") {
      this.frame();
      this.emit(`stk[yb + ${o.n}] = ${expr};`);
    } else {
      throw new Error(`jit: not a register: ${o.kind}`);
    }
  }

  /** Statements writing dirty locals back to `vm.x` (state unchanged: for side exits). */
  flushCode(): string {
    let s = "";
    for (const n of this.dirty) s += `x[${n}] = x${n}; `;
    return s;
  }

  /**
   * Writes dirty locals back and marks them clean (for a full exit or
   * call-out). `live`: only X0..X(live-1) matter at this exit (a call's
   * arguments, a return's value); the rest are dead in BEAM's semantics.
   */
  flush(live = Number.POSITIVE_INFINITY): void {
    let s = "";
    for (const n of this.dirty) if (n < live) s += `x[${n}] = x${n}; `;
    if (s) this.emit(s);
    this.dirty.clear();
  }

  /** A side exit to an absolute-pc expression, keeping the cache for the fall-through path. */
  exitCode(pcExpr: string): string {
    return `${this.flushCode()}pc = ${pcExpr}; continue;`;
  }

  // ---- fallbacks --------------------------------------------------------------

  /**
   * Calls the instruction's own closure. `last`: the block ends here, so
   * whatever it returns is where execution goes.
   */
  callOut(ins: JitInstr, last: boolean): void {
    this.flush();
    this.usedHandlers.add(ins.rel);
    const at = `at = ${ins.rel}; `;
    if (last) {
      this.emit(`${at}pc = h${ins.rel}(p, ${this.pc(ins.rel)}); continue;`);
      return;
    }
    const r = this.fresh("r");
    this.emit(`${at}const ${r} = h${ins.rel}(p, ${this.pc(ins.rel)});`);
    this.emit(`if (${r} !== ${this.pc(ins.rel + 1)}) { pc = ${r}; continue; }`);
    this.loaded.clear();
    this.frameLoaded = false;
  }

  /**
   * A fast path with the closure as the slow path: `fast` emits code that
   * sets `ok` when it succeeded. The slow branch reloads whatever the fast
   * branch left cached, so both leave the cache in the same state.
   */
  withSlowPath(ins: JitInstr, fast: (ok: string) => void): void {
    const ok = this.fresh("ok");
    // Dirty as of before the fast path: the slow branch must not write back
    // locals only the (untaken) fast branch assigned.
    const preFlush = this.flushCode();
    this.emit(`let ${ok} = false;`);
    fast(ok);
    this.usedHandlers.add(ins.rel);
    const r = this.fresh("r");
    const reload = [...this.loaded].map((n) => `x${n} = x[${n}];`).join(" ");
    const frame = this.frameLoaded ? " stk = p.stack; yb = p.yBase;" : "";
    this.emit(`if (!${ok}) { ${preFlush}at = ${ins.rel};`);
    this.emit(`  const ${r} = h${ins.rel}(p, ${this.pc(ins.rel)});`);
    this.emit(`  if (${r} !== ${this.pc(ins.rel + 1)}) { pc = ${r}; continue; }`);
    this.emit(`  ${reload}${frame} }`);
  }
}

function numLit(v: number): string {
  return v < 0 ? `(${v})` : String(v);
}
