/**
 * The JIT tier's entry point: once a function has been called a few times
 * (it counts calls at its entry from its first use, module-code.ts), splits
 * it into regions (the whole function, or slices of a big one) and installs
 * at each region's block leaders a stub that runs the plain closures until
 * the region is hot (see {@link hotness} and {@link denseEntries}), then
 * compiles it (compile.ts) and puts the compiled function at every one of
 * its leaders. Cold code (run once, as most module and test code is) never
 * pays for code generation.
 */
import type { CodeView } from "../../../loader/lazy-code.ts";
import type { BeamModule, Operand } from "../../../loader/module.ts";
import { OPCODES } from "../../../loader/opcodes.ts";
import type { Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import type { Machine } from "../../machine.ts";
import type { CodeUnit, ModuleCode, UnitInstaller } from "../module-code.ts";
import { compileRegion, type Region } from "./compile.ts";
import { compileDirect, directCandidate } from "./direct.ts";
import type { JitInstr } from "./emitter.ts";

/** Most instructions per region: keeps each generated function optimisable. */
const MAX_REGION = 1200;

/**
 * Calls a function takes before its regions' stubs are installed. Most
 * functions of a big program run a few times (OTP's compiler: thousands of
 * functions, most called under a hundred times); until a function is called
 * this often only its entry counts calls, so those never pay for finding
 * their block leaders, making a stub per region or counting at every leader
 * on every visit. Loops in BEAM code are calls (a receive loop is entered by
 * one as well), so a hot function reaches this quickly.
 */
const WARM_CALLS = 128;

/**
 * The JIT's installer for one module (see module-code.ts): when a function
 * is first used, its closures go into the code area, with a call counter at
 * its entry; once it has been called {@link WARM_CALLS} times, its regions'
 * stubs go over them (a direct candidate running in a burst is compiled
 * sooner, see {@link BURST_CALLS}).
 */
export function jitInstaller(
  vm: Machine,
  beam: BeamModule,
  view: CodeView,
  pcOf: Int32Array,
  from: number,
  to: number,
  importEntries: readonly ExportEntry[],
): UnitInstaller {
  let mod: ModuleState | null = null;
  return (code, unit) => {
    code.copyOwn(unit);
    if (!unit.isFunction) return;
    mod ??= {
      vm,
      beam,
      view,
      pcOf,
      from,
      to,
      importEntries,
      own: code.own,
    };
    if (vm.jitHot <= 1) installFunction(mod, code, unit);
    else countCalls(mod, code, unit);
  };
}

/**
 * Calls that tell a direct candidate running in a burst: its first this
 * many calls came in one slice, one reduction apart on average or closer
 * (each call is a reduction), so it is a loop or recursion under way that
 * does little besides calling itself, and it compiles at once instead of
 * after the warm-up and {@link DIRECT_DENSE} entries: binary append's two
 * loops spent ~350 rounds each in cold closures, every round an append or
 * a match done by its closure (-13% for that benchmark; fib's calls are
 * cheap in closures too, and it gains nothing measurable). OTP's compiler
 * has small recursive helpers whose first calls fall among other work
 * (300-2400 reductions for 128 calls): those wait as before (at 16 calls
 * it compiled 13 direct functions instead of 4, at 32 it compiles 8 and
 * runs as fast: docs/jit.md, ninth round).
 */
const BURST_CALLS = 32;

/**
 * Puts a call counter at the function's entry that installs its regions
 * when warm, or compiles a direct candidate at once when its first calls
 * come in a burst (see {@link BURST_CALLS}).
 */
function countCalls(mod: ModuleState, code: ModuleCode, unit: CodeUnit): void {
  const handlers = mod.vm.code.handlers;
  const at = unit.entry;
  const own = handlers[at]!;
  let calls = 0;
  // Where the first call came: the slice and the reductions it had left.
  let firstSlice = -1;
  let firstReds = 0;
  handlers[at] = (p, pc) => {
    if (++calls === 1) {
      firstSlice = mod.vm.slices;
      firstReds = p.reds;
    } else if (
      calls === BURST_CALLS &&
      mod.vm.slices === firstSlice &&
      firstReds - p.reds < 2 * BURST_CALLS &&
      mayRunDirect(mod, unit)
    ) {
      handlers[at] = own;
      installFunction(mod, code, unit, true);
      return handlers[pc]!(p, pc);
    }
    if (calls < WARM_CALLS) return own(p, pc);
    handlers[at] = own;
    installFunction(mod, code, unit);
    return handlers[pc]!(p, pc);
  };
}

/**
 * Splits a function into regions (big ones in slices) and installs each
 * region's stub. `compileNow`: a direct candidate running in a burst (see
 * {@link BURST_CALLS}), compiled at once.
 */
function installFunction(
  mod: ModuleState,
  code: ModuleCode,
  unit: CodeUnit,
  compileNow = false,
): number {
  const leaders = code.leaders(unit);
  let refs: number[] | null = null;
  const labels = (): readonly number[] => (refs ??= labelRefs(mod, unit));
  let regions = 0;
  let s = unit.start;
  while (s < unit.end) {
    let e = Math.min(unit.end, s + MAX_REGION);
    // Cut only at a leader, so no block straddles two regions.
    while (e < unit.end && !leaders.has(e)) e++;
    install(mod, unit, leaders, labels, s, e, compileNow);
    regions++;
    s = e;
  }
  return regions;
}

/** What every region of one module shares. */
interface ModuleState {
  readonly vm: Machine;
  readonly beam: BeamModule;
  readonly pcOf: Int32Array;
  /** The module's pc range in the code area. */
  readonly from: number;
  readonly to: number;
  readonly importEntries: readonly ExportEntry[];
  /** The module's own closures, indexed by pc - from (the stubs replace them in the code area). */
  readonly own: Handler[];
  readonly view: CodeView;
}

/**
 * The instructions at pcs [s, e) of `unit` (already decoded: its closures
 * exist), by pc relative to `s`.
 */
function regionInstrs(mod: ModuleState, unit: CodeUnit, s: number, e: number): JitInstr[] {
  const { view, pcOf } = mod;
  const out = new Array<JitInstr>(e - s);
  for (let i = unit.from; i < unit.to; i++) {
    const pc = pcOf[i]!;
    if (pcOf[i + 1]! > pc && pc >= s && pc < e) {
      const ins = view.instr(i);
      out[pc - s] = { name: OPCODES[ins.op]!.name, args: ins.args, rel: pc - s };
    }
  }
  return out;
}

/** Instructions per extra multiple of the threshold (see {@link hotness}). */
const INSTRS_PER_STEP = 16;
/** Entries per instruction step and unit of `jitHot` (see {@link hotness}). */
const ENTRIES_PER_STEP = 1024;

/**
 * Entries before a region is compiled. An entry is a call into the region
 * or a round of a loop inside it (a jump back): the stubs sit only where
 * those land (see {@link install}). Generated code pays twice before it is
 * fast: generating and parsing its JS (in proportion to its size), and the
 * JS engine running each new function in its own interpreter until that
 * function is hot enough to optimise, whereas the closures are shared code
 * that every module has already warmed up. Measured on OTP's compiler
 * (docs/jit.md), a program whose many big functions each run some thousands
 * of times got slower with every region compiled, cold and warm, while
 * loops that run hundreds of thousands of times (fib, binary and map
 * loops) gain 3-7x. So a region waits for `jitHot` x 1024 entries per 16 of
 * its instructions (about 2000 for a small function at the default 2); a
 * threshold of 1 (the tests) still means "on first entry", so every region
 * a test runs is compiled.
 */
function hotness(jitHot: number, size: number): number {
  if (jitHot <= 1) return 1;
  return jitHot * ENTRIES_PER_STEP * Math.max(1, Math.ceil(size / INSTRS_PER_STEP));
}

/**
 * Entries within one slice that make a direct candidate hot: a recursion
 * that fills a sixteenth of a slice (a deep or repeated one) gains from
 * direct code at once, while the many small recursive helpers of a big
 * program, called a few times per slice, do not pay for generating it
 * (each costs about a millisecond the first time, most of it cold JS).
 * A candidate running in a burst from its first calls compiles sooner (see
 * {@link BURST_CALLS}).
 */
const DIRECT_DENSE = 250;

/** Fewest entries in one slice that {@link denseEntries} counts as a tight loop. */
const MIN_DENSE = 1000;

/**
 * Entries within one slice that mark a region as a tight loop: one entered
 * on a quarter of a slice's reductions (fib, a binary or list loop: a call
 * or a loop round costs about one reduction) spends its time there, so it
 * will pay back its compile long before {@link hotness}'s count, whereas a
 * big program's functions (the compiler's) share every slice with many
 * others. Never fewer than MIN_DENSE entries, so VMs with short slices keep
 * the total count alone.
 */
function denseEntries(vm: Machine): number {
  if (vm.jitHot <= 1) return 1;
  return Math.max(MIN_DENSE, Math.ceil(vm.sliceReductions / 4));
}

/** Whether the unit may run as a direct function (direct.ts `directCandidate`). */
function mayRunDirect(mod: ModuleState, unit: CodeUnit): boolean {
  const { view, pcOf } = mod;
  // The unit's instructions that take a pc (labels and the like take none).
  const at: number[] = [];
  for (let i = unit.from; i < unit.to; i++) if (pcOf[i + 1]! > pcOf[i]!) at.push(i);
  return directCandidate(
    at.length,
    (k) => OPCODES[view.op(at[k]!)]!.name,
    (k) => {
      const to = view.instr(at[k]!).args[1];
      return to?.kind === "f" ? pcOf[to.index]! : -1;
    },
    unit.entry,
  );
}

/** Every label reference of the unit, as pairs: the referring pc, then the target pc. */
function labelRefs(mod: ModuleState, unit: CodeUnit): number[] {
  const { view, pcOf } = mod;
  const refs: number[] = [];
  const visit = (ops: readonly Operand[], at: number): void => {
    for (const o of ops) {
      if (o.kind === "f") {
        if (o.index > 0) refs.push(at, pcOf[o.index]!);
      } else if (o.kind === "list") visit(o.items, at);
    }
  };
  for (let i = unit.from; i < unit.to; i++) visit(view.instr(i).args, pcOf[i]!);
  return refs;
}

function install(
  mod: ModuleState,
  unit: CodeUnit,
  all: Set<number>,
  /** The unit's label references ({@link labelRefs}), found when first asked for. */
  labels: () => readonly number[],
  s: number,
  e: number,
  compileNow: boolean,
): void {
  const { own, vm, from } = mod;
  const handlers = vm.code.handlers;
  const leaders: number[] = [0];
  for (let pc = s + 1; pc < e; pc++) if (all.has(pc)) leaders.push(pc - s);
  let entries = 0;
  let slice = -1;
  let inSlice = 0;
  const hot = hotness(vm.jitHot, e - s);
  let dense = denseEntries(vm);
  const site = `${mod.beam.name.name}@${mod.view.length}:${s - from}`;
  // A small function that calls itself may run as a direct function
  // (direct.ts), compiled as soon as it is warm: JS's own recursion takes
  // over from the closures at once (fib's first 1000 calls cost more in
  // closures than generating its code). Its handlers go at the entry and at
  // the return points of its self calls; its other leaders keep their
  // closures (code after a slow path). The region is compiled only if the
  // direct code gives up (see compileDirect's `revert`).
  // `compileNow` comes only after mayRunDirect said yes (countCalls).
  let tryDirect = s === unit.start && e === unit.end && (compileNow || mayRunDirect(mod, unit));
  if (tryDirect) dense = Math.min(dense, DIRECT_DENSE);
  const code = (): JitInstr[] => regionInstrs(mod, unit, s, e);
  const region = (): void => {
    const r: Region = { site, base: s, instrs: code(), leaders };
    const fn = compileRegion(vm, r, mod.pcOf, mod.importEntries, own.slice(s - from, e - from));
    for (const l of leaders) handlers[s + l] = fn;
  };
  const compile = (): void => {
    if (tryDirect) {
      tryDirect = false;
      const entryRel = unit.entry - s;
      const fn = { site, base: s, instrs: code(), leaders, entryRel, arity: unit.fnArity };
      const closures = own.slice(s - from, e - from);
      const direct = compileDirect(vm, fn, mod.pcOf, mod.importEntries, closures, region);
      if (direct !== null) {
        for (const l of leaders) handlers[s + l] = direct.returns.get(l) ?? own[s + l - from]!;
        handlers[unit.entry] = direct.entry;
        return;
      }
    }
    region();
  };
  // Compiled at once: the stubs would only be overwritten.
  if (compileNow && tryDirect) {
    compile();
    return;
  }
  const stub: Handler = (p, pc) => {
    // Counted per slice as well as in all (see denseEntries).
    if (vm.slices !== slice) {
      slice = vm.slices;
      inSlice = 0;
    }
    if (++entries < hot && ++inSlice < dense) return own[pc - from]!(p, pc);
    compile();
    return handlers[pc]!(p, pc);
  };
  // Counted where the region is entered (its first pc, the function's
  // entry, a label jumped to from another region) and where it loops back
  // (a jump or self-call to an earlier pc); every other leader (a branch, a
  // return address) keeps its closure until the region compiles, instead
  // of paying a stub on every visit. Measured (docs/jit.md): the compiler
  // compiles 8 regions instead of 11 and runs ~2% faster, binary append and
  // selective receive ~8-10%.
  const counted = new Set<number>([s, unit.entry]);
  const refs = labels();
  for (let i = 0; i < refs.length; i += 2) {
    const from = refs[i]!;
    const to = refs[i + 1]!;
    if (to >= s && to < e && (from >= to || from < s || from >= e)) counted.add(to);
  }
  for (const l of leaders) if (counted.has(s + l)) handlers[s + l] = stub;
}
