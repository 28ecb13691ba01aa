/**
 * Direct functions: a small function that calls only itself (fib, a list
 * built or folded by body recursion, a loop over a binary) compiled to a JS
 * function that calls itself (a tail call loops), with its registers in
 * locals and its frame in JS's own stack, instead of a region that keeps
 * return addresses and Y registers in the process's arrays and dispatches
 * every block through a `switch`. JSC runs the first shape about twice as
 * fast cold (docs/jit.md, "Direct functions").
 *
 * Eligible: one region's worth of code whose instructions all have inline
 * code that needs no process state (moves, tests, arithmetic fast paths,
 * lists and tuples, binaries, frames), whose jumps all go forward, and
 * which calls no function but itself. Such code cannot suspend, receive,
 * raise past a handler or call out, so while it runs nothing else can
 * observe that its frames are not on the process stack.
 *
 * Whenever it cannot go on inline (a slow path: a bignum, a wrong type, an
 * error instruction; or the end of its reductions) it deoptimises: the
 * innermost call writes its live X registers to `vm.x`, sets the pc to
 * resume at and queues its frame, every caller queues its own frame and
 * return address as `DEOPT` comes back through it, and the entry handler
 * pushes the queued frames onto the process's stacks (outermost first),
 * exactly as the region or the closures would have left them at that pc.
 * The instruction's own closure then runs (the slow path, or the raise),
 * or the process yields at the call, and each rebuilt frame
 * returns into a resume function: the rest of the function from that
 * return point, as direct code. Calls into the function, from anywhere, go
 * through its entry pc, where the entry handler sits.
 *
 * A run stops to check its depth every {@link MAX_DIRECT_CALLS} calls
 * that are not tail calls and deoptimises when it is deeper than that, so
 * the JS stack stays shallow whatever the recursion's depth. At the end of
 * the slice it goes on without deoptimising when the scheduler would pick
 * the process again at once (nothing else runnable); otherwise it
 * deoptimises and the process yields.
 */
import { Control, type Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import type { Machine } from "../../machine.ts";
import { FAULT_PC } from "../fault-pc.ts";
import { sourceLabel } from "../source-label.ts";
import { jitDebug, runtimeNamesIn } from "./compile.ts";
import { DirectEmitter, type DirectSource } from "./direct-emitter.ts";
import { JIT_RUNTIME } from "./runtime.ts";
import { DIRECT_TEMPLATES } from "./templates-direct.ts";

export type { DirectSource };

/**
 * Calls (reductions) a direct run makes before it looks at its depth: it
 * goes on only while it is at most this many calls deep, so JS's stack
 * holds at most twice as many of its frames (a frame of the first tiers'
 * code is a few hundred bytes).
 */
export const MAX_DIRECT_CALLS = 1000;

/** Most instructions a direct function has. */
const MAX_DIRECT_SIZE = 200;

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
  hs: readonly Handler[],
  mark: symbol,
) => Handler[];

const factories = new Map<string, DirectFactory>();

/** Counts for tests and docs. */
export const directStats = { compiled: 0, rejected: 0, lastRejection: "" };

/** A function's direct code, as the handlers that go in the code area. */
export interface DirectCode {
  /** At the function's entry: runs the direct function. */
  readonly entry: Handler;
  /**
   * At the return point of each self call (relative pc): takes the frame
   * off the process stack and runs the rest of the function as direct code
   * (a resume function), so a frame rebuilt by a deoptimisation returns
   * into direct code, not into a region.
   */
  readonly returns: ReadonlyMap<number, Handler>;
}

/**
 * `fn` (a {@link directCandidate}) compiled as a direct function, or null
 * when its code cannot run direct after all (see the module comment).
 * `own`: the function's instruction closures by relative pc (a deoptimised
 * slow path runs its instruction's). `revert` is called when the function
 * turns out to gain nothing from direct code (see {@link MAX_DEOPT_FRAMES},
 * {@link MAX_SLOW_DEOPTS}) or overflows JS's stack: it must put the
 * function's region at every leader the direct code had.
 */
