/**
 * Compiles one region (a function, or a slice of a big one) into a single JS
 * function: a `for (;;) switch (pc - base)` with a case per block leader, in
 * which templated instructions are emitted inline and the rest call their
 * closures. Jumps, local calls and returns whose target lies in the region
 * loop inside the function; any other target (or a negative Control code)
 * is returned to the interpreter loop, which dispatches it as usual.
 *
 * Generated source only uses region-relative pcs and captured values, so the
 * same source serves every VM that loads the module: factories are cached by
 * source text, and the engine shares compiled code between instances.
 */
import { Control, type Handler } from "../../code/code-area.ts";
import type { Machine } from "../../machine.ts";
import { FAULT_PC } from "../fault-pc.ts";
import { sourceLabel } from "../source-label.ts";
import { Emitter, type JitInstr, SYNC_OUT } from "./emitter.ts";
import { JIT_RUNTIME } from "./runtime.ts";
import { TEMPLATES } from "./templates.ts";

export interface Region {
  /** A label naming the region in the source (module, offset). */
  readonly site: string;
  /** Absolute pc of the first instruction. */
  readonly base: number;
  /** Instructions in pc order; `rel` is the index. */
  readonly instrs: readonly JitInstr[];
  /** Relative pcs where a block starts, ascending (0 first). */
  readonly leaders: readonly number[];
}

type Factory = (
  base: number,
  k: readonly unknown[],
  hs: readonly Handler[],
  x: unknown[],
  vm: Machine,
  rt: typeof JIT_RUNTIME,
  mark: symbol,
) => Handler;

const factories = new Map<string, Factory>();

/** Counts for tests and docs. */
export const jitStats = { regions: 0, compiled: 0, inlined: 0, fallbacks: 0 };

/** Sees every generated source (for inspecting generated code; null in normal runs). */
export const jitDebug: { onSource: ((site: string, source: string) => void) | null } = {
  onSource: null,
};

/** Builds the region's function; `handlers[rel]` are the instructions' own closures. */
export function compileRegion(
  vm: Machine,
  region: Region,
  pcOf: Int32Array,
  importEntries: Emitter["importEntries"],
  handlers: readonly Handler[],
): Handler {
  // Pass 1 finds which leading X registers every static transfer to each
  // block has in locals; pass 2 keeps those in locals across the transfer.
  // Entry counts only shrink from one pass to the next, so this ends (at
  // worst with none, which every transfer satisfies); in practice pass 2
  // has at least what pass 1 saw and is final.
  // Pass 1 has no entry registers; when the analysis gives none either,
  // pass 2 would emit the same code again, so pass 1's is kept.
  const { inlined, fallbacks } = jitStats;
  const pass = (entry: ReadonlyMap<number, number>): Emitter => {
    jitStats.inlined = inlined;
    jitStats.fallbacks = fallbacks;
    return emitRegion(
      new Emitter(pcOf, region.base, importEntries, handlers, entry, region.instrs),
      region,
    );
  };
  let e = pass(new Map());
  let entry = entryRegisters(region, e, null);
  while (entry.size > 0) {
    e = pass(entry);
    if (!e.short) break;
    entry = entryRegisters(region, e, entry);
    if (entry.size === 0) e = pass(entry);
  }
  const source = assemble(region.site, e);
  jitDebug.onSource?.(region.site, source);
  let make = factories.get(source);
  if (make === undefined) {
    make = new Function("base$", "k", "hs$", "x$", "vm$", "rt$", "mark$", source) as Factory;
    factories.set(source, make);
    jitStats.compiled++;
  }
  jitStats.regions++;
  return make(region.base, e.consts, handlers, vm.x, vm, JIT_RUNTIME, FAULT_PC);
}

function emitRegion(e: Emitter, region: Region): Emitter {
  const n = region.instrs.length;
  const leaders = region.leaders;
  for (let b = 0; b < leaders.length; b++) {
    const start = leaders[b]!;
    const end = b + 1 < leaders.length ? leaders[b + 1]! : n;
    e.emit(`case ${start}: {`);
    e.resetBlock(start);
    let open = true;
    for (let i = start; i < end && open; i++) {
      const ins = region.instrs[i]!;
      const last = i === end - 1;
      e.ownerBarrier(ins);
      open = emitInstr(e, ins, last);
    }
    if (open) {
      // Falls into the next block (or off the region's end).
      const s = e.toBlock(end);
      if (s) e.emit(s);
      if (end === n) e.emit(`${SYNC_OUT}return ${e.pc(n)};`);
    }
    e.emit("}");
  }
  return e;
}

/** Registers kept in locals at most across a transfer. */
const MAX_ENTRY = 6;

