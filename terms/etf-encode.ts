/**
 * External Term Format encoder, byte-for-byte what OTP 25's `term_to_binary/1,2`
 * writes: the same tag choices (SMALL_INTEGER/INTEGER/SMALL_BIG/LARGE_BIG,
 * STRING_EXT for byte lists, latin1 ATOM_EXT unless minor_version 2) and
 * the same map pair order (see map-order.ts).
 *
 * The walk is iterative: a container writes its header, then its children
 * in order; childless terms are written on the spot and only a compound
 * child suspends the container (a cursor on an explicit stack remembers
 * where to resume). Deep terms cannot overflow the JS stack, and wide ones
 * cost no per-element allocation.
 */
import { Atom } from "./atom.ts";
import { BitString } from "./binary.ts";
import { Tag, VERSION_MAGIC } from "./etf-tags.ts";
import { Writer } from "./etf-writer.ts";
import { MapTerm } from "./map.ts";
import { mapListOrder } from "./map-order.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "./term.ts";
import { zlibCompress } from "./zlib-deflate.ts";

/** Options for {@link encodeExternalTerm}, mirroring `term_to_binary/2`. */
export interface EncodeOptions {
  /** 0: floats as FLOAT_EXT text; 1 (default): NEW_FLOAT_EXT; 2: also UTF-8 atom tags. */
  minorVersion?: 0 | 1 | 2;
  /** `compressed` (level 6) or `{compressed, Level}` with Level 0..9. */
  compressed?: boolean | number;
}

/** Resume point in a tuple or a fun's environment. */
class ArrayCursor {
  constructor(
    readonly items: readonly Term[],
    public i: number,
    /** For a fun's environment: where its NEW_FUN_EXT starts, to patch the size. */
    readonly funStart = -1,
  ) {}
}
/** Resume point in a list: the next cell, or the tail once past the last cell. */
class ListCursor {
  /** Set once the tail has been handed out. */
  done = false;
  constructor(public cell: Term) {}
}
/** Resume point in a map: `i` counts keys and values (even = key). */
class MapCursor {
  constructor(
    readonly m: MapTerm,
    readonly order: ArrayLike<number>,
    public i: number,
  ) {}
}

type Cursor = ArrayCursor | ListCursor | MapCursor;

const ZERO_MD5 = new Uint8Array(16);
const NO_PID = new Pid(0, 0);

/** Writes `t` if it has no children; false for lists, tuples, maps and local funs. */
function writeLeaf(w: Writer, t: Term): boolean {
  // Most frequent kinds first; containers bail out early.
  if (typeof t === "number") w.integer(t);
  else if (t instanceof Atom) w.atom(t);
  else if (Array.isArray(t)) return false;
  else if (t instanceof Cons) return writeString(w, t);
  else if (t === NIL) w.u8(Tag.NIL);
  else if (t instanceof BitString) w.bits(t);
  else if (t instanceof Float) w.float(t.value);
  else if (t instanceof MapTerm || t instanceof Fun) return false;
  else if (typeof t === "bigint") w.integer(t);
  else if (t instanceof Pid) w.pid(t);
  else if (t instanceof Ref) w.ref(t);
  else if (t instanceof Port) w.port(t);
  else if (t instanceof ExportFun) {
    w.u8(Tag.EXPORT);
    w.atom(t.module);
    w.atom(t.name);
    w.integer(t.arity);
  } else throw new TypeError(`not a term: ${String(t)}`);
  return true;
}

/** STRING_EXT for a proper list of 1..65535 bytes; false (nothing written) otherwise. */
function writeString(w: Writer, l: Cons): boolean {
  let n = 0;
  let t: Term = l;
  while (t instanceof Cons) {
    const h = t.head;
    if (typeof h !== "number" || h < 0 || h > 255 || ++n > 0xffff) return false;
    t = t.tail;
  }
  if (t !== NIL) return false;
  w.u8(Tag.STRING);
  w.u16(n);
  w.reserve(n);
  const buf = w.buf;
  for (let c: Term = l; c instanceof Cons; c = c.tail) buf[w.pos++] = c.head as number;
  return true;
}

/**
 * Writes a container's header and as many leading childless children as it
 * can. Returns a cursor positioned at the first compound child, or null when
 * the container was written completely (the common case, with no allocation).
 */
