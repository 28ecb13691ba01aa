/**
 * Direct functions: a small function that calls itself (fib, a list built
 * or folded by body recursion) compiled to a JS function that calls itself,
 * with its registers in locals and its frame in JS's own stack, instead of
 * a region that keeps return addresses and Y registers in the process's
 * arrays and dispatches every return through a `switch`. JSC runs the first
 * shape about twice as fast cold (docs/jit.md, "Direct functions").
 *
 * Eligible: one region's worth of code whose instructions all have inline
 * code that needs no process state (moves, tests, arithmetic fast paths,
 * lists and tuples, frames), whose jumps all go forward, and which calls no
 * function but itself. Such code cannot suspend, receive, raise past a
 * handler or call out, so while it runs nothing else can observe that its
 * frames are not on the process stack.
 *
 * Whenever it cannot go on inline (a slow path: a bignum, a wrong type, an
 * error instruction; or the end of its reductions) it deoptimises: the
 * innermost call writes its live X registers to `vm.x`, sets the pc to
 * resume at and queues its frame, every caller queues its own frame and
 * return address as `DEOPT` comes back through it, and the entry handler
 * pushes the queued frames onto the process's stacks (outermost first),
 * exactly as the region or the closures would have left them at that pc.
 * The interpreter then goes on at that pc (the instruction's closure runs
 * the slow path, raises, or the process yields), and the frames return
 * through the region's code. Calls into the function, from anywhere, go
 * through its entry pc, where the entry handler sits.
 *
 * A direct activation runs at most {@link MAX_DIRECT_CALLS} calls deep (it
 * spends that many reductions at most, then deoptimises and resumes at the
 * entry with what the slice has left), so the JS stack stays shallow
 * whatever the recursion's depth.
 */
