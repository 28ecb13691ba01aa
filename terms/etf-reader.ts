/**
 * Primitive reads for the ETF decoder: bounds-checked integers and byte runs,
 * and the terms that have no children (atoms, bignums, float text, pids,
 * refs). Every failure is an {@link EtfError} carrying the offset.
 */
import { A, type Atom, atom, existingAtom, MAX_ATOM_CHARS } from "./atom.ts";
import { EtfError, Tag } from "./etf-tags.ts";
import { normBig } from "./integer.ts";
import { Float, Pid, Ref, type Term } from "./term.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/*
 * Decoded atoms repeat constantly (record tags, `ok`, map keys), so a small
 * direct-mapped cache from raw bytes to Atom skips building a JS string and
 * probing the atom table on every occurrence.
 */
const CACHE_BITS = 9;
const cacheKey: (Uint8Array | null)[] = new Array(1 << CACHE_BITS).fill(null);
const cacheAtom: (Atom | null)[] = new Array(1 << CACHE_BITS).fill(null);
const cacheUtf8: boolean[] = new Array(1 << CACHE_BITS).fill(false);

function cacheSlot(raw: Uint8Array, isUtf8: boolean): number {
  let h = isUtf8 ? 0x811c9dc5 : 0x01000193;
  for (let i = 0; i < raw.length; i++) h = Math.imul(h ^ raw[i]!, 0x01000193);
  return (h ^ (h >>> 15)) & ((1 << CACHE_BITS) - 1);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The fixed fields of a NEW_FUN_EXT, read before its environment. */
export interface FunHeader {
  arity: number;
  md5: Uint8Array;
  index: number;
  module: Atom;
  oldIndex: number;
  oldUniq: number;
  pid: Pid;
}

/** A cursor over the input with checked reads. */
export class Reader {
  pos: number;
  readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    pos: number,
    readonly safe: boolean,
  ) {
    this.pos = pos;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(msg: string, at = this.pos): never {
    throw new EtfError(msg, at);
  }
  need(n: number): void {
    if (this.buf.length - this.pos < n) this.fail("unexpected end of input");
  }
  u8(): number {
    if (this.pos >= this.buf.length) this.fail("unexpected end of input");
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** Fails unless `count` items of at least `min` bytes each can still follow. */
  count(count: number, min: number): number {
    if (count * min > this.buf.length - this.pos) this.fail("element count exceeds input");
    return count;
  }

  atomText(start: number, len: number, isUtf8: boolean): Atom {
    const raw = this.bytes(len);
    const slot = cacheSlot(raw, isUtf8);
    const key = cacheKey[slot];
    if (key != null && cacheUtf8[slot] === isUtf8 && sameBytes(key, raw)) return cacheAtom[slot]!;
    const a = this.atomFromBytes(start, raw, isUtf8);
    cacheKey[slot] = raw.slice();
    cacheAtom[slot] = a;
    cacheUtf8[slot] = isUtf8;
    return a;
  }

  private atomFromBytes(start: number, raw: Uint8Array, isUtf8: boolean): Atom {
    const len = raw.length;
    let name: string;
    if (isUtf8) {
      let ascii = true;
      for (let i = 0; i < raw.length; i++) if (raw[i]! >= 0x80) ascii = false;
      if (ascii) name = String.fromCharCode.apply(null, raw as unknown as number[]);
      else {
        try {
          name = utf8.decode(raw);
        } catch {
          this.fail("invalid UTF-8 in atom", start);
        }
        if (len > MAX_ATOM_CHARS && [...name].length > MAX_ATOM_CHARS) {
          this.fail("atom too long", start);
        }
      }
    } else {
      if (len > MAX_ATOM_CHARS) this.fail("atom too long", start);
      name = String.fromCharCode.apply(null, raw as unknown as number[]);
    }
    if (this.safe) {
      const a = existingAtom(name);
      if (a === undefined) this.fail("unknown atom in safe mode", start);
      return a;
    }
    return atom(name);
  }

  /** Reads a term that must be an atom (node names, fun modules). */
  atom(): Atom {
    const start = this.pos;
    const tag = this.u8();
    switch (tag) {
      case Tag.ATOM:
        return this.atomText(start, this.u16(), false);
      case Tag.SMALL_ATOM:
        return this.atomText(start, this.u8(), false);
      case Tag.ATOM_UTF8:
        return this.atomText(start, this.u16(), true);
      case Tag.SMALL_ATOM_UTF8:
        return this.atomText(start, this.u8(), true);
    }
    return this.fail("atom expected", start);
  }

  /** Reads a small integer term (fun and export fields). */
  smallInt(): number {
    const start = this.pos;
    const tag = this.u8();
    if (tag === Tag.SMALL_INTEGER) return this.u8();
    if (tag === Tag.INTEGER) return this.i32();
    return this.fail("integer expected", start);
  }

  pid(): Pid {
    const start = this.pos;
    const tag = this.u8();
    if (tag !== Tag.PID && tag !== Tag.NEW_PID) this.fail("pid expected", start);
    return this.pidBody(tag);
  }

  pidBody(tag: number): Pid {
    const node = this.atom();
    const id = this.u32();
    const serial = this.u32();
    const creation = tag === Tag.PID ? this.u8() : this.u32();
    return isLocalNode(node, creation) ? new Pid(id, serial) : new Pid(id, serial, node, creation);
  }

  big(_start: number, n: number): Term {
    // Any non-zero sign byte means negative, as on BEAM.
    const sign = this.u8() !== 0 ? 1 : 0;
    const d = this.bytes(n);
    if (n <= 6) {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + d[i]!;
      return sign && v !== 0 ? -v : v;
    }
    let hex = "";
    for (let i = n - 1; i >= 0; i--) hex += HEX[d[i]!];
    const v = BigInt(`0x${hex}`);
    return normBig(sign ? -v : v);
  }

  floatString(start: number): Float {
    const raw = this.bytes(31);
    let end = raw.indexOf(0);
    if (end < 0) end = 31;
    const text = String.fromCharCode.apply(null, raw.subarray(0, end) as unknown as number[]);
    if (!FLOAT_TEXT.test(text)) this.fail("bad float text", start);
    const v = Number(text);
    if (!Number.isFinite(v)) this.fail("float out of range", start);
    return new Float(v);
  }

  ref(tag: number, start: number): Ref {
    let node: Atom;
    let creation: number;
    let n = 1;
    if (tag === Tag.REFERENCE) {
      node = this.atom();
      const w = this.u32();
      creation = this.u8();
      return makeRef(node, creation, [w]);
    }
    n = this.u16();
    if (n > 5) this.fail("reference too long", start);
    node = this.atom();
    creation = tag === Tag.NEW_REFERENCE ? this.u8() : this.u32();
    const words: number[] = [];
    for (let i = 0; i < n; i++) words.push(this.u32());
    return makeRef(node, creation, words);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const FLOAT_TEXT = /^[+-]?[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?$/;

/** `nonode@nohost` with creation 0: a term of this (non-distributed) node. */
export function isLocalNode(node: Atom, creation: number): boolean {
  return node === A.nonode && creation === 0;
}

/** Packs the words of a local ref the way the VM numbers its refs (see format.ts). */
function makeRef(node: Atom, creation: number, words: number[]): Ref {
  const local = isLocalNode(node, creation);
  if (local && words.length === 3 && words[0]! < 1 << 18) {
    const id = BigInt(words[0]!) | (BigInt(words[1]!) << 18n) | (BigInt(words[2]!) << 50n);
    return new Ref(id, null, [], 0);
  }
  let id = 0n;
  for (let i = words.length - 1; i >= 0; i--) id = (id << 32n) | BigInt(words[i]!);
  return new Ref(id, local ? null : node, words, creation);
}
