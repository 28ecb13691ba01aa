/**
 * External Term Format decoder (`binary_to_term`, literal tables).
 *
 * Iterative: containers push a frame on an explicit stack instead of
 * recursing, so deeply nested input cannot overflow the JS stack. Every count
 * read from the input is checked against the bytes that remain before
 * anything is allocated (each element needs at least one byte), so hostile
 * input cannot make us allocate more than a small multiple of its own size.
 */
import { inflateSync } from "node:zlib";
import { A, type Atom, atom, existingAtom, MAX_ATOM_CHARS } from "./atom.ts";
import { BitString } from "./binary.ts";
import { compareExact } from "./compare.ts";
import { EtfError, Tag, VERSION_MAGIC } from "./etf-tags.ts";
import { normBig } from "./integer.ts";
import { MapTerm } from "./map.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Port, Ref, type Term } from "./term.ts";

/** Options for {@link decodeExternalTerm}. */
export interface DecodeOptions {
  /** Like `binary_to_term(B, [safe])`: refuse to create atoms that do not exist yet. */
  safe?: boolean;
  /** Upper bound for the inflated size of a compressed term (default 256 MiB). */
  maxInflatedSize?: number;
}

/** Default ceiling on decompressed output, whatever the header claims. */
export const DEFAULT_MAX_INFLATED = 256 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

enum Kind {
  Tuple,
  List,
  ListTail,
  Map,
  FunEnv,
}

interface Frame {
  kind: Kind;
  /** Elements still to read. */
  left: number;
  /** Tuple elements, map keys+values interleaved, or fun env. */
  items: Term[];
  /** For lists: first and last cell. */
  first: Cons | null;
  last: Cons | null;
  /** For funs: the fun's fixed fields. */
  fun: FunHeader | null;
  start: number;
}

interface FunHeader {
  arity: number;
  md5: Uint8Array;
  index: number;
  module: Atom;
  oldIndex: number;
  oldUniq: number;
  pid: Pid;
}

class Reader {
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