export function compileDirect(
  vm: Machine,
  fn: DirectSource,
  pcOf: Int32Array,
  importEntries: readonly ExportEntry[],
  own: readonly Handler[],
  revert: () => void,
): DirectCode | null {
  const consts: unknown[] = [];
  const part = (start: number, frame: number): DirectEmitter =>
    emitDirect(new DirectEmitter(pcOf, importEntries, fn, start, frame, consts));
  const main = part(fn.entryRel, -1);
  // A return point whose frame the emitter could not tell gets no resume
  // function (never seen: BEAM keeps a frame across every non-tail call).
  const returns = [...new Set(main.returns)].filter((r) => main.frameOf(r) >= 0);
  const parts = [main];
  if (main.unsupported === null) for (const r of returns) parts.push(part(r, main.frameOf(r)));
  // A template written for regions that slipped through would touch the
  // process state: never run such code direct.
  let why: string | null = null;
  for (const e of parts)
    why ??=
      e.unsupported ??
      (PROCESS_STATE.test([...e.out, ...e.colds].join("\n")) ? "uses process state" : null);
  if (why !== null) {
    directStats.rejected++;
    directStats.lastRejection = `${fn.site}: ${why}`;
    return null;
  }
  const source = assemble(fn, parts, consts.length, main.returns.length > 0);
  jitDebug.onSource?.(`${fn.site} direct`, source);
  let make = factories.get(source);
  if (make === undefined) {
    make = new Function(
      "base$",
      "k",
      "x$",
      "vm$",
      "rt$",
      "revert",
      "hs$",
      "mark$",
      source,
    ) as DirectFactory;
    factories.set(source, make);
  }
  directStats.compiled++;
  const [entry, ...resumes] = make(fn.base, consts, vm.x, vm, JIT_RUNTIME, revert, own, FAULT_PC);
  return { entry: entry!, returns: new Map(returns.map((r, i) => [r, resumes[i]!])) };
}

/** Names only region code uses (its process state and exits). */
const PROCESS_STATE = /\b(p|stk|yb|ret|hs|at|pc|h\d+)\b|break run/;

/**
 * Whether a function may run direct, from its opcodes alone (cheap: no
 * instruction objects): small, every instruction one with direct code, and
 * at least one call, every one to itself (a recursion or a loop). Whether
 * it really can is known once its code is emitted (a template may still
 * decline an operand).
 * `name(i)`/`callTarget(i)`: instruction `i`'s opcode name and, for a
 * call, its target pc.
 */
export function directCandidate(
  count: number,
  name: (i: number) => string,
  callTarget: (i: number) => number,
  entry: number,
): boolean {
  if (count > MAX_DIRECT_SIZE) return false;
  let self = false;
  for (let i = 0; i < count; i++) {
    const op = name(i);
    if (DIRECT_TEMPLATES[op] === undefined) return false;
    if (op.startsWith("call")) {
      if (callTarget(i) !== entry) return false;
      self = true;
    }
  }
  return self;
}

/**
 * Emits the blocks from the emitter's start on, each closing the labelled
 * block a jump to it breaks out of:
 * `L9: { L5: { <first block> } <block 5> } <block 9>`.
 */
function emitDirect(e: DirectEmitter): DirectEmitter {
  const instrs = e.fn.instrs;
  const n = instrs.length;
  const blocks = e.fn.leaders.filter((l) => l >= e.start);
  if (blocks[0] !== e.start) {
    e.fail("starts inside a block");
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
      const ins = instrs[i]!;
      const t = DIRECT_TEMPLATES[ins.name];
      e.ownerBarrier(ins);
      const r = t === undefined ? null : t(e, ins);
      if (r === null) e.fail(`${ins.name} has no direct code`);
      open = r === true;
    }
    if (open && end === n) e.fail("runs off the function's end");
    else if (open) e.toBlock(end);
  }
  return e;
}

