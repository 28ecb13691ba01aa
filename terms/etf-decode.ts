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
import { A } from "./atom.ts";
import { BitString } from "./binary.ts";
import { compareExact } from "./compare.ts";
import { type FunHeader, isLocalNode, Reader } from "./etf-reader.ts";
import { EtfError, Tag, VERSION_MAGIC } from "./etf-tags.ts";
import { MapTerm } from "./map.ts";
import { Cons, ExportFun, Float, Fun, NIL, Port, type Term } from "./term.ts";

/** Options for {@link decodeExternalTerm}. */
export interface DecodeOptions {
  /** Like `binary_to_term(B, [safe])`: refuse to create atoms that do not exist yet. */
  safe?: boolean;
  /** Upper bound for the inflated size of a compressed term (default 256 MiB). */
  maxInflatedSize?: number;
}

/** Default ceiling on decompressed output, whatever the header claims. */
export const DEFAULT_MAX_INFLATED = 256 * 1024 * 1024;

enum Kind {
  Tuple,
  List,
  ListTail,
  Map,
  FunEnv,
}

/** A container being filled: its children arrive one by one in step 2 of decodeBody. */
class Frame {
  /** Tuple elements, map keys and values interleaved, or a fun's environment. */
  readonly items: Term[];
  filled = 0;
  /** For lists: first and last cell built so far. */
  first: Cons | null = null;
  last: Cons | null = null;
  /** For funs: the fixed fields read before the environment. */
  fun: FunHeader | null = null;
  constructor(
    public kind: Kind,
    /** Children still to come. */
    public left: number,
    readonly start: number,
  ) {
    this.items = kind === Kind.List || kind === Kind.ListTail ? NO_ITEMS : new Array(left);
  }
}

const NO_ITEMS: Term[] = [];

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
        // A copy (Uint8Array.from, not .slice(): on a Buffer that is a view),
        // since the last byte is masked below and the input must stay intact.
        const b = Uint8Array.from(r.bytes(len));
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
        stack.push(new Frame(Kind.Tuple, n, start));
        continue;
      }
      case Tag.LIST: {
        const n = r.count(r.u32() + 1, 1) - 1; // n elements and a tail, each at least a byte
        stack.push(new Frame(n === 0 ? Kind.ListTail : Kind.List, n, start));
        continue;
      }
      case Tag.MAP: {
        const n = r.count(r.u32(), 2);
        if (n === 0) {
          value = new MapTerm([], []);
          break;
        }
        stack.push(new Frame(Kind.Map, n * 2, start));
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
        if (r.count(numFree, 1) === 0) {
          value = makeFun(header, []);
          break;
        }
        const f = new Frame(Kind.FunEnv, numFree, start);
        f.fun = header;
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
          top.items[top.filled++] = value;
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
          throw new EtfError(`${e.reason} at inflated byte ${e.offset}`, offset);
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