function openContainer(w: Writer, t: Term): Cursor | null {
  if (t instanceof Cons) {
    let count = 0;
    for (let c: Term = t; c instanceof Cons; c = c.tail) count++;
    w.u8(Tag.LIST);
    w.u32(count);
    let c: Term = t;
    for (; c instanceof Cons; c = c.tail) if (!writeLeaf(w, c.head)) return new ListCursor(c);
    return writeLeaf(w, c) ? null : new ListCursor(c);
  }
  if (Array.isArray(t)) {
    if (t.length <= 255) {
      w.u8(Tag.SMALL_TUPLE);
      w.u8(t.length);
    } else {
      w.u8(Tag.LARGE_TUPLE);
      w.u32(t.length);
    }
    for (let i = 0; i < t.length; i++) if (!writeLeaf(w, t[i]!)) return new ArrayCursor(t, i);
    return null;
  }
  if (t instanceof MapTerm) {
    w.u8(Tag.MAP);
    w.u32(t.size);
    const c = new MapCursor(t, mapListOrder(t), 0);
    return advance(w, c, true) ? c : null;
  }
  const f = t as Fun;
  const start = w.pos;
  w.u8(Tag.NEW_FUN);
  w.u32(0); // size, patched when the environment is done
  w.u8(f.arity);
  w.raw(f.md5 ?? ZERO_MD5);
  w.u32(f.index);
  w.u32(f.env.length);
  w.atom(f.module);
  w.integer(f.index);
  w.integer(f.uniq);
  w.pid(f.pid ?? NO_PID);
  const c = new ArrayCursor(f.env, 0, start);
  return advance(w, c, true) ? c : null;
}

/**
 * Advances `c`, writing childless children in place. Returns the first
 * compound child (with `c` left just past it) or null when `c` is finished.
 * With `peek`, stops *at* the compound child instead, for openContainer.
 */
function advance(w: Writer, c: Cursor, peek = false): Term | null {
  const back = peek ? 1 : 0;
  if (c instanceof ListCursor) {
    if (c.done) return null;
    for (;;) {
      const cell = c.cell;
      if (!(cell instanceof Cons)) {
        // The tail ([] or an improper tail) is the last child.
        if (writeLeaf(w, cell)) {
          c.done = true;
          return null;
        }
        c.done = !peek;
        return cell;
      }
      if (!writeLeaf(w, cell.head)) {
        if (!peek) c.cell = cell.tail;
        return cell.head;
      }
      c.cell = cell.tail;
    }
  }
  if (c instanceof ArrayCursor) {
    const items = c.items;
    while (c.i < items.length) {
      const e = items[c.i++]!;
      if (!writeLeaf(w, e)) {
        c.i -= back;
        return e;
      }
    }
    // A fun's environment is complete: its size field can be filled in now.
    if (c.funStart >= 0) w.view.setUint32(c.funStart + 1, w.pos - c.funStart - 1);
    return null;
  }
  const { m, order } = c;
  const end = order.length * 2;
  while (c.i < end) {
    const k = order[c.i >>> 1]!;
    const e = (c.i & 1) === 0 ? m.keys[k]! : m.values[k]!;
    c.i++;
    if (!writeLeaf(w, e)) {
      c.i -= back;
      return e;
    }
  }
  return null;
}

function encodeBody(w: Writer, root: Term): void {
  if (writeLeaf(w, root)) return;
  let cur = openContainer(w, root);
  if (cur === null) return;
  const stack: Cursor[] = [];
  for (;;) {
    const child = advance(w, cur);
    if (child !== null) {
      const inner = openContainer(w, child);
      if (inner !== null) {
        stack.push(cur);
        cur = inner;
      }
      continue;
    }
    const next = stack.pop();
    if (next === undefined) return;
    cur = next;
  }
}

/**
 * `term_to_binary(Term, Opts)`: the external format of `term`, starting with
 * the version byte 131. Same bytes as OTP 25 for the same term and options
 * (compressed output needs the system zlib; see zlib-deflate.ts).
 */
export function encodeExternalTerm(term: Term, opts?: EncodeOptions): Uint8Array {
  const minor = opts?.minorVersion ?? 1;
  const w = new Writer(minor >= 2, minor === 0);
  w.u8(VERSION_MAGIC);
  encodeBody(w, term);
  const plain = w.buf.subarray(0, w.pos);
  const c = opts?.compressed;
  if (c === undefined || c === false || c === 0) return plain.slice();
  const level = c === true ? 6 : c;
  const body = plain.subarray(1);
  const z = zlibCompress(body, level);
  // OTP compresses into a buffer of the plain size minus 5 and keeps the plain
  // form only when the result does not fit, so a tie goes to compressed.
  if (6 + z.length > plain.length) return plain.slice();
  const out = new Uint8Array(6 + z.length);
  out[0] = VERSION_MAGIC;
  out[1] = Tag.COMPRESSED;
  new DataView(out.buffer).setUint32(2, body.length);
  out.set(z, 6);
  return out;
}
