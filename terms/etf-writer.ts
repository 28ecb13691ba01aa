/**
 * The output side of the ETF encoder: one growing byte buffer and the
 * encodings of every term that has no children (numbers, atoms, binaries,
 * pids, refs, ports, export funs). etf-encode.ts walks containers.
 */
import { A, type Atom } from "./atom.ts";
import type { BitString } from "./binary.ts";
import { Tag } from "./etf-tags.ts";
import { formatFloatScientific } from "./float.ts";
import type { Pid, Port, Ref } from "./term.ts";

const textEncoder = new TextEncoder();

/** The atom's complete encoding (tag, length, text) as OTP 25 writes it. */
function atomBytes(a: Atom, utf8Tags: boolean): Uint8Array {
  const s = a.name;
  let latin1 = !utf8Tags;
  for (let i = 0; latin1 && i < s.length; i++) if (s.charCodeAt(i) > 255) latin1 = false;
  if (latin1) {
    // minor_version 0/1 keep the old latin1 ATOM_EXT whenever the text allows.
    const out = new Uint8Array(3 + s.length);
    out[0] = Tag.ATOM;
    out[1] = s.length >>> 8;
    out[2] = s.length & 0xff;
    for (let i = 0; i < s.length; i++) out[3 + i] = s.charCodeAt(i);
    return out;
  }
  const text = textEncoder.encode(s);
  const small = text.length <= 255;
  const head = small ? 2 : 3;
  const out = new Uint8Array(head + text.length);
  if (small) {
    out[0] = Tag.SMALL_ATOM_UTF8;
    out[1] = text.length;
  } else {
    out[0] = Tag.ATOM_UTF8;
    out[1] = text.length >>> 8;
    out[2] = text.length & 0xff;
  }
  out.set(text, head);
  return out;
}

export class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  constructor(
    /** minor_version 2: SMALL_ATOM_UTF8/ATOM_UTF8 for every atom. */
    readonly utf8Atoms: boolean,
    /** minor_version 0: floats as FLOAT_EXT text. */
    readonly floatText: boolean,
  ) {}

  /** Makes room for `n` more bytes, doubling so appends stay amortised O(1). */
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
    if (this.pos >= this.buf.length) this.reserve(1);
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
    const n = b.length;
    this.reserve(n);
    if (n < 16) {
      // Short copies (most atoms) are cheaper by hand than through set().
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    } else this.buf.set(b, this.pos);
    this.pos += n;
  }

  atom(a: Atom): void {
    if (this.utf8Atoms) this.raw((a.etf2 ??= atomBytes(a, true)));
    else this.raw((a.etf1 ??= atomBytes(a, false)));
  }

  integer(v: number | bigint): void {
    if (typeof v === "number") {
      if (v >= 0 && v <= 255) {
        this.reserve(2);
        this.buf[this.pos++] = Tag.SMALL_INTEGER;
        this.buf[this.pos++] = v;
        return;
      }
      if (v >= -0x80000000 && v <= 0x7fffffff) {
        this.reserve(5);
        this.buf[this.pos++] = Tag.INTEGER;
        this.view.setInt32(this.pos, v);
        this.pos += 4;
        return;
      }
      // Safe integers need at most 7 bytes; this arithmetic is exact below 2^53.
      this.reserve(10);
      let m = Math.abs(v);
      const buf = this.buf;
      buf[this.pos++] = Tag.SMALL_BIG;
      const lenAt = this.pos++;
      buf[this.pos++] = v < 0 ? 1 : 0;
      let n = 0;
      while (m > 0) {
        buf[this.pos++] = m % 256;
        m = Math.floor(m / 256);
        n++;
      }
      buf[lenAt] = n;
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
    this.reserve(9);
    this.buf[this.pos++] = Tag.NEW_FLOAT;
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
    let v = 0;
    for (let i = 0; i < rest; i++) {
      const bit = b.offset + whole * 8 + i;
      v |= ((b.buf[bit >>> 3]! >>> (7 - (bit & 7))) & 1) << (7 - i);
    }
    this.u8(v);
  }

  /** Local terms carry `nonode@nohost` with creation 0, as on a non-distributed node. */
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