  big(start: number, n: number): Term {
    const sign = this.u8();
    if (sign > 1) this.fail("bad bignum sign", start);
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

function isLocalNode(node: Atom, creation: number): boolean {
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

function newFrame(kind: Kind, left: number, start: number): Frame {
  return { kind, left, items: [], first: null, last: null, fun: null, start };
}

/**
 * Decodes one term starting at `pos` (just after the version byte).
 * Returns the term; `r.pos` is left just after it.
 */
function decodeBody(r: Reader): Term {
  const stack: Frame[] = [];
  for (;;) {
    // 1. Read one term; containers push a frame and `continue` to read children.
    const start = r.pos;
    const tag = r.u8();
    let value: Term;
    switch (tag) {
      case Tag.SMALL_INTEGER:
        value = r.u8();
        break;
      case Tag.INTEGER:
        value = r.i32();
        break;
      case Tag.SMALL_BIG:
        value = r.big(start, r.u8());
        break;
      case Tag.LARGE_BIG:
        value = r.big(start, r.count(r.u32(), 1));
        break;
      case Tag.NEW_FLOAT: {
        r.need(8);
        const v = r.view.getFloat64(r.pos);
        r.pos += 8;
        if (!Number.isFinite(v)) r.fail("non-finite float", start);
        value = new Float(v);
        break;
      }
      case Tag.FLOAT:
        value = r.floatString(start);
        break;
      case Tag.ATOM:
        value = r.atomText(start, r.u16(), false);
        break;
      case Tag.SMALL_ATOM:
        value = r.atomText(start, r.u8(), false);
        break;
      case Tag.ATOM_UTF8:
        value = r.atomText(start, r.u16(), true);
        break;
      case Tag.SMALL_ATOM_UTF8:
        value = r.atomText(start, r.u8(), true);
        break;
      case Tag.NIL:
        value = NIL;
        break;
      case Tag.STRING: {
        const b = r.bytes(r.u16());
        let l: Term = NIL;
        for (let i = b.length - 1; i >= 0; i--) l = new Cons(b[i]!, l);
        value = l;
        break;
      }
      case Tag.BINARY: {
        const b = r.bytes(r.u32());
        value = new BitString(b.slice(), 0, b.length * 8);
        break;
      }
      case Tag.BIT_BINARY: {
        const len = r.u32();
        const bits = r.u8();
        if (len === 0 ? bits !== 0 : bits < 1 || bits > 8) r.fail("bad bit count", start);
        const b = r.bytes(len).slice();
        // Clear the unused low bits of the last byte so equal bitstrings have equal bytes.
        if (len > 0) b[len - 1] = b[len - 1]! & (0xff << (8 - bits));
        value = new BitString(b, 0, len === 0 ? 0 : (len - 1) * 8 + bits);
        break;
      }
      case Tag.SMALL_TUPLE:
      case Tag.LARGE_TUPLE: {
        const n = r.count(tag === Tag.SMALL_TUPLE ? r.u8() : r.u32(), 1);
        if (n === 0) {
          value = [];
          break;
        }
        stack.push(newFrame(Kind.Tuple, n, start));
        continue;
      }
      case Tag.LIST: {
        const n = r.count(r.u32() + 1, 1) - 1; // n elements and a tail, each at least a byte
        stack.push(newFrame(n === 0 ? Kind.ListTail : Kind.List, n, start));
        continue;
      }
      case Tag.MAP: {
        const n = r.count(r.u32(), 2);
        if (n === 0) {
          value = new MapTerm([], []);
          break;
        }
        stack.push(newFrame(Kind.Map, n * 2, start));
        continue;
      }
      case Tag.PID:
      case Tag.NEW_PID:
        value = r.pidBody(tag);
        break;
      case Tag.REFERENCE:
      case Tag.NEW_REFERENCE:
      case Tag.NEWER_REFERENCE:
        value = r.ref(tag, start);
        break;
      case Tag.PORT:
      case Tag.NEW_PORT:
      case Tag.V4_PORT: {
        const node = r.atom();
        let id: bigint;
        if (tag === Tag.V4_PORT) {
          r.need(8);
          id = r.view.getBigUint64(r.pos);
          r.pos += 8;
        } else id = BigInt(r.u32());
        const creation = tag === Tag.PORT ? r.u8() : r.u32();
        value = isLocalNode(node, creation) ? new Port(id) : new Port(id, node, creation);
        break;
      }
      case Tag.EXPORT: {
        const m = r.atom();
        const f = r.atom();
        const arity = r.smallInt();
        if (arity < 0 || arity > 255) r.fail("bad arity", start);
        value = new ExportFun(m, f, arity);
        break;
      }
      case Tag.NEW_FUN: {
        const size = r.u32();
        if (size < 4 || size - 4 > r.buf.length - r.pos) r.fail("bad fun size", start);
        const arity = r.u8();
        const md5 = r.bytes(16).slice();
        const index = r.u32();
        const numFree = r.u32();
        const module = r.atom();
        const oldIndex = r.smallInt();
        const oldUniq = r.smallInt();
        const pid = r.pid();
        const header: FunHeader = { arity, md5, index, module, oldIndex, oldUniq, pid };
        const f = newFrame(Kind.FunEnv, r.count(numFree, 1), start);
        f.fun = header;
        if (numFree === 0) {
          value = makeFun(header, []);
          break;
        }
        stack.push(f);
        continue;
      }
      case Tag.LOCAL:
        return r.fail("LOCAL_EXT needs the encoding node's hash; not supported", start);
      case Tag.COMPRESSED:
        return r.fail("compressed term nested inside a term", start);
      default:
        return r.fail(`unknown tag ${tag}`, start);
    }

    // 2. Deliver `value` to enclosing frames, closing every frame it completes.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return value;
      switch (top.kind) {
        case Kind.List: {
          const cell = new Cons(value, NIL);
          if (top.last === null) top.first = cell;
          else top.last.tail = cell;
          top.last = cell;
          if (--top.left === 0) top.kind = Kind.ListTail;
          break;
        }
        case Kind.ListTail:
          stack.pop();
          if (top.last === null) {
            // LIST_EXT with no elements decodes to its tail, as in OTP.
            continue;
          }
          top.last.tail = value;
          value = top.first!;
          continue;
        default:
          top.items.push(value);
          if (--top.left === 0) {
            stack.pop();
            value = closeFrame(r, top);
            continue;
          }
      }
      break;
    }
  }
}

function makeFun(h: FunHeader, env: Term[]): Fun {
  // ETF carries no function name; the VM resolves the code by module + index.
  return new Fun(h.module, A.undefined, h.arity, h.index, h.oldUniq, env, h.oldUniq, h.pid, h.md5);
}

function closeFrame(r: Reader, f: Frame): Term {
  switch (f.kind) {
    case Kind.Tuple:
      return f.items;
    case Kind.FunEnv:
      return makeFun(f.fun!, f.items);
    default:
      return buildMap(r, f.items, f.start);
  }
}

/** Map pairs arrive in the encoder's order; sort into key order, rejecting duplicates. */
function buildMap(r: Reader, kv: Term[], start: number): MapTerm {
  const n = kv.length >>> 1;
  const keys: Term[] = new Array(n);
  const values: Term[] = new Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    keys[i] = kv[2 * i]!;
    values[i] = kv[2 * i + 1]!;
    if (i > 0 && sorted && compareExact(keys[i - 1]!, keys[i]!) >= 0) sorted = false;
  }
  if (sorted) return new MapTerm(keys, values);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => compareExact(keys[a]!, keys[b]!));
  const ks: Term[] = new Array(n);
  const vs: Term[] = new Array(n);
  for (let i = 0; i < n; i++) {
    ks[i] = keys[order[i]!]!;
    vs[i] = values[order[i]!]!;
    if (i > 0 && compareExact(ks[i - 1]!, ks[i]!) === 0) r.fail("duplicate map key", start);
  }
  return new MapTerm(ks, vs);
}

