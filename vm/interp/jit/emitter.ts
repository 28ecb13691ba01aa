/**
 * Source builder for one JIT region (see compile.ts), with a small register
 * cache: X registers live in JS locals (`x3`). A block starts with only its
 * entry registers cached (X0..X(n-1), see `entry`), which every way into it
 * provides: static transfers keep them in locals, and the prologue and
 * transfers to blocks known only at run time load them. Everything else is
 * written back at exits and forgotten at block starts. The process state the region's own control transfers
 * use (`p.stack`, `p.ret`, `p.yBase`, `p.reds`) lives in the locals `stk`,
 * `ret`, `yb`, `reds` for the whole run of the region function: loaded on
 * entry, written back (`yb`, `reds`) before any closure call and before
 * returning to the interpreter loop, and reloaded after a closure call.
 *
 * Rules the templates rely on:
 * - Reading an operand may emit a load statement, so operands are read into
 *   temporaries before any `if` whose branches must agree on the cache.
 * - Anything that leaves the block, or calls code that reads `vm.x`, first
 *   writes dirty locals back (`flushCode`).
 * - After calling out, locals are stale (the callee may write `vm.x`,
 *   `p.yBase` or `p.reds`): X locals are forgotten or reloaded and so are
 *   `yb`/`reds` (`SYNC_IN`).
 */