/** Declarations of a part's registers: parameters, then the other locals. */
function registers(fn: DirectSource, e: DirectEmitter): { params: string[]; locals: string[] } {
  const nx = e.isEntry ? fn.arity : 1;
  const ny = e.isEntry ? 0 : e.frameAtStart;
  const params = [
    ...Array.from({ length: nx }, (_, n) => `x${n}`),
    ...Array.from({ length: ny }, (_, n) => `y${n}`),
  ];
  const locals = [
    ...[...e.xUsed]
      .filter((n) => n >= nx)
      .sort((a, b) => a - b)
      .map((n) => `x${n}`),
    ...Array.from({ length: e.yCount }, (_, n) => `y${n}`).slice(ny),
  ];
  return { params, locals };
}

/**
 * The factory's source: the function `d`, a resume function `rN` per return
 * point, and their handlers (entry first, then one per return point, in
 * `parts` order), which share the reduction count and the deoptimisation
 * queue. `deepens`: some self call is not a tail call (a run's JS stack
 * grows with its calls).
 */
function assemble(
  fn: DirectSource,
  parts: readonly DirectEmitter[],
  consts: number,
  deepens: boolean,
): string {
  const entry = `base + ${fn.entryRel}`;
  const code = parts.map((e) => e.out.join("\n"));
  const functions = parts.map((e, i) => {
    const { params, locals } = registers(fn, e);
    const loops = e.isEntry && e.loops;
    const name = e.isEntry ? "d" : `r${e.start}`;
    const cold = e.colds.length > 0;
    // The exit function takes every register by the part's own names.
    const regs = [...params, ...locals];
    const declared = [
      ...(e.owners.size > 0 ? ["own = null"] : []),
      ...locals,
      ...(cold ? ["way = 0"] : []),
    ];
    return [
      `function ${name}(${[...params, "dp"].join(", ")}) {`,
      declared.length > 0 ? `let ${declared.join(", ")};` : "",
      loops ? "top: for (;;) {" : "",
      // Each round starts with no frame written (see templates-direct.ts `allocate`).
      loops && e.yCount > 0
        ? `${Array.from({ length: e.yCount }, (_, n) => `y${n} = `).join("")}undefined;`
        : "",
      cold ? "cold: {" : "",
      code[i],
      cold ? `}\nreturn ${name}x(${["way", ...regs].join(", ")});` : "",
      loops ? "}" : "",
      "}",
      cold
        ? [
            `function ${name}x(${["way", ...regs].join(", ")}) {`,
            "switch (way) {",
            ...e.colds.map((c, n) => `case ${n + 1}: ${c}`),
            "}",
            "}",
          ].join("\n")
        : "",
    ].join("\n");
  });
  const handlers = parts.map((e) => {
    if (e.isEntry) {
      const args = Array.from({ length: fn.arity }, (_, n) => `a${n}`);
      return [
        "function direct(p, pc) {",
        ...args.map((a, n) => `const ${a} = x[${n}];`),
        "enter(p);",
        "let r;",
        `try { r = d(${[...args, "0"].join(", ")}); } catch (err) { ${args.map((a, n) => `x[${n}] = ${a}; `).join("")}return overflow(p, err, pc); }`,
        "return leave(p, r);",
        "}",
      ].join("\n");
    }
    // The frame this return point has on the process stack becomes the
    // resume function's Y parameters (as `deallocate` would drop it).
    const ys = Array.from({ length: e.frameAtStart }, (_, n) => `y${n}`);
    return [
      `function resume${e.start}(p, pc) {`,
      "const stk = p.stack, yb = p.yBase, a0 = x[0];",
      ...ys.map((y, n) => `const ${y} = stk[yb + ${n}];`),
      "stk.length = yb; p.yBase = stk.pop();",
      "enter(p);",
      "let r;",
      `try { r = r${e.start}(${["a0", ...ys, "0"].join(", ")}); } catch (err) {`,
      // The frame goes back as it was, for the region to redo this return.
      `stk.push(p.yBase); p.yBase = yb;${ys.length > 0 ? ` stk.push(${ys.join(", ")});` : ""} x[0] = a0;`,
      "return overflow(p, err, pc);",
      "}",
      "return leave(p, r);",
      "}",
    ].join("\n");
  });
  const body = code.join("\n");
  const capCode = deepens
    ? `cap = budget < ${MAX_DIRECT_CALLS} ? budget : ${MAX_DIRECT_CALLS}; reds = cap;`
    : "cap = budget; reds = cap;";
  return [
    `// direct ${sourceLabel(fn.site)}`,
    ...Array.from({ length: consts }, (_, i) => `const k${i} = k[${i}];`),
    "const base = base$, x = x$, vm = vm$, rt = rt$, hs = hs$, mark = mark$;",
    `const { ${["DEOPT", "materialize", "saveState", "markRaised", ...runtimeNamesIn(body)].join(", ")} } = rt$;`,
    // Frames queued by a deoptimisation, innermost first (return pc, Y values or null).
    "const dq = [];",
    "let reds = 0, budget = 0, cap = 0, resume = 0, slowDeopts = 0, proc = null;",
    ...functions,
    // Starts a run: at most the slice's reductions, at most the cap.
    "function enter(p) {",
    `proc = p; budget = p.reds; ${capCode}`,
    "}",
    // Out of reductions for this stretch (`reds` spent): true ends the run
    // (deoptimises); false refills `reds` and the call goes on. Only calls
    // that are not tail calls deepen JS's stack: a loop's stretch is the
    // whole slice, a recursion's at most the cap, and it goes on only
    // while its depth is within the cap too (so JS's stack holds at most
    // twice the cap). At the end of the slice it goes on if the scheduler
    // would run this process again at once (vm.ts `extendSlice`):
    // yielding would rebuild every frame on the process's stacks.
    "function more(dp) {",
    `if (dp > ${MAX_DIRECT_CALLS}) return true;`,
    "budget -= cap;",
    "if (budget <= 0) {",
    "if (!vm.extendSlice(proc)) { budget += cap; return true; }",
    "budget = vm.sliceReductions;",
    "}",
    capCode,
    "return false;",
    "}",
    // Ends it: a term is the function's result; DEOPT rebuilds the frames.
    "function leave(p, r) {",
    "p.reds = budget - (cap - reds);",
    "if (r !== DEOPT) { x[0] = r; return p.ret.pop(); }",
    `const deep = materialize(p, dq) > ${MAX_DEOPT_FRAMES};`,
    // Stopped at a call to the entry for want of reductions: out of the
    // slice's, the call waits for the next slice; out of this run's cap, it
    // goes on at the entry.
    "if (resume < 0) {",
    "if (deep) revert();",
    `if (p.reds <= 0) { saveState(vm, p, ${entry}, ${fn.arity}); return ${Control.Yield}; }`,
    `return ${entry};`,
    "}",
    `if (deep || ++slowDeopts === ${MAX_SLOW_DEOPTS}) revert();`,
    // A slow path or an error instruction: the instruction's own closure
    // runs, as from a region's shared exit. Not by returning its pc to the
    // interpreter loop: at the entry or a return point that would run this
    // direct code again, and it would stop at the same place.
    "let next;",
    "try { next = hs[resume - base](p, resume); } catch (err) {",
    "if (err !== null && typeof err === 'object' && !(mark in err)) err[mark] = resume;",
    "throw err;",
    "}",
    `if (next === ${Control.Raise}) markRaised(p, resume);`,
    "return next;",
    "}",
    // The JS stack ran out part-way down (a big function's frames, a
    // worker's smaller stack, a host calling in from deep down). Direct code
    // has no effect outside the run but allocation (an in-place append grows
    // only a binary the run made itself), so the run is dropped, with its
    // reductions, and the function goes back to its region, which redoes
    // it from the same pc and state on the process's own stacks.
    "function overflow(p, err, pc) {",
    "if (!(err instanceof RangeError)) throw err;",
    "dq.length = 0; p.reds = budget;",
    "revert();",
    "return pc;",
    "}",
    `return [${handlers.join(",\n")}];`,
  ].join("\n");
}
