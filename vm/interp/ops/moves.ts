/** Register moves, frames, and list/tuple construction and access. */

import { Cons, NIL, type Term } from "../../../terms/term.ts";
import type { Handler } from "../../code/code-area.ts";
import { dst, listItems, src, u } from "../adapt.ts";
import { reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

export const moveOps: OpTable = {
  move(ctx, [s, d]) {
    const S = src(ctx, s!);
    const D = dst(d!);
    const x = ctx.vm.x;
    if (S.k === "x" && D.k === "x") {
      const a = S.n;
      const b = D.n;
      return (_p, pc) => {
        x[b] = x[a]!;
        return pc + 1;
      };
    }
    if (S.k === "c" && D.k === "x") {
      const v = S.v;
      const b = D.n;
      return (_p, pc) => {
        x[b] = v;
        return pc + 1;
      };
    }
    if (S.k === "y" && D.k === "x") {
      const a = S.n;
      const b = D.n;
      return (p, pc) => {
        x[b] = p.stack[p.yBase + a]!;
        return pc + 1;
      };
    }
    if (S.k === "x" && D.k === "y") {
      const a = S.n;
      const b = D.n;
      return (p, pc) => {
        p.stack[p.yBase + b] = x[a]!;
        return pc + 1;
      };
    }
    const r = reader(ctx.vm, S);
    const w = writer(ctx.vm, D);
    return (p, pc) => {
      w(p, r(p));
      return pc + 1;
    };
  },

  swap(ctx, [a, b]) {
    const ra = reader(ctx.vm, src(ctx, a!));
    const rb = reader(ctx.vm, src(ctx, b!));
    const wa = writer(ctx.vm, dst(a!));
    const wb = writer(ctx.vm, dst(b!));
    return (p, pc) => {
      const t = ra(p);
      wa(p, rb(p));
      wb(p, t);
      return pc + 1;
    };
  },

  allocate(_ctx, [need]) {
    return allocate(u(need!), false);
  },
  allocate_zero(_ctx, [need]) {
    return allocate(u(need!), true);
  },
  allocate_heap(_ctx, [need]) {
    return allocate(u(need!), false);
  },
  allocate_heap_zero(_ctx, [need]) {
    return allocate(u(need!), true);
  },
  deallocate() {
    return (p, pc) => {
      const s = p.stack;
      s.length = p.yBase;
      p.yBase = s.pop() as number;
      return pc + 1;
    };
  },
  trim(_ctx, [n]) {
    // Drop the lowest N Y slots: Y(N) becomes Y(0). Move the saved frame base up.
    const k = u(n!);
    return (p, pc) => {
      p.stack.splice(p.yBase, k);
      return pc + 1;
    };
  },
  test_heap() {
    return (_p, pc) => pc + 1;
  },
  init(ctx, [d]) {
    const w = writer(ctx.vm, dst(d!));
    return (p, pc) => {
      w(p, NIL);
      return pc + 1;
    };
  },
  init_yregs(_ctx, [list]) {
    const ns = listItems(list!).map((o) => dst(o).n);
    return (p, pc) => {
      const b = p.yBase;
      for (const n of ns) p.stack[b + n] = NIL;
      return pc + 1;
    };
  },

  get_list(ctx, [l, h, t]) {
    const r = reader(ctx.vm, src(ctx, l!));
    const wh = writer(ctx.vm, dst(h!));
    const wt = writer(ctx.vm, dst(t!));
    return (p, pc) => {
      const c = r(p) as Cons;
      wh(p, c.head);
      wt(p, c.tail);
      return pc + 1;
    };
  },
  get_hd(ctx, [l, h]) {
    const r = reader(ctx.vm, src(ctx, l!));
    const w = writer(ctx.vm, dst(h!));
    return (p, pc) => {
      w(p, (r(p) as Cons).head);
      return pc + 1;
    };
  },
  get_tl(ctx, [l, t]) {
    const r = reader(ctx.vm, src(ctx, l!));
    const w = writer(ctx.vm, dst(t!));
    return (p, pc) => {
      w(p, (r(p) as Cons).tail);
      return pc + 1;
    };
  },
  put_list(ctx, [h, t, d]) {
    const rh = reader(ctx.vm, src(ctx, h!));
    const rt = reader(ctx.vm, src(ctx, t!));
    const w = writer(ctx.vm, dst(d!));
    return (p, pc) => {
      w(p, new Cons(rh(p), rt(p)));
      return pc + 1;
    };
  },

  get_tuple_element(ctx, [t, i, d]) {
    const r = reader(ctx.vm, src(ctx, t!));
    const idx = u(i!);
    const w = writer(ctx.vm, dst(d!));
    return (p, pc) => {
      w(p, (r(p) as Term[])[idx]!);
      return pc + 1;
    };
  },
  set_tuple_element(ctx, [v, t, i]) {
    // Destructive update of a tuple the compiler just built (setelement/3 chains).
    const rv = reader(ctx.vm, src(ctx, v!));
    const rt = reader(ctx.vm, src(ctx, t!));
    const idx = u(i!);
    return (p, pc) => {
      (rt(p) as Term[])[idx] = rv(p);
      return pc + 1;
    };
  },
  put_tuple2(ctx, [d, list]) {
    const rs = listItems(list!).map((o) => reader(ctx.vm, src(ctx, o)));
    const w = writer(ctx.vm, dst(d!));
    const n = rs.length;
    return (p, pc) => {
      const t = new Array<Term>(n);
      for (let i = 0; i < n; i++) t[i] = rs[i]!(p);
      w(p, t);
      return pc + 1;
    };
  },
  // Pre-OTP 22 tuple building: put_tuple Arity Dst, then Arity `put` instructions.
  put_tuple(ctx, [arity, d]) {
    const n = u(arity!);
    const w = writer(ctx.vm, dst(d!));
    const vm = ctx.vm;
    return (p, pc) => {
      const t = new Array<Term>(n);
      vm.tupleUnderConstruction = t;
      vm.tupleFill = 0;
      w(p, t);
      return pc + 1;
    };
  },
  put(ctx, [s]) {
    const r = reader(ctx.vm, src(ctx, s!));
    const vm = ctx.vm;
    return (p, pc) => {
      vm.tupleUnderConstruction![vm.tupleFill++] = r(p);
      return pc + 1;
    };
  },
  jump(ctx, [l]) {
    const target = ctx.labelPc(l!);
    return () => target;
  },
  line() {
    return (_p, pc) => pc + 1;
  },
};

/** Frame layout: `[..., savedYBase, Y0, Y1, ...]`. */
function allocate(n: number, _zero: boolean): Handler {
  // Y slots always start as [] (so `allocate` and `allocate_zero` coincide):
  // the JS array never has holes and a stray read never sees a stale term.
  return (p, pc) => {
    const s = p.stack;
    s.push(p.yBase);
    p.yBase = s.length;
    for (let i = 0; i < n; i++) s.push(NIL);
    return pc + 1;
  };
}
