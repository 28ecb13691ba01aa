/**
 * The JIT tier's entry point: splits a freshly loaded module into regions
 * (one per function, big functions in slices) and installs at each region's
 * block leaders a stub that runs the plain closures until the region has
 * been entered `vm.jitHot` times, then compiles it (compile.ts) and puts the
 * compiled function at every one of its leaders. Cold code (run once, as
 * most module and test code is) never pays for code generation.
 */
import type { BeamModule } from "../../../loader/module.ts";
import { OPCODES } from "../../../loader/opcodes.ts";
import type { Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import type { Machine } from "../../machine.ts";
import { compileRegion, type Region } from "./compile.ts";
import type { JitInstr } from "./emitter.ts";

/** Most instructions per region: keeps each generated function optimisable. */
const MAX_REGION = 1200;

export interface JitModuleInput {
  readonly vm: Machine;
  readonly beam: BeamModule;
  readonly pcOf: Int32Array;
  /** The module's pc range in the code area. */
  readonly from: number;
  readonly to: number;
  /** Where blocks must start: labels, function entries, return addresses. */
  readonly leaders: Set<number>;
  readonly importEntries: readonly ExportEntry[];
}

/** Installs lazily compiled regions over the module's handlers. Returns the region count. */
export function jitModule(input: JitModuleInput): number {
  const { beam, pcOf, from, to } = input;
  const instrs = new Array<JitInstr | undefined>(to - from);
  for (let i = 0; i < beam.code.length; i++) {
    if (pcOf[i + 1]! > pcOf[i]!) {
      const ins = beam.code[i]!;
      instrs[pcOf[i]! - from] = { name: OPCODES[ins.op]!.name, args: ins.args, rel: 0 };
    }
  }
  let regions = 0;
  for (const f of beam.functions) {
    const start = pcOf[f.start]!;
    const end = pcOf[f.end]!;
    let s = start;
    while (s < end) {
      let e = Math.min(end, s + MAX_REGION);
      // Cut only at a leader, so no block straddles two regions.
      while (e < end && !input.leaders.has(e)) e++;
      install(input, instrs, s, e);
      regions++;
      s = e;
    }
  }
  return regions;
}

/** Instructions per extra multiple of the threshold (see {@link hotness}). */
const INSTRS_PER_STEP = 16;

/**
 * Entries before a region is compiled. Generating and parsing a region's JS
 * costs in proportion to its size, and real programs (OTP's compiler) run
 * most of their big functions only a few times: compiling those on their
 * second entry made a cold compile:forms run twice as slow as never
 * compiling. So the VM's threshold (VMOptions.jitHot) counts per 16
 * instructions: small hot functions (fib, loops) still compile at once;
 * a 1200-instruction slice waits for 75 times the threshold. A threshold of
 * 1 (the tests) still means "on first entry", so every region a test runs
 * is compiled.
 */
function hotness(jitHot: number, size: number): number {
  if (jitHot <= 1) return 1;
  return jitHot * Math.max(1, Math.ceil(size / INSTRS_PER_STEP));
}

function install(input: JitModuleInput, all: (JitInstr | undefined)[], s: number, e: number): void {
  const { vm, from } = input;
  const handlers = vm.code.handlers;
  const own = handlers.slice(s, e);
  const instrs: JitInstr[] = [];
  const leaders: number[] = [0];
  for (let pc = s; pc < e; pc++) {
    const ins = all[pc - from]!;
    instrs.push({ name: ins.name, args: ins.args, rel: pc - s });
    if (pc > s && input.leaders.has(pc)) leaders.push(pc - s);
  }
  const region: Region = {
    site: `${input.beam.name.name}@${input.beam.code.length}:${s - from}`,
    base: s,
    instrs,
    leaders,
  };
  let entries = 0;
  const hot = hotness(vm.jitHot, instrs.length);
  const stub: Handler = (p, pc) => {
    if (++entries < hot) return own[pc - s]!(p, pc);
    const fn = compileRegion(vm, region, input.pcOf, input.importEntries, own);
    for (const l of leaders) handlers[s + l] = fn;
    return fn(p, pc);
  };
  for (const l of leaders) handlers[s + l] = stub;
}
