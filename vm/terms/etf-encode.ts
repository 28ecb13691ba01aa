/**
 * External Term Format encoder, byte-for-byte what OTP 25's `term_to_binary/1,2`
 * writes: the same tag choices (SMALL_INTEGER/INTEGER/SMALL_BIG/LARGE_BIG,
 * STRING_EXT for byte lists, latin1 ATOM_EXT unless minor_version 2) and
 * the same map pair order (see map-order.ts).
 *
 * One growing output buffer; containers are walked with an explicit stack so
 * deep terms cannot overflow the JS stack.
 */
import { A, Atom } from "./atom.ts";
import { BitString } from "./binary.ts";
import { Tag, VERSION_MAGIC } from "./etf-tags.ts";
import { formatFloatScientific } from "./float.ts";
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

/** Marks where a NEW_FUN_EXT's size field must be patched once its env is written. */
class PatchFunSize {
  constructor(readonly at: number) {}
}

type Work = Term | PatchFunSize;

const latin1Cache = new Map<Atom, Uint8Array | null>();
const utf8Cache = new Map<Atom, Uint8Array>();
const textEncoder = new TextEncoder();

function atomUtf8(a: Atom): Uint8Array {
  let b = utf8Cache.get(a);
  if (b === undefined) {
    b = textEncoder.encode(a.name);
    utf8Cache.set(a, b);
  }
  return b;
}

/** The atom's latin1 bytes, or null if a character is above U+00FF. */
function atomLatin1(a: Atom): Uint8Array | null {
  let b = latin1Cache.get(a);
  if (b === undefined) {
    const s = a.name;
    b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) {
        b = null;
        break;
      }
      b[i] = c;
    }
    latin1Cache.set(a, b);
  }
  return b;
}

