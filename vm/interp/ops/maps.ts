/** Map construction and matching, and OTP 26's `update_record`. */

import { A } from "../../../terms/atom.ts";
import { EMPTY_MAP, MapTerm } from "../../../terms/map.ts";
import type { Term } from "../../../terms/term.ts";
import { ErlangError } from "../../errors.ts";
import { dst, failLabel, listItems, src, u } from "../adapt.ts";
import { type Reader, reader, writer } from "../operand.ts";
import type { OpTable } from "./types.ts";

function pairs(ctx: Parameters<OpTable[string]>[0], list: Parameters<OpTable[string]>[1][number]) {
  const items = listItems(list).map((o) => reader(ctx.vm, src(ctx, o)));
  const keys: Reader[] = [];
  const vals: Reader[] = [];
  for (let i = 0; i < items.length; i += 2) {
    keys.push(items[i]!);
    vals.push(items[i + 1]!);
  }
  return { keys, vals };
}

export const mapOps: OpTable = {
  put_map_assoc(ctx, [, s, d, , list]) {
    const r = reader(ctx.vm, src(ctx, s!));
    const w = writer(ctx.vm, dst(d!));
    const { keys, vals } = pairs(ctx, list!);
    const n = keys.length;
    return (p, pc) => {
      const m = r(p);
      if (!(m instanceof MapTerm)) throw new ErlangError("error", [A.badmap, m]);
      let out = m;
      if (n === 1) out = m.put(keys[0]!(p), vals[0]!(p));
      else {
        const ps: [Term, Term][] = new Array(n);
        for (let i = 0; i < n; i++) ps[i] = [keys[i]!(p), vals[i]!(p)];
        out = m === EMPTY_MAP || m.size === 0 ? m.putMany(ps) : m.putMany(ps);
      }
      w(p, out);
      return pc + 1;
    };
  },
  put_map_exact(ctx, [fail, s, d, , list]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, s!));
    const w = writer(ctx.vm, dst(d!));
    const { keys, vals } = pairs(ctx, list!);
    return (p, pc) => {
      const m = r(p);
      if (!(m instanceof MapTerm)) {
        if (f >= 0) return f;
        throw new ErlangError("error", [A.badmap, m]);
      }
      let out = m;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!(p);
        const next = out.update(k, vals[i]!(p));
        if (next === undefined) {
          if (f >= 0) return f;
          throw new ErlangError("error", [A.badkey, k]);
        }
        out = next;
      }
      w(p, out);
      return pc + 1;
    };
  },
  get_map_elements(ctx, [fail, s, list]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, s!));
    const items = listItems(list!);
    const keys: Reader[] = [];
    const outs: ReturnType<typeof writer>[] = [];
    for (let i = 0; i < items.length; i += 2) {
      keys.push(reader(ctx.vm, src(ctx, items[i]!)));
      outs.push(writer(ctx.vm, dst(items[i + 1]!)));
    }
    return (p, pc) => {
      const m = r(p) as MapTerm;
      // Read every key before writing: a destination may alias a later key's register.
      const vals: Term[] = [];
      for (let i = 0; i < keys.length; i++) {
        const v = m.get(keys[i]!(p));
        if (v === undefined) return f;
        vals.push(v);
      }
      for (let i = 0; i < outs.length; i++) outs[i]!(p, vals[i]!);
      return pc + 1;
    };
  },
  has_map_fields(ctx, [fail, s, list]) {
    const f = failLabel(ctx, fail!);
    const r = reader(ctx.vm, src(ctx, s!));
    const keys = listItems(list!).map((o) => reader(ctx.vm, src(ctx, o)));
    return (p, pc) => {
      const m = r(p) as MapTerm;
      for (const k of keys) if (!m.has(k(p))) return f;
      return pc + 1;
    };
  },
  update_record(ctx, [, size, s, d, list]) {
    const r = reader(ctx.vm, src(ctx, s!));
    const w = writer(ctx.vm, dst(d!));
    const n = u(size!);
    const items = listItems(list!);
    const idx: number[] = [];
    const vals: Reader[] = [];
    for (let i = 0; i < items.length; i += 2) {
      idx.push(u(items[i]!) - 1);
      vals.push(reader(ctx.vm, src(ctx, items[i + 1]!)));
    }
    return (p, pc) => {
      const t = (r(p) as Term[]).slice(0, n);
      for (let i = 0; i < idx.length; i++) t[idx[i]!] = vals[i]!(p);
      w(p, t);
      return pc + 1;
    };
  },
};
