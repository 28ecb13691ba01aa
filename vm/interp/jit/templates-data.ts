/** Templates for moves, stack frames, and list/tuple construction and access. */
import type { Operand } from "../../../loader/module.ts";
import type { Template } from "./templates.ts";

/** Reads both operands before writing either (a move may overlap its source). */
function move(e: Parameters<Template>[0], s: Operand, d: Operand): boolean | null {
  if (!e.isReg(d)) return null;
  const v = e.src(s);
  if (v === null) return null;
  e.dst(d, v);
  return true;
}

function allocate(need: Operand | undefined): Template {
  return (e) => {
    if (need?.kind !== "u") return null;
    // As the closure: Y slots start as [] whether or not the op says "zero".
    const pushes = need.value <= 8 ? ", NIL".repeat(need.value) : "";
    e.emit("stk.push(yb); yb = stk.length;");
    if (need.value > 8) e.emit(`for (let i = 0; i < ${need.value}; i++) stk.push(NIL);`);
    else if (need.value > 0) e.emit(`stk.push(${pushes.slice(2)});`);
    return true;
  };
}

/**
 * Drops the current frame: `stk.length = yb` then pops the saved `yb`. For a
 * small frame of the size the op names (the usual case), pops instead of
 * setting `length`, which the engine handles more slowly.
 */
export function popFrame(n: Operand | undefined): string {
  const size = n?.kind === "u" ? n.value : -1;
  const drop =
    size >= 0 && size <= 4
      ? `if (stk.length === yb + ${size}) {${" stk.pop();".repeat(size)} } else stk.length = yb;`
      : "stk.length = yb;";
  return `${drop} yb = stk.pop();`;
}

export const dataTemplates: Record<string, Template> = {
  move: (e, { args: [s, d] }) => move(e, s!, d!),
  swap(e, { args: [a, b] }) {
    if (!e.isReg(a!) || !e.isReg(b!)) return null;
    const va = e.srcTmp(a!);
    const vb = e.srcTmp(b!);
    if (va === null || vb === null) return null;
    const t = e.fresh();
    e.emit(`const ${t} = ${va};`);
    e.dst(a!, vb);
    e.dst(b!, t);
    return true;
  },
  allocate: (e, ins) => allocate(ins.args[0])(e, ins),
  allocate_zero: (e, ins) => allocate(ins.args[0])(e, ins),
  allocate_heap: (e, ins) => allocate(ins.args[0])(e, ins),
  allocate_heap_zero: (e, ins) => allocate(ins.args[0])(e, ins),
  deallocate(e, { args: [n] }) {
    e.emit(popFrame(n));
    return true;
  },
  trim(e, { args: [n] }) {
    if (n?.kind !== "u") return null;
    e.emit(`stk.splice(yb, ${n.value});`);
    return true;
  },
  test_heap: () => true,
  line: () => true,
  init(e, { args: [d] }) {
    if (!e.isReg(d!)) return null;
    e.dst(d!, "NIL");
    return true;
  },
  init_yregs(e, { args: [list] }) {
    if (list?.kind !== "list") return null;
    if (!list.items.every((o) => o.kind === "y")) return null;
    for (const o of list.items) e.dst(o, "NIL");
    return true;
  },

  get_list(e, { args: [l, h, t] }) {
    if (!e.isReg(h!) || !e.isReg(t!)) return null;
    const c = e.srcTmp(l!);
    if (c === null) return null;
    const hd = e.fresh();
    e.emit(`const ${hd} = ${c}.head, ${hd}t = ${c}.tail;`);
    e.dst(h!, hd);
    e.dst(t!, `${hd}t`);
    return true;
  },
  get_hd(e, { args: [l, h] }) {
    if (!e.isReg(h!)) return null;
    const c = e.src(l!);
    if (c === null) return null;
    e.dst(h!, `${c}.head`);
    return true;
  },
  get_tl(e, { args: [l, t] }) {
    if (!e.isReg(t!)) return null;
    const c = e.src(l!);
    if (c === null) return null;
    e.dst(t!, `${c}.tail`);
    return true;
  },
  put_list(e, { args: [h, t, d] }) {
    if (!e.isReg(d!)) return null;
    const a = e.src(h!);
    const b = e.src(t!);
    if (a === null || b === null) return null;
    e.dst(d!, `new Cons(${a}, ${b})`);
    return true;
  },
  get_tuple_element(e, { args: [t, i, d] }) {
    if (!e.isReg(d!) || i?.kind !== "u") return null;
    const v = e.src(t!);
    if (v === null) return null;
    e.dst(d!, `${v}[${i.value}]`);
    return true;
  },
  put_tuple2(e, { args: [d, list] }) {
    if (!e.isReg(d!) || list?.kind !== "list") return null;
    const items: string[] = [];
    for (const o of list.items) {
      const s = e.src(o);
      if (s === null) return null;
      items.push(s);
    }
    // An empty literal would be a holey-free [] too; keep one shape for all.
    e.dst(d!, `[${items.join(", ")}]`);
    return true;
  },
};
