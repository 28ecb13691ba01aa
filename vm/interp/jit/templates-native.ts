/**
 * Calls to natives (BIFs, NIFs) from generated code: `call_ext`,
 * `call_ext_only` and `call_ext_last` whose export entry has a native when
 * the region compiles call it directly, with the arguments from their
 * locals, instead of going through the closure, `invoke` and `callNative`
 * (writing X registers out, a megamorphic call, reading them back). Each
 * call site sees one native, so the engine can inline it: a loop around
 * `integer_to_binary/1` or `maps:get/2` costs about what the native does.
 *
 * Same semantics as `callNative` (apply.ts): one reduction, the BIF frame on
 * an exception, traps, raises and suspends through `nativeControl`. Should the entry
 * lose its native later (code reloaded over it), the closure takes over.
 */
import type { XReg } from "../../../loader/module.ts";
import { SYNC_IN, SYNC_OUT } from "./emitter.ts";
import type { Template } from "./templates.ts";
import { popFrame } from "./templates-data.ts";

/** More arguments than any native takes: such calls keep the closure. */
const MAX_ARGS = 8;

const xReg = (n: number): XReg => ({ kind: "x", n, type: -1 });

/** How the call continues: at the next instruction, or by returning (a tail call). */
type Shape = "call" | "tail" | "tail_dealloc";

function nativeCall(shape: Shape): Template {
  return (e, ins) => {
    const [arity, imp, dealloc] = ins.args;
    if (arity?.kind !== "u" || imp?.kind !== "import" || arity.value > MAX_ARGS) return null;
    const entry = e.importEntries[imp.index];
    if (entry === undefined || entry.native === null) return null;
    const k = e.konst(entry);
    const args: string[] = [];
    for (let i = 0; i < arity.value; i++) args.push(e.src(xReg(i))!);
    const f = e.fresh("f");
    const r = e.fresh("r");
    e.emit(`const ${f} = ${k}.native;`);
    // The entry lost its native (code reloaded over it): the closure calls.
    e.emit(`if (${f} === null) { ${e.leaveCode(ins)} }`);
    if (shape === "tail_dealloc") e.emit(popFrame(dealloc));
    const list = args.join(", ");
    e.emit(`at = ${ins.rel}; reds--; ${SYNC_OUT}let ${r};`);
    e.emit(
      `try { ${r} = ${f}(p${args.map((a) => `, ${a}`).join("")}); } catch (err) { addBifFrame(err, ${k}, [${list}]); throw err; }`,
    );
    // A trap, raise or suspend leaves the region through its one
    // native-control exit (compile.ts), which hands the interpreter loop the
    // pc `nativeControl` gives (after a call only X0 is live, and a trap or
    // suspend sets what it needs in `vm.x`).
    const retPc = shape === "call" ? e.pc(ins.rel + 1) : "-1";
    e.nativeExit = true;
    e.emit(
      `${SYNC_IN}if (${r} instanceof NativeControl || ${r} === SUSPEND) { ctl = ${r}; rpc = ${retPc}; break native; }`,
    );
    e.forgetAll();
    e.dst(xReg(0), r);
    if (shape === "call") return true;
    e.flush(1);
    e.emit("pc = ret.pop(); continue;");
    return false;
  };
}

export const nativeTemplates: Record<string, Template> = {
  call_ext: nativeCall("call"),
  call_ext_only: nativeCall("tail"),
  call_ext_last: nativeCall("tail_dealloc"),
};