import { Control, type Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import type { Machine } from "../../machine.ts";
import { jitDebug, runtimeNamesIn } from "./compile.ts";
import { DirectEmitter } from "./direct-emitter.ts";
import type { JitInstr } from "./emitter.ts";
import { JIT_RUNTIME } from "./runtime.ts";
import { DIRECT_TEMPLATES } from "./templates-direct.ts";

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

/**
 * Calls (reductions) one direct activation makes at most before it
 * deoptimises: bounds its JS stack depth (a frame of the first tiers' code
 * is a few hundred bytes).
 */
export const MAX_DIRECT_CALLS = 2000;

/** Most instructions a direct function has. */
export const MAX_DIRECT_SIZE = 200;

/**
 * Frames one deoptimisation may rebuild before the function goes back to
 * its region for good: a recursion that deep pays twice for every frame
 * (a JS frame, then the rebuilt one) and returns through the region anyway,
 * where the process's own stacks serve it at least as well (a 100k-deep
 * list: 1.6x slower direct).
 */
export const MAX_DEOPT_FRAMES = 256;

/**
 * Deoptimisations on a slow path (not the end of reductions) before the
 * function goes back to its region: one whose fast paths keep declining
 * (floats, bignums) gains nothing from running direct.
 */
export const MAX_SLOW_DEOPTS = 1000;

type DirectFactory = (
  base: number,
  k: readonly unknown[],
  x: unknown[],
  vm: Machine,
  rt: typeof JIT_RUNTIME,
  revert: () => void,
) => Handler;

const factories = new Map<string, DirectFactory>();

/** Counts for tests and docs. */
export const directStats = { compiled: 0, rejected: 0, lastRejection: "" };

/**
 * The entry handler of `fn` compiled as a direct function, or null when it
 * is not eligible (see the module comment). `revert` is called (once) when
 * the function turns out to gain nothing from it (see
 * {@link MAX_DEOPT_FRAMES}, {@link MAX_SLOW_DEOPTS}): it must put the
 * function's region back at the entry, compiled without the direct entry.
 */
export function compileDirect(
  vm: Machine,
  fn: DirectSource,
  pcOf: Int32Array,
  importEntries: readonly ExportEntry[],
  revert: () => void,
): Handler | null {
  if (process.env.NO_DIRECT || !callsItself(fn, pcOf)) return null;
  const e = emitDirect(
    new DirectEmitter(pcOf, fn.base, importEntries, fn.instrs, fn.entryRel, fn.arity),
    fn,
  );
  const body = e.out.join("\n");
  // A template written for regions that slipped through would touch the
  // process state: never run such code direct.
  const why = e.unsupported ?? (PROCESS_STATE.test(body) ? "uses process state" : null);
  if (why !== null) {
    directStats.rejected++;
    directStats.lastRejection = `${fn.site}: ${why}`;
    return null;
  }
  const source = assemble(fn, e, body);
  jitDebug.onSource?.(`${fn.site} direct`, source);
  let make = factories.get(source);
  if (make === undefined) {
    make = new Function("base$", "k", "x$", "vm$", "rt$", "revert", source) as DirectFactory;
    factories.set(source, make);
  }
  directStats.compiled++;
  return make(fn.base, e.consts, vm.x, vm, JIT_RUNTIME, revert);
}

/** Names only region code uses (its process state and exits). */
const PROCESS_STATE = /\b(p|stk|yb|ret|hs|at|pc|h\d+)\b|break run/;

/** A non-tail call to itself: where direct code gains (its frames go on JS's stack). */
function callsItself(fn: DirectSource, pcOf: Int32Array): boolean {
  if (fn.instrs.length > MAX_DIRECT_SIZE) return false;
  let self = false;
  for (const ins of fn.instrs) {
    if (DIRECT_TEMPLATES[ins.name] === undefined) return false;
    const to = ins.args[1];
    if (ins.name === "call" && to?.kind === "f" && pcOf[to.index]! - fn.base === fn.entryRel)
      self = true;
  }
  return self;
}

/**
 * Emits the blocks from the entry on, each closing the labelled block a
 * jump to it breaks out of:
 * `L9: { L5: { <entry block> } <block 5> } <block 9>`.
 */
function emitDirect(e: DirectEmitter, fn: DirectSource): DirectEmitter {
  const n = fn.instrs.length;
  const blocks = fn.leaders.filter((l) => l >= fn.entryRel);
  if (blocks[0] !== fn.entryRel) {
    e.fail("entry is not a block leader");
    return e;
  }
  e.emit(
    blocks
      .slice(1)
      .reverse()
      .map((l) => `L${l}: {`)
      .join(" "),
  );
  for (let b = 0; b < blocks.length; b++) {
    const start = blocks[b]!;
    const end = b + 1 < blocks.length ? blocks[b + 1]! : n;
    if (b > 0) e.emit("}");
    e.resetBlock(start);
    let open = true;
    for (let i = start; i < end && open && e.unsupported === null; i++) {
      const ins = fn.instrs[i]!;
      const t = DIRECT_TEMPLATES[ins.name];
      const r = t === undefined ? null : t(e, ins);
      if (r === null) e.fail(`${ins.name} has no direct code`);
      open = r === true;
    }
    if (open && end === n) e.fail("runs off the function's end");
    else if (open) e.toBlock(end);
  }
  return e;
}

function assemble(fn: DirectSource, e: DirectEmitter, body: string): string {
  const params = Array.from({ length: fn.arity }, (_, n) => `x${n}`);
  const locals = [
    ...[...e.xUsed]
      .filter((n) => n >= fn.arity)
      .sort((a, b) => a - b)
      .map((n) => `x${n}`),
    ...Array.from({ length: e.yCount }, (_, n) => `y${n}`),
  ];
  const entry = `base + ${fn.entryRel}`;
  return [
    `// direct ${fn.site.replace(/[^\w:/.$@-]/g, "_")}`,
    ...e.consts.map((_, i) => `const k${i} = k[${i}];`),
    "const base = base$, x = x$, vm = vm$;",
    `const { ${["DEOPT", "materialize", "saveState", ...runtimeNamesIn(body)].join(", ")} } = rt$;`,
    // Frames queued by a deoptimisation, innermost first (return pc, Y values or null).
    "const dq = [];",
    "let reds = 0, resume = 0, slowDeopts = 0;",
    `function d(${params.join(", ")}) {`,
    locals.length > 0 ? `let ${locals.join(", ")};` : "",
    e.loops ? "top: for (;;) {" : "",
    // Each round starts with no frame written (see templates-direct.ts `allocate`).
    e.loops && e.yCount > 0
      ? `${Array.from({ length: e.yCount }, (_, n) => `y${n} = `).join("")}undefined;`
      : "",
    body,
    e.loops ? "}" : "",
    "}",
    "return function direct(p, pc) {",
    `const budget = p.reds, cap = budget < ${MAX_DIRECT_CALLS} ? budget : ${MAX_DIRECT_CALLS};`,
    "reds = cap;",
    `const r = d(${params.map((_, n) => `x[${n}]`).join(", ")});`,
    "p.reds = budget - (cap - reds);",
    "if (r !== DEOPT) { x[0] = r; return p.ret.pop(); }",
    `if (materialize(p, dq) > ${MAX_DEOPT_FRAMES} || (resume !== ${entry} && ++slowDeopts === ${MAX_SLOW_DEOPTS})) revert();`,
    // Out of reductions (not only of this activation's cap): the call
    // it stopped at waits for the next slice.
    `if (p.reds <= 0 && resume === ${entry}) { saveState(vm, p, resume, ${fn.arity}); return ${Control.Yield}; }`,
    "return resume;",
    "};",
  ].join("\n");
}
