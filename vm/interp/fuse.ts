/**
 * Block fusion: the second execution tier.
 *
 * The interpreter loop calls one handler per instruction from a single call
 * site, which the JS engine cannot inline (it sees every handler there). A
 * fused block is a small function, generated per straight-line run of
 * instructions, that calls that run's handlers from call sites of its own:
 * each site only ever sees one handler, so the engine inlines them and the
 * run costs one dispatch instead of one per instruction.
 *
 * A block starts at every jump target (label) and after every call (return
 * addresses), so no control transfer ever lands inside one; a handler that
 * does not continue to the next instruction (a failed test, a jump, a call)
 * simply makes the block return its result. An exception escaping a block
 * carries the pc of the instruction that raised it (see `faultPc`).
 */
import { Control, type Handler } from "../code/code-area.ts";
import { FAULT_PC, markRaised } from "./fault-pc.ts";
import { sourceLabel } from "./source-label.ts";

/** Longest run fused into one function (bounds generated code size). */
const MAX_BLOCK = 24;

type Fused = (p: Parameters<Handler>[0], pc: number) => number;

type Factory = (hs: Handler[], mark: symbol, raised: typeof markRaised) => Fused;

/**
 * Generated code per block site, shared by every VM that loads the same
 * module: the engine then reuses its compiled, warmed-up code across VMs.
 * Any factory of the right length is correct for any block; the key only
 * decides which blocks share JIT profiles.
 */
const factories = new Map<string, Factory>();

/** Fuses a run of handlers into one function with call sites of its own. */
function fuseBlock(site: string, hs: Handler[]): Fused {
  const n = hs.length;
  const key = `${site}/${n}`;
  let make = factories.get(key);
  if (make === undefined) {
    make = compileFactory(key, n);
    factories.set(key, make);
  }
  return make(hs, FAULT_PC, markRaised);
}

function compileFactory(key: string, n: number): Factory {
  // The site in a comment makes the source unique, so the engine compiles
  // (and profiles) this block's call sites apart from every other block's.
  const lines: string[] = [`// block ${sourceLabel(key)}`];
  for (let i = 0; i < n; i++) lines.push(`const h${i} = hs[${i}];`);
  // A handler returning Control.Raise gets its own pc marked, as a throw would.
  const out = (r: string) => `return ${r} === ${Control.Raise} ? raised(p, at) : ${r};`;
  const body: string[] = ["let at = pc;", "try {"];
  for (let i = 0; i < n - 1; i++) {
    body.push(
      `  at = pc + ${i}; const r${i} = h${i}(p, at); if (r${i} !== at + 1) ${out(`r${i}`)}`,
    );
  }
  body.push(`  at = pc + ${n - 1}; const r${n - 1} = h${n - 1}(p, at); ${out(`r${n - 1}`)}`);
  body.push(
    "} catch (e) { if (e !== null && typeof e === 'object' && !(mark in e)) e[mark] = at; throw e; }",
  );
  return new Function(
    "hs",
    "mark",
    "raised",
    `${lines.join("\n")}\nreturn function fused(p, pc) {\n${body.join("\n")}\n};`,
  ) as Factory;
}

/**
 * Replaces the handler at the start of every fusable block in
 * `handlers[from..to)` with its fused version. `leaders` marks pcs where a
 * block must start (jump targets, return addresses). Blocks are named by
 * their offset from `siteBase` (the module's first pc), so every VM that
 * loads the module shares their generated code.
 */
export function fuseRange(
  site: string,
  handlers: Handler[],
  from: number,
  to: number,
  leaders: Set<number>,
  siteBase = from,
): number {
  let fused = 0;
  let start = from;
  while (start < to) {
    let end = start + 1;
    while (end < to && !leaders.has(end) && end - start < MAX_BLOCK) end++;
    if (end - start >= 2) {
      handlers[start] = fuseBlock(`${site}:${start - siteBase}`, handlers.slice(start, end));
      fused++;
    }
    start = end;
  }
  return fused;
}
