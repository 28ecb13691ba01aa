/**
 * `~w` / `~tw`: terms on one line, as `io_lib:write/2` prints them. The `~p`
 * family (strings, line breaking) lives in pretty.ts and reuses the atomic
 * pieces exported here.
 */
import { Atom } from "./atom.ts";
import { BitString, readBitsSmall } from "./binary.ts";
import { formatFloatShort } from "./float.ts";
import { MapTerm } from "./map.ts";
import { mapIteratorOrder } from "./map-order.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "./term.ts";
import { formatAtom } from "./text.ts";
import { type TermWriterStyle, writeIteratively } from "./write-iterative.ts";

export { atomNeedsQuotes, formatAtom } from "./text.ts";

/** `pid_to_list/1`: `<0.Id.Serial>` (external pids show 1 for their node). */
export function formatPid(p: Pid): string {
  return `<${p.node ? 1 : 0}.${p.id}.${p.serial}>`;
}

/** `ref_to_list/1`: `#Ref<0.W2.W1.W0>`. */
export function formatRef(r: Ref): string {
  if (r.words.length > 0) {
    const ws = r.words.slice().reverse().join(".");
    return `#Ref<${r.node ? 1 : 0}.${ws}>`;
  }
  const id = r.id;
  const w0 = id & 0x3ffffn;
  const w1 = (id >> 18n) & 0xffffffffn;
  const w2 = (id >> 50n) & 0xffffffffn;
  return `#Ref<0.${w2}.${w1}.${w0}>`;
}

/** `port_to_list/1`. */
export function formatPort(p: Port): string {
  return `#Port<${p.node ? 1 : 0}.${p.id}>`;
}

/** `erlang:fun_to_list/1`. */
export function formatFun(f: Fun | ExportFun): string {
  if (f instanceof ExportFun) {
    return `fun ${formatAtom(f.module.name)}:${formatAtom(f.name.name)}/${f.arity}`;
  }
  return `#Fun<${f.module.name}.${f.index}.${f.uniq}>`;
}

/** `io_lib:write_binary/2`: `<<1,2,3>>`, trailing bits as `Value:Size`. */
export function formatBinaryBytes(b: BitString): string {
  const whole = b.size >>> 3;
  const rest = b.size & 7;
  let s = "<<";
  for (let i = 0; i < whole; i++) s += (i ? "," : "") + b.byteAt(i);
  if (rest) s += `${whole ? "," : ""}${readBitsSmall(b.buf, b.offset + whole * 8, rest)}:${rest}`;
  return `${s}>>`;
}

/**
 * Text of a term that ~p never breaks or shows as a string: numbers, atoms,
 * pids, refs, ports, funs. Returns null for lists, tuples, maps and bitstrings.
 */
export function formatAtomic(t: Term, unicode: boolean): string | null {
  switch (typeof t) {
    case "number":
    case "bigint":
      return String(t);
  }
  if (t instanceof Atom) return formatAtom(t.name, unicode);
  if (t instanceof Float) return formatFloatShort(t.value);
  if (t instanceof Pid) return formatPid(t);
  if (t instanceof Ref) return formatRef(t);
  if (t instanceof Port) return formatPort(t);
  if (t instanceof Fun || t instanceof ExportFun) return formatFun(t);
  return null;
}

/**
 * Nesting the recursive writer may reach before it hands a subterm to the
 * explicit-stack writer: shallow terms stay on the fast path, deep ones cannot
 * overflow the JS stack.
 */
const RECURSION_LIMIT = 500;

/** Appends the one-line form of `t` to `out` (iterative over list tails). */
function write(t: Term, unicode: boolean, out: string[], depth: number): void {
  const atomic = formatAtomic(t, unicode);
  if (atomic !== null) {
    out.push(atomic);
    return;
  }
  if (t === NIL) {
    out.push("[]");
    return;
  }
  if (t instanceof BitString) {
    out.push(formatBinaryBytes(t));
    return;
  }
  if (depth > RECURSION_LIMIT) {
    writeIteratively(t, unicode ? TW_STYLE : W_STYLE, out);
    return;
  }
  depth++;
  if (t instanceof Cons) {
    out.push("[");
    let l: Term = t;
    let first = true;
    while (l instanceof Cons) {
      if (!first) out.push(",");
      write(l.head, unicode, out, depth);
      first = false;
      l = l.tail;
    }
    if (l !== NIL) {
      out.push("|");
      write(l, unicode, out, depth);
    }
    out.push("]");
  } else if (Array.isArray(t)) {
    out.push("{");
    for (let i = 0; i < t.length; i++) {
      if (i) out.push(",");
      write(t[i]!, unicode, out, depth);
    }
    out.push("}");
  } else if (t instanceof MapTerm) {
    out.push("#{");
    const order = mapIteratorOrder(t);
    for (let i = 0; i < order.length; i++) {
      if (i) out.push(",");
      write(t.keys[order[i]!]!, unicode, out, depth);
      out.push(" => ");
      write(t.values[order[i]!]!, unicode, out, depth);
    }
    out.push("}");
  } else {
    throw new TypeError(`not a term: ${String(t)}`);
  }
}

/** `~w`'s leaves, arrow and map order, for the explicit-stack writer. */
function wStyle(unicode: boolean): TermWriterStyle {
  return {
    leaf: (t) =>
      formatAtomic(t, unicode) ??
      (t === NIL ? "[]" : t instanceof BitString ? formatBinaryBytes(t) : null),
    mapArrow: " => ",
    mapOrder: mapIteratorOrder,
  };
}
const W_STYLE = wStyle(false);
const TW_STYLE = wStyle(true);

/** `io_lib:format("~w", [T])`. */
export function formatW(t: Term): string {
  const out: string[] = [];
  write(t, false, out, 0);
  return out.join("");
}

/** `io_lib:format("~tw", [T])`: like {@link formatW} but atoms keep non-latin1 characters. */
export function formatTW(t: Term): string {
  const out: string[] = [];
  write(t, true, out, 0);
  return out.join("");
}