class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  constructor(
    readonly utf8Atoms: boolean,
    readonly floatText: boolean,
  ) {}

  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }
  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  atom(a: Atom): void {
    if (!this.utf8Atoms) {
      const l = atomLatin1(a);
      if (l !== null) {
        this.u8(Tag.ATOM);
        this.u16(l.length);
        this.raw(l);
        return;
      }
    }
    const b = atomUtf8(a);
    if (b.length <= 255) {
      this.u8(Tag.SMALL_ATOM_UTF8);
      this.u8(b.length);
    } else {
      this.u8(Tag.ATOM_UTF8);
      this.u16(b.length);
    }
    this.raw(b);
  }

  integer(v: number | bigint): void {
    if (typeof v === "number") {
      if (v >= 0 && v <= 255) {
        this.u8(Tag.SMALL_INTEGER);
        this.u8(v);
        return;
      }
      if (v >= -0x80000000 && v <= 0x7fffffff) {
        this.u8(Tag.INTEGER);
        this.reserve(4);
        this.view.setInt32(this.pos, v);
        this.pos += 4;
        return;
      }
      // Safe integers need at most 7 bytes; the arithmetic below is exact.
      let m = Math.abs(v);
      this.u8(Tag.SMALL_BIG);
      const lenAt = this.pos;
      this.u8(0);
      this.u8(v < 0 ? 1 : 0);
      let n = 0;
      while (m > 0) {
        this.u8(m % 256);
        m = Math.floor(m / 256);
        n++;
      }
      this.buf[lenAt] = n;
      return;
    }
    const neg = v < 0n;
    let hex = (neg ? -v : v).toString(16);
    if (hex.length & 1) hex = `0${hex}`;
    const n = hex.length >>> 1;
    if (n <= 255) {
      this.u8(Tag.SMALL_BIG);
      this.u8(n);
    } else {
      this.u8(Tag.LARGE_BIG);
      this.u32(n);
    }
    this.u8(neg ? 1 : 0);
    this.reserve(n);
    // Little-endian digits: walk the big-endian hex from its end.
    for (let i = 0, j = hex.length - 2; i < n; i++, j -= 2) {
      this.buf[this.pos++] = Number.parseInt(hex.slice(j, j + 2), 16);
    }
  }

  float(v: number): void {
    if (this.floatText) {
      this.u8(Tag.FLOAT);
      this.reserve(31);
      const text = formatFloatScientific(v, 20);
      for (let i = 0; i < 31; i++)
        this.buf[this.pos + i] = i < text.length ? text.charCodeAt(i) : 0;
      this.pos += 31;
      return;
    }
    this.u8(Tag.NEW_FLOAT);
    this.reserve(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  bits(b: BitString): void {
    const whole = b.size >>> 3;
    const rest = b.size & 7;
    if (rest === 0) {
      this.u8(Tag.BINARY);
      this.u32(whole);
      this.raw(b.bytes());
      return;
    }
    this.u8(Tag.BIT_BINARY);
    this.u32(whole + 1);
    this.u8(rest);
    this.raw(b.bytes());
    // The trailing bits go in the high end of one last byte, zero-padded.
    const tail = b.slice(whole * 8, rest);
    let v = 0;
    for (let i = 0; i < rest; i++) {
      const bit = tail.offset + i;
      v |= ((tail.buf[bit >>> 3]! >>> (7 - (bit & 7))) & 1) << (7 - i);
    }
    this.u8(v);
  }

  node(n: Atom | null): void {
    this.atom(n ?? A.nonode);
  }

  pid(p: Pid): void {
    this.u8(Tag.NEW_PID);
    this.node(p.node);
    this.u32(p.id);
    this.u32(p.serial);
    this.u32(p.node ? p.creation : 0);
  }

  ref(r: Ref): void {
    const words =
      r.words.length > 0
        ? r.words
        : [
            Number(r.id & 0x3ffffn),
            Number((r.id >> 18n) & 0xffffffffn),
            Number((r.id >> 50n) & 0xffffffffn),
          ];
    this.u8(Tag.NEWER_REFERENCE);
    this.u16(words.length);
    this.node(r.node);
    this.u32(r.node ? r.creation : 0);
    for (const w of words) this.u32(w);
  }

  port(p: Port): void {
    if (p.id <= 0xffffffffn) {
      this.u8(Tag.NEW_PORT);
      this.node(p.node);
      this.u32(Number(p.id));
    } else {
      this.u8(Tag.V4_PORT);
      this.node(p.node);
      this.reserve(8);
      this.view.setBigUint64(this.pos, p.id);
      this.pos += 8;
    }
    this.u32(p.node ? p.creation : 0);
  }
}

/** Length of `l` if it is a proper list of 1..65535 bytes (STRING_EXT), else -1. */
function byteStringLength(l: Cons): number {
  let n = 0;
  let t: Term = l;
  while (t instanceof Cons) {
    const h = t.head;
    if (typeof h !== "number" || h < 0 || h > 255 || ++n > 0xffff) return -1;
    t = t.tail;
  }
  return t === NIL ? n : -1;
}

function encodeBody(w: Writer, root: Term): void {
  const stack: Work[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (typeof t === "number" || typeof t === "bigint") {
      w.integer(t);
    } else if (t instanceof Atom) {
      w.atom(t);
    } else if (t instanceof Cons) {
      const n = byteStringLength(t);
      if (n > 0) {
        w.u8(Tag.STRING);
        w.u16(n);
        w.reserve(n);
        for (let c: Term = t; c instanceof Cons; c = c.tail) w.buf[w.pos++] = c.head as number;
        continue;
      }
      // LIST_EXT: count, elements, tail. Push in reverse so they pop in order.
      let count = 0;
      let c: Term = t;
      for (; c instanceof Cons; c = c.tail) count++;
      w.u8(Tag.LIST);
      w.u32(count);
      stack.push(c);
      const base = stack.length;
      stack.length = base + count;
      let i = base + count - 1;
      for (let e: Term = t; e instanceof Cons; e = e.tail) stack[i--] = e.head;
    } else if (t === NIL) {
      w.u8(Tag.NIL);
    } else if (Array.isArray(t)) {
      const n = t.length;
      if (n <= 255) {
        w.u8(Tag.SMALL_TUPLE);
        w.u8(n);
      } else {
        w.u8(Tag.LARGE_TUPLE);
        w.u32(n);
      }
      for (let i = n - 1; i >= 0; i--) stack.push(t[i]!);
    } else if (t instanceof Float) {
      w.float(t.value);
    } else if (t instanceof BitString) {
      w.bits(t);
    } else if (t instanceof MapTerm) {
      w.u8(Tag.MAP);
      w.u32(t.size);
      const order = mapListOrder(t);
      for (let i = order.length - 1; i >= 0; i--) {
        const k = order[i]!;
        stack.push(t.values[k]!);
        stack.push(t.keys[k]!);
      }
    } else if (t instanceof Pid) {
      w.pid(t);
    } else if (t instanceof Ref) {
      w.ref(t);
    } else if (t instanceof Port) {
      w.port(t);
    } else if (t instanceof ExportFun) {
      w.u8(Tag.EXPORT);
      w.atom(t.module);
      w.atom(t.name);
      w.integer(t.arity);
    } else if (t instanceof Fun) {
      const start = w.pos;
      w.u8(Tag.NEW_FUN);
      w.u32(0);
      w.u8(t.arity);
      w.raw(t.md5 ?? ZERO_MD5);
      w.u32(t.index);
      w.u32(t.env.length);
      w.atom(t.module);
      w.integer(t.index);
      w.integer(t.uniq);
      w.pid(t.pid ?? NO_PID);
      stack.push(new PatchFunSize(start));
      for (let i = t.env.length - 1; i >= 0; i--) stack.push(t.env[i]!);
    } else if (t instanceof PatchFunSize) {
      w.view.setUint32(t.at + 1, w.pos - t.at - 1);
    } else {
      throw new TypeError(`not a term: ${String(t)}`);
    }
  }
}

const ZERO_MD5 = new Uint8Array(16);
const NO_PID = new Pid(0, 0);

/**
 * `term_to_binary(Term, Opts)`: the external format of `term`, starting with
 * the version byte 131. Same bytes as OTP 25 for the same term and options.
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
