/** Map construction and matching, and OTP 26's `update_record`. */

import { A } from "../../../terms/atom.ts";
import { MapTerm } from "../../../terms/map.ts";
import { NIL, type Term } from "../../../terms/term.ts";
import { ErlangError } from "../../errors.ts";
import { dst, failLabel, listItems, src, u } from "../adapt.ts";
import { type Reader, reader, writer } from "../operand.ts";
import { emptyMapShape, KeyIndexCache, withValuesAt } from "./map-shape.ts";
import type { OpTable } from "./types.ts";

type Op = Parameters<OpTable[string]>[1][number];

/** The keys of a pair list when every one is a load-time constant, else null. */
function constKeys(list: Op): Term[] | null {
  const items = listItems(list);
  const keys: Term[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const o = items[i]!;
    if (o.kind === "atom" || o.kind === "literal") keys.push(o.value);
    else if (o.kind === "int") keys.push(o.value);
    else if (o.kind === "nil") keys.push(NIL);
    else return null;
  }
  return keys;
}

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
    const known = constKeys(list!);
    // Constant keys: a new map shares one sorted key array (see map-shape.ts),
    // an update of a map holding all of them writes values by position.
    const shape = known === null ? null : emptyMapShape(known);
    const cache = known === null ? null : new KeyIndexCache(known);
    const tmp: Term[] = new Array(n);
    return (p, pc) => {
      const m = r(p);
      if (!(m instanceof MapTerm)) throw new ErlangError("error", [A.badmap, m]);
      let out: MapTerm;
      let at: Int32Array | null = null;
      if (shape !== null && m.size === 0) {
        const vs: Term[] = new Array(n);
        for (let i = 0; i < n; i++) vs[i] = vals[shape.order[i]!]!(p);
        out = new MapTerm(shape.keys, vs);
      } else if (cache !== null && (at = cache.positions(m)) !== null) {
        for (let i = 0; i < n; i++) tmp[i] = vals[i]!(p);
        out = withValuesAt(m, at, tmp);
      } else if (n === 1) out = m.put(keys[0]!(p), vals[0]!(p));
      else {
        const ps: [Term, Term][] = new Array(n);
        for (let i = 0; i < n; i++) ps[i] = [keys[i]!(p), vals[i]!(p)];
        out = m.putMany(ps);
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
    const n = keys.length;
    const known = constKeys(list!);
    const cache = known === null ? null : new KeyIndexCache(known);
    const tmp: Term[] = new Array(n);
    return (p, pc) => {
      const m = r(p);
      if (!(m instanceof MapTerm)) {
        if (f >= 0) return f;
        throw new ErlangError("error", [A.badmap, m]);
      }
      const at = cache?.positions(m) ?? null;
      if (at !== null) {
        for (let i = 0; i < n; i++) tmp[i] = vals[i]!(p);
        w(p, withValuesAt(m, at, tmp));
        return pc + 1;
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
    const known = constKeys(list!);
    const cache = known === null ? null : new KeyIndexCache(known);
    return (p, pc) => {
      const m = r(p) as MapTerm;
      const at = cache?.positions(m) ?? null;
      if (at !== null) {
        // All found: positions are fixed, so writing in order cannot disturb a later read.
        const vs = m.values;
        for (let i = 0; i < outs.length; i++) outs[i]!(p, vs[at[i]!]!);
        return pc + 1;
      } else if (cache !== null) return f;
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