import type { Operand } from "../../../loader/module.ts";
import { NIL, type Term } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import { appendOwners, clearsOwner } from "./append-owner.ts";

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
  protected readonly loaded = new Set<number>();
  protected readonly dirty = new Set<number>();
  private tmp = 0;

  /**
   * Entry registers per block: `entry.get(rel) = n` means X0..X(n-1) are in
   * locals whenever block `rel` starts (treated as loaded and dirty). The
   * function's prologue and every transfer to a block not known statically
   * load X0..X(entryMax-1); static transfers keep them in locals.
   */
  readonly entryMax: number;
  /** Per target block, the fewest leading X registers any static transfer had loaded. */
  readonly edges = new Map<number, number>();
  /** Blocks whose first code is a closure call (they gain nothing from entry registers). */
  readonly calloutFirst = new Set<number>();
  protected block = 0;
  protected blockStart = 0;
  /** Set when some transfer had fewer than its target's entry registers (the code is unusable). */
  short = false;
  /** Some native call leaves through the region's native-control exit (templates-native.ts). */
  nativeExit = false;
  /** X registers an in-place append may grow (append-owner.ts); the code then has a local `own`. */
  readonly owners: ReadonlySet<number>;

  constructor(
    /** Absolute pc of each code index (the loader's `pcOf`). */
    private readonly pcOf: Int32Array,
    /** Absolute pc of the region's first instruction. */
    readonly base: number,
    readonly importEntries: readonly ExportEntry[],
    readonly handlers: readonly Handler[],
    readonly entry: ReadonlyMap<number, number> = new Map(),
    /** The region's instructions by relative pc (for {@link exitTo}'s threading). */
    private readonly instrs: readonly JitInstr[] = [],
  ) {
    let max = 0;
    for (const n of entry.values()) max = Math.max(max, n);
    this.entryMax = max;
    for (let n = 0; n < max; n++) this.xUsed.add(n);
    this.owners = appendOwners(instrs);
  }

  /** Forgets the owned accumulator before `ins` when it may copy one (append-owner.ts). */
  ownerBarrier(ins: JitInstr): void {
    if (this.owners.size === 0 || !clearsOwner(ins, this.owners)) return;
    // Not code of the block's own: a block that starts with a closure call
    // still counts as one (`calloutFirst`).
    const atStart = this.out.length === this.blockStart;
    this.emit("own = null;");
    if (atStart) this.blockStart = this.out.length;
  }

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

  /** Starts block `rel`: only its entry registers are cached. */
  resetBlock(rel: number): void {
    this.block = rel;
    this.blockStart = this.out.length;
    this.loaded.clear();
    this.dirty.clear();
    for (let n = 0; n < this.entryOf(rel); n++) {
      this.loaded.add(n);
      this.dirty.add(n);
    }
  }

  /** Makes sure X`n` is in its local. */
  loadX(n: number): void {
    this.x(n);
  }

  protected x(n: number): string {
    this.xUsed.add(n);
    if (!this.loaded.has(n)) {
      this.emit(`x${n} = x[${n}];`);
      this.loaded.add(n);
    }
    return `x${n}`;
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
      this.emit(`stk[yb + ${o.n}] = ${expr};`);
    } else {
      throw new Error(`jit: not a register: ${o.kind}`);
    }
  }

  /** Statements writing dirty locals back to `vm.x` (state unchanged). */
  flushCode(live = Number.POSITIVE_INFINITY, from = 0): string {
    let s = "";
    for (const n of this.dirty) if (n >= from && n < live) s += `x[${n}] = x${n}; `;
    return s;
  }

  /**
   * Writes dirty locals back and marks them clean (for a full exit or
   * call-out). `live`: only X0..X(live-1) matter at this exit (a call's
   * arguments, a return's value); the rest are dead in BEAM's semantics.
   */
  flush(live = Number.POSITIVE_INFINITY): void {
    const s = this.flushCode(live);
    if (s) this.emit(s);
    this.dirty.clear();
  }

  /**
   * Drops every cached register without writing it back: after a call only
   * what the callee returns is live (BEAM's X registers are dead there).
   */
  forgetAll(): void {
    this.loaded.clear();
    this.dirty.clear();
  }

  // ---- registers passed between blocks ----------------------------------------

  /** How many of X0.. are loaded in locals right now. */
  private loadedPrefix(): number {
    let n = 0;
    while (this.loaded.has(n)) n++;
    return n;
  }

  /** Entry registers of a block (`entry`), 0 outside the region or for non-leaders. */
  entryOf(rel: number): number {
    return this.entry.get(rel) ?? 0;
  }

  /**
   * The write-backs for a transfer to block `rel` of this region (or out of
   * it), keeping the cache for the code after a side exit. Registers below
   * the target's entry count stay in locals (the target treats them as
   * loaded and dirty); the rest are written back. `live` as for `flush`.
   */
  toBlock(rel: number, live = Number.POSITIVE_INFINITY): string {
    const have = Math.min(this.loadedPrefix(), live);
    const prev = this.edges.get(rel);
    if (prev === undefined || have < prev) this.edges.set(rel, have);
    const want = this.entryOf(rel);
    if (want > have) this.short = true;
    return this.flushCode(live, want);
  }

  /**
   * A side exit to block `rel`, keeping the cache for the fall-through path.
   * A block that is only `loop_rec_end` (where every failed pattern of a
   * receive goes) is threaded: its step past the message is done here and
   * the jump goes straight back to the `loop_rec`, one dispatch per scanned
   * message instead of two.
   */
  exitTo(rel: number): string {
    const ins = this.instrs[rel];
    if (ins?.name === "loop_rec_end") {
      const t = this.label(ins.args[0]!);
      if (t !== null) return `${STEP_PAST_MESSAGE} ${this.toBlock(t)}pc = ${this.pc(t)}; continue;`;
    }
    return `${this.toBlock(rel)}pc = ${this.pc(rel)}; continue;`;
  }

  /** Reloads every block's entry registers (after a transfer to an unknown block). */
  reloadEntry(count = this.entryMax): string {
    let s = "";
    for (let n = 0; n < count; n++) s += `x${n} = x[${n}]; `;
    return s;
  }

  /**
   * The reloads after `ins`'s closure returned somewhere other than the next
   * instruction. A closure that may call (calls, applies, anything running a
   * native, which may return through `p.ret`) can land on any block; any
   * other one only on its own labels (or leave the region).
   */
  reloadAfter(ins: JitInstr): string {
    if (/^(call|apply)/.test(ins.name)) return this.reloadEntry();
    // A closure that ends its block also "returns somewhere else" when it
    // returns the next instruction: that is the next block's leader, whose
    // entry registers this fall-through never provided in locals.
    let n = this.entryOf(ins.rel + 1);
    const walk = (ops: readonly Operand[]): boolean => {
      for (const o of ops) {
        if (o.kind === "import" || o.kind === "lambda") return false;
        if (o.kind === "list" && !walk(o.items)) return false;
        const rel = this.label(o);
        if (rel !== null) n = Math.max(n, this.entryOf(rel));
      }
      return true;
    };
    return walk(ins.args) ? this.reloadEntry(n) : this.reloadEntry();
  }

  // ---- fallbacks --------------------------------------------------------------

  /**
   * Calls the instruction's own closure. `last`: the block ends here, so
   * whatever it returns is where execution goes.
   */
  callOut(ins: JitInstr, last: boolean): void {
    if (this.out.length === this.blockStart) this.calloutFirst.add(this.block);
    this.flush();
    this.usedHandlers.add(ins.rel);
    const at = `at = ${ins.rel}; ${SYNC_OUT}`;
    if (last) {
      this.emit(
        `${at}pc = h${ins.rel}(p, ${this.pc(ins.rel)}); ${SYNC_IN}${this.reloadAfter(ins)}continue;`,
      );
      return;
    }
    const r = this.fresh("r");
    this.emit(`${at}const ${r} = h${ins.rel}(p, ${this.pc(ins.rel)}); ${SYNC_IN}`);
    this.emit(
      `if (${r} !== ${this.pc(ins.rel + 1)}) { pc = ${r}; ${this.reloadAfter(ins)}continue; }`,
    );
    this.loaded.clear();
  }

  /**
   * Leaves the region through its shared exit (compile.ts `assemble`), which
   * runs the instruction's closure and returns the pc it gives to the
   * interpreter loop. For instructions that always leave (`func_info`
   * raises function_clause): one call site for all of them, as for slow
   * paths (see {@link withSlowPath}).
   */
  leave(ins: JitInstr): void {
    if (this.out.length === this.blockStart) this.calloutFirst.add(this.block);
    this.flush();
    this.emit(this.leaveCode(ins));
  }

  /**
   * Code leaving through the shared exit, without changing what is cached
   * (for a branch). `flush`: the write-backs, by default those of now. The
   * process state (`yb`, `reds`) is written back once, at the shared exit
   * (compile.ts `assemble`), not at each way there: fewer bytecodes per
   * region, and JSC's optimising tiers wait longer the bigger a function is.
   */
  leaveCode(ins: JitInstr, flush = this.flushCode()): string {
    return `${flush}at = ${ins.rel}; break run;`;
  }

  /**
   * A fast path with the closure as the slow path: `fast` emits code that
   * sets `ok` when it succeeded. The slow path leaves the region: it writes
   * the cached registers back, runs the closure and hands whatever pc that
   * returns to the interpreter loop, which runs the block's remaining
   * closures until it reaches a leader (and this region) again. Slow paths
   * are rare (bignums, unaligned binaries), and one that leaves adds no
   * reloads and no second exit to the region's code, which keeps generated
   * functions small: the JS engine's tier-up and optimising compile grow
   * with their size.
   */
  withSlowPath(ins: JitInstr, fast: (ok: string) => void): void {
    const ok = this.fresh("ok");
    // Dirty as of before the fast path: the slow branch must not write back
    // locals only the (untaken) fast branch assigned.
    const preFlush = this.flushCode();
    this.emit(`let ${ok} = false;`);
    fast(ok);
    // Every slow path leaves through one shared call after the loop
    // (compile.ts `assemble`), so the region carries one never-run call
    // site instead of one per fast path: JSC delays a function's first
    // optimising compile while too many of its call and load sites have
    // seen no values.
    this.emit(`if (!${ok}) { ${this.leaveCode(ins, preFlush)} }`);
  }
}

/**
 * `Mailbox.next()` inline (`loop_rec_end`, and a failed receive pattern's
 * branch threaded past it): no call per scanned message before JSC's
 * optimising tier inlines one.
 */
export const STEP_PAST_MESSAGE = "p.mailbox.save++;";

/** Writes the region's cached process state back to `p` (before leaving or calling out). */
export const SYNC_OUT = "p.yBase = yb; p.reds = reds; ";
/**
 * Reloads it after a closure call. The arrays `p.ret`/`p.stack` are only
 * replaced when a process is torn down, which never happens to the running
 * one (signals.ts `killProcess` throws instead), so only the numbers reload.
 */
export const SYNC_IN = "yb = p.yBase; reds = p.reds; ";

function numLit(v: number): string {
  return v < 0 ? `(${v})` : String(v);
}