function inflate(r: Reader, max: number): Uint8Array {
  const start = r.pos - 1;
  const declared = r.u32();
  if (declared > max) r.fail("declared uncompressed size too large", start);
  let out: Uint8Array;
  try {
    // maxOutputLength stops inflation as soon as the declared size is exceeded.
    out = inflateSync(r.buf.subarray(r.pos), { maxOutputLength: Math.max(declared, 1) });
  } catch {
    return r.fail("bad compressed data", start);
  }
  if (out.length !== declared) r.fail("compressed size mismatch", start);
  r.pos = r.buf.length;
  return out;
}

/**
 * Decodes a complete external term: version byte 131, then the term
 * (possibly compressed). Trailing bytes are ignored, as `binary_to_term` does.
 * @throws EtfError on any malformed input.
 */
export function decodeExternalTerm(bytes: Uint8Array, opts?: DecodeOptions): Term {
  return decodeExternalTermAt(bytes, 0, opts).term;
}

/**
 * Decodes a term at `offset` (which must hold the version byte) and reports
 * where it ended (`binary_to_term(B, [used])`). For a compressed term `end`
 * is the end of the input.
 * @throws EtfError on any malformed input.
 */
export function decodeExternalTermAt(
  bytes: Uint8Array,
  offset: number,
  opts?: DecodeOptions,
): { term: Term; end: number } {
  const safe = opts?.safe ?? false;
  const r = new Reader(bytes, offset, safe);
  try {
    if (r.u8() !== VERSION_MAGIC) r.fail("bad version byte", offset);
    if (r.pos < bytes.length && bytes[r.pos] === Tag.COMPRESSED) {
      r.pos++;
      const raw = inflate(r, opts?.maxInflatedSize ?? DEFAULT_MAX_INFLATED);
      const inner = new Reader(raw, 0, safe);
      try {
        return { term: decodeBody(inner), end: bytes.length };
      } catch (e) {
        if (e instanceof EtfError) {
          throw new EtfError(`${e.message} (inflated offset ${e.offset})`, offset);
        }
        throw e;
      }
    }
    const term = decodeBody(r);
    return { term, end: r.pos };
  } catch (e) {
    if (e instanceof EtfError) throw e;
    // Defensive: anything else (an engine limit such as BigInt size) is still bad input.
    throw new EtfError(e instanceof Error ? e.message : String(e), r.pos);
  }
}
