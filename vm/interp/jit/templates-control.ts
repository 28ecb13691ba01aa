/**
 * Templates for control transfer: local calls (with the reduction check),
 * returns and jumps. Every one ends its block, so each writes the cached
 * registers back first. External calls stay closure calls (export entries
 * resolve late and may be natives), made from the region's own call site.
 */
import type { Operand } from "../../../loader/module.ts";
import { type Emitter, SYNC_OUT } from "./emitter.ts";
import type { Template } from "./templates.ts";
import { popFrame } from "./templates-data.ts";

/** A local call: `push` a return address, `pop` the frame first for `call_last`. */
function localCall(push: boolean, pop: boolean): Template {
  return (e, ins) => {
    const [arity, label] = ins.args;
    if (arity?.kind !== "u") return null;
    const target = e.label(label!);
    if (target === null) return null;
    const keep = e.entryOf(target);
    const write = e.toBlock(target, arity.value);
    if (write) e.emit(write);
    if (pop) e.emit(popFrame(ins.args[2]));
    if (push) e.emit(`ret.push(${e.pc(ins.rel + 1)});`);
    const t = e.pc(target);
    // The slice ends here: the registers kept for the target go to `vm.x`.
    const spill = e.flushCode(Math.min(keep, arity.value));
    e.emit(
      `if (--reds <= 0) { ${spill}${SYNC_OUT}saveState(vm, p, ${t}, ${arity.value}); return -1; }`,
    );
    e.emit(`pc = ${t}; continue;`);
    return false;
  };
}

/** An instruction that always raises: it leaves through the shared exit. */
function raises(e: Emitter, ins: Parameters<Template>[1]): boolean {
  e.leave(ins);
  return false;
}

function jumpTo(e: Emitter, label: Operand): boolean | null {
  const target = e.label(label);
  if (target === null) return null;
  e.emit(e.exitTo(target));
  return false;
}

export const controlTemplates: Record<string, Template> = {
  call: localCall(true, false),
  call_only: localCall(false, false),
  call_last: localCall(false, true),
  return(e) {
    // Any block after a call may be the target, and expects X0 in its local.
    e.loadX(0);
    e.flush(1);
    e.emit("pc = ret.pop(); continue;");
    return false;
  },
  jump: (e, { args: [l] }) => jumpTo(e, l!),
  // Instructions that only raise (function_clause, badmatch, ...): their
  // closures run from the region's shared exit (emitter.ts `leave`), so a
  // region carries no call site per error branch.
  func_info: raises,
  badmatch: raises,
  case_end: raises,
  try_case_end: raises,
  if_end: raises,
  badrecord: raises,
};
