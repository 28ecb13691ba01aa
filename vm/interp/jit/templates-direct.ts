/**
 * The templates that differ in a direct function (direct.ts): frames are
 * locals, a return is a JS `return`, a call to the function itself is a JS
 * call, and a self tail call loops. Every other template comes unchanged
 * from the region's set (see {@link DIRECT_TEMPLATES}).
 */
import type { DirectEmitter } from "./direct-emitter.ts";
import type { JitInstr } from "./emitter.ts";
import { bifTemplates } from "./templates-bif.ts";
import { bsTemplates } from "./templates-bs.ts";
import { createBin } from "./templates-bs-create.ts";
import { controlTemplates } from "./templates-control.ts";
import { dataTemplates } from "./templates-data.ts";
import { testTemplates } from "./templates-test.ts";

export type DirectTemplate = (e: DirectEmitter, ins: JitInstr) => boolean | null;

function allocate(e: DirectEmitter, ins: JitInstr): boolean | null {
  const need = ins.args[0];
  if (need?.kind !== "u") return null;
  e.frame = need.value;
  // BEAM code writes a Y register before reading it, so the locals are
  // only declared, not cleared: a deoptimisation turns the unwritten ones
  // into [] (runtime.ts `materialize`), as the closure's `allocate` would
  // have left them.
  e.yCount = Math.max(e.yCount, need.value);
  return true;
}

/**
 * A call to the function itself. The reduction check first, as in the
 * region: out of reductions, and unless the run may go on (direct.ts
 * `more`), the call is left to the interpreter (the arguments in `vm.x`,
 * resuming at the entry) with this frame queued under it. A tail call
 * loops back to the entry (a resume function calls it). `dp`, the run's
 * JS depth, grows by one per call that is not a tail call.
 */
function selfCall(tail: boolean, dealloc: boolean): DirectTemplate {
  return (e, ins) => {
    const [arity, label] = ins.args;
    if (arity?.kind !== "u" || e.label(label!) !== e.entryRel || arity.value !== e.arity) {
      e.fail(`${ins.name} to another function`);
      return null;
    }
    if (dealloc) e.frame = -1;
    const args = Array.from({ length: e.arity }, (_, n) => `x${n}`);
    const call = (dp: string) => `d(${[...args, dp].join(", ")})`;
    // `resume = -1`: at the entry, for want of reductions (direct.ts `leave`).
    const preempt = `${e.flushCode(e.arity)}resume = -1;`;
    if (tail) {
      e.emit(`if (--reds <= 0 && more(dp)) { ${e.coldExit(preempt)} }`);
      // A resume function is not the function's top: it calls it instead.
      if (e.isEntry) e.loops = true;
      e.emit(e.isEntry ? "continue top;" : `return ${call("dp + 1")};`);
      return false;
    }
    e.returns.push(ins.rel + 1);
    const queue = `dq.push(base + ${ins.rel + 1}, ${e.frameExpr()});`;
    e.emit(`if (--reds <= 0 && more(dp)) { ${e.coldExit(`${preempt} ${queue}`)} }`);
    e.emit(`x0 = ${call("dp + 1")}; if (x0 === DEOPT) { ${e.coldExit(queue)} }`);
    return true;
  };
}

// Frames differ (below); `trim` renumbers the Y registers, which would
// have to move between locals, so it keeps a function in its region.
const { trim: _trim, ...dataShared } = dataTemplates;

/**
 * Region templates that only use registers, branches and the shared exit
 * (the control ones for calls and `return` are replaced below).
 */
const SHARED = [
  dataShared,
  testTemplates,
  bifTemplates,
  bsTemplates,
  { bs_create_bin: createBin },
  controlTemplates,
];

/**
 * Every instruction a direct function may contain, with its template. An
 * instruction missing here (receives, maps, external calls, funs, ...)
 * keeps the function in its region.
 */
export const DIRECT_TEMPLATES: Readonly<Record<string, DirectTemplate>> = {
  ...Object.assign({}, ...SHARED),
  allocate,
  allocate_zero: allocate,
  allocate_heap: allocate,
  allocate_heap_zero: allocate,
  deallocate(e) {
    e.frame = -1;
    return true;
  },
  return(e) {
    e.emit(`return ${e.src({ kind: "x", n: 0, type: -1 })};`);
    return false;
  },
  // Runs before a failed match's function_clause (`bs_get_tail` then a
  // jump to `func_info`): a cold path, so it leaves to the closures.
  bs_get_tail(e, ins) {
    e.leave(ins);
    return false;
  },
  call: selfCall(false, false),
  call_only: selfCall(true, false),
  call_last: selfCall(true, true),
};
