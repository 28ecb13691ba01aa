/**
 * Templates for control transfer: local calls (with the reduction check),
 * returns and jumps. Every one ends its block, so each writes the cached
 * registers back first. External calls stay closure calls (export entries
 * resolve late and may be natives), made from the region's own call site.
 */
import type { Operand } from "../../../loader/module.ts";
import type { Emitter } from "./emitter.ts";
import type { Template } from "./templates.ts";

/** A local call: `push` a return address, `pop` the frame first for `call_last`. */
function localCall(push: boolean, pop: boolean): Template {
  return (e, ins) => {
    const [arity, label] = ins.args;
    if (arity?.kind !== "u") return null;
    const target = e.label(label!);
    if (target === null) return null;
    e.flush(arity.value);
    if (pop) e.emit("stk = p.stack; stk.length = p.yBase; p.yBase = stk.pop();");
    if (push) e.emit(`p.ret.push(${e.pc(ins.rel + 1)});`);
    const t = e.pc(target);
    e.emit(`if (--p.reds <= 0) { vm.saveState(p, ${t}, ${arity.value}); return -1; }`);
    e.emit(`pc = ${t}; continue;`);
    return false;
  };
}

function jumpTo(e: Emitter, label: Operand): boolean | null {
  const target = e.label(label);
  if (target === null) return null;
  e.flush();
  e.emit(`pc = ${e.pc(target)}; continue;`);
  return false;
}

export const controlTemplates: Record<string, Template> = {
  call: localCall(true, false),
  call_only: localCall(false, false),
  call_last: localCall(false, true),
  return(e) {
    e.flush(1);
    e.emit("pc = p.ret.pop(); continue;");
    return false;
  },
  jump: (e, { args: [l] }) => jumpTo(e, l!),
};