/**
 * Entry registers per block. Blocks right after a call may also be reached
 * by any `return` (which brings only X0), so they get at most 1; blocks no
 * static transfer reaches get none (the prologue would load them for
 * nothing), nor do blocks that start with a closure call.
 */
function entryRegisters(
  region: Region,
  { edges, calloutFirst }: Emitter,
  prev: ReadonlyMap<number, number> | null,
): Map<number, number> {
  const entry = new Map<number, number>();
  for (const l of region.leaders) {
    // A block that starts by calling a closure needs `vm.x` written anyway.
    if (calloutFirst.has(l)) continue;
    // A slice's first block may follow a call in the previous slice.
    const before = l > 0 ? region.instrs[l - 1]!.name : "call";
    const afterCall = before.startsWith("call") || before.startsWith("apply");
    let n = edges.get(l) ?? (afterCall ? 1 : 0);
    if (afterCall) n = Math.min(n, 1);
    n = Math.min(n, prev === null ? MAX_ENTRY : (prev.get(l) ?? 0));
    if (n > 0) entry.set(l, n);
  }
  return entry;
}

/** Emits one instruction; false when it ended the block (control left). */
function emitInstr(e: Emitter, ins: JitInstr, last: boolean): boolean {
  const t = TEMPLATES[ins.name];
  if (t !== undefined) {
    const r = t(e, ins);
    if (r !== null) {
      jitStats.inlined++;
      return r;
    }
  }
  jitStats.fallbacks++;
  e.callOut(ins, last);
  return !last;
}

/**
 * What generated code may name from the runtime (vm/interp/jit/runtime.ts).
 * Found in the body by substring: a name that is only part of a longer word
 * costs an unused local, while a regular expression per name cost ~1 ms on
 * the first region (cold JS).
 */
const RUNTIME_NAMES = [
  "Atom",
  "Cons",
  "NIL",
  "MapTerm",
  "BitString",
  "Float",
  "Fun",
  "ExportFun",
  "A_TRUE",
  "A_FALSE",
  "exactEq",
  "eq",
  "compare",
  "saveState",
  "NativeControl",
  "SUSPEND",
  "addBifFrame",
  "MAX_BITS",
];

/** The runtime names generated code `body` uses (to copy into its locals). */
export function runtimeNamesIn(body: string): string[] {
  return RUNTIME_NAMES.filter((n) => body.includes(n));
}

function assemble(site: string, e: Emitter): string {
  const head: string[] = [`// jit ${sourceLabel(site)}`];
  for (const i of [...e.usedHandlers].sort((a, b) => a - b)) head.push(`const h${i} = hs$[${i}];`);
  for (let i = 0; i < e.consts.length; i++) head.push(`const k${i} = k[${i}];`);
  const prologue = e.reloadEntry();
  const locals = [
    "at = 0",
    "ret = p.ret",
    "stk = p.stack",
    "yb = p.yBase",
    "reds = p.reds",
    ...[...e.xUsed].sort((a, b) => a - b).map((n) => `x${n}`),
  ];
  if (e.nativeExit) locals.push("ctl = null", "rpc = 0");
  if (e.owners.size > 0) locals.push("own = null");
  const body = e.out.join("\n");
  // The factory's arguments and the runtime names the body uses are copied
  // into the function's own locals: a captured variable costs two bytecodes
  // per use (scope resolution and load), a local none, and bytecode size is
  // what JSC's tier-up thresholds and optimising compile time grow with.
  const names = runtimeNamesIn(body);
  if (e.nativeExit) names.push("nativeControl");
  return [
    ...head,
    "return function jit(p, pc) {",
    "const base = base$, x = x$, vm = vm$, rt = rt$, mark = mark$, hs = hs$;",
    `const { ${["markRaised", ...names].join(", ")} } = rt;`,
    `let ${locals.join(", ")};`,
    prologue,
    "try {",
    e.nativeExit ? "native: {" : "",
    "run: for (;;) {",
    "switch (pc - base) {",
    body,
    // Leaving the region; a raise returned by a call it made gets that call's pc.
    `default: if (pc === ${Control.Raise}) markRaised(p, base + at); ${SYNC_OUT}return pc;`,
    "}",
    "}",
    // A fast path declined (emitter.ts `withSlowPath`): the instruction's
    // closure runs, and the interpreter loop goes on from where it returns.
    `${SYNC_OUT}return hs[at](p, base + at);`,
    // A native returned a trap, raise or suspend (templates-native.ts).
    e.nativeExit
      ? `} pc = nativeControl(p, ctl, rpc); if (pc === ${Control.Raise}) markRaised(p, base + at); return pc;`
      : "",
    "} catch (err) {",
    "if (err !== null && typeof err === 'object' && !(mark in err)) err[mark] = base + at;",
    "throw err;",
    "}",
    "};",
  ].join("\n");
}
