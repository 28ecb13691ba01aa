/**
 * Chardata: what `unicode`, `string`, `io` and `io_lib` accept as text. A
 * chardata is a binary (UTF-8 unless said otherwise) or a possibly deep list
 * of code points, binaries and lists, whose tail may be a binary.
 *
 * The walker here decodes chardata into code points and, when it meets a bad
 * element, reports where it stopped with the "rest" term shaped as OTP's
 * `unicode:characters_to_*` returns it: at the failing level the rest is the
 * remaining list from the bad element (or the remaining bytes of a binary);
 * each enclosing list wraps it as `[InnerRest | RemainingTail]`.
 */
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg } from "./util.ts";

/** How bytes (in binaries) and integers (in lists) are to be read. */
export type InEncoding = "latin1" | "utf8" | "utf16be" | "utf16le" | "utf32be" | "utf32le";

/** Why decoding stopped early, with the unconverted rest as OTP shapes it. */
export interface DecodeStop {
  readonly kind: "error" | "incomplete";
  readonly rest: Term;
}

export interface Decoded {
  readonly cps: number[];
  readonly stop: DecodeStop | null;
}

/** Whether `c` is a valid Unicode scalar value (not a surrogate). */
export function isScalar(c: number): boolean {
  return c >= 0 && c <= 0x10ffff && (c < 0xd800 || c > 0xdfff);
}

/** Result of decoding the bytes of one binary. */
export interface BinDecode {
  /** Bytes consumed (whole characters only). */
  used: number;
  /** "error" when a byte is invalid, "incomplete" when the bytes end mid-character. */
  stop: "error" | "incomplete" | null;
}

function utf8Decode(b: Uint8Array, out: number[]): BinDecode {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      out.push(c);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      cp = c & 0x1f;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      cp = c & 0x0f;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      cp = c & 0x07;
      min = 0x10000;
    } else return { used: i, stop: "error" };
    let j = 1;
    for (; j <= need; j++) {
      if (i + j >= n) return { used: i, stop: "incomplete" };
      const cc = b[i + j]!;
      if ((cc & 0xc0) !== 0x80) return { used: i, stop: "error" };
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || !isScalar(cp)) return { used: i, stop: "error" };
    out.push(cp);
    i += need + 1;
  }
  return { used: i, stop: null };
}

function utf16Decode(b: Uint8Array, little: boolean, out: number[]): BinDecode {
  let i = 0;
  const rd = (k: number) => (little ? b[k]! | (b[k + 1]! << 8) : (b[k]! << 8) | b[k + 1]!);
  while (i < b.length) {
    if (i + 2 > b.length) return { used: i, stop: "incomplete" };
    const u = rd(i);
    if (u >= 0xdc00 && u <= 0xdfff) return { used: i, stop: "error" };
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 4 > b.length) return { used: i, stop: "incomplete" };
      const lo = rd(i + 2);
      if (lo < 0xdc00 || lo > 0xdfff) return { used: i, stop: "error" };
      out.push(0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
      i += 4;
    } else {
      out.push(u);
      i += 2;
    }
  }
  return { used: i, stop: null };
}

function utf32Decode(b: Uint8Array, little: boolean, out: number[]): BinDecode {
  let i = 0;
  while (i < b.length) {
    if (i + 4 > b.length) return { used: i, stop: "incomplete" };
    const v = little
      ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
      : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
    if (!isScalar(v)) return { used: i, stop: "error" };
    out.push(v);
    i += 4;
  }
  return { used: i, stop: null };
}

/** Decodes one binary's bytes into `out`; says how many bytes whole characters used and why it stopped. */
export function decodeBytes(b: Uint8Array, enc: InEncoding, out: number[]): BinDecode {
  switch (enc) {
    case "latin1":
      for (const c of b) out.push(c);
      return { used: b.length, stop: null };
    case "utf8":
      return utf8Decode(b, out);
    case "utf16be":
      return utf16Decode(b, false, out);
    case "utf16le":
      return utf16Decode(b, true, out);
    case "utf32be":
      return utf32Decode(b, false, out);
    case "utf32le":
      return utf32Decode(b, true, out);
  }
}

function validInt(c: number, enc: InEncoding): boolean {
  return enc === "latin1" ? c >= 0 && c <= 255 : isScalar(c);
}

/** Concatenates bytes. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

class Walker {
  readonly cps: number[] = [];
  /** Bytes of a binary that ended mid-character, to be joined with the next binary. */
  pending: Uint8Array | null = null;
  constructor(readonly enc: InEncoding) {}

  /** Decodes a binary's bytes (plus pending ones); returns a stop, or null. */
  bin(bs: BitString, tail: Term, top: boolean): DecodeStop | null {
    if (!bs.isBinary) badarg();
    let bytes = bs.bytes();
    if (this.pending !== null) {
      bytes = concat(this.pending, bytes);
      this.pending = null;
    }
    const r = decodeBytes(bytes, this.enc, this.cps);
    if (r.stop === null) return null;
    const rest = binaryFromBytes(bytes.slice(r.used));
    if (r.stop === "error") return { kind: "error", rest: top ? rest : new Cons(rest, tail) };
    // Incomplete: the next binary may complete the character; if nothing
    // follows, the caller reports `incomplete` with these bytes.
    this.pending = bytes.slice(r.used);
    return null;
  }

  /**
   * Walks a deep list; returns a stop, or null when the whole list was
   * decoded. Nested lists are entered with an explicit stack of the tails
   * that follow them, so nesting depth costs no JS stack; a stop inside is
   * rebuilt outwards as `[Rest | Tail]` at each level, as OTP returns it.
   */
  list(l: Term): DecodeStop | null {
    const tails: Term[] = [];
    const wrap = (s: DecodeStop): DecodeStop => {
      let rest = s.rest;
      for (let i = tails.length - 1; i >= 0; i--) rest = new Cons(rest, tails[i]!);
      return { kind: s.kind, rest };
    };
    for (;;) {
      while (l instanceof Cons) {
        const h = l.head;
        if (typeof h === "number") {
          if (this.pending !== null) return wrap(this.pendingStop(l));
          if (!validInt(h, this.enc)) return wrap({ kind: "error", rest: l });
          this.cps.push(h);
        } else if (h instanceof BitString) {
          const s = this.bin(h, l.tail, false);
          if (s !== null) return wrap(s);
        } else if (h instanceof Cons || h === NIL) {
          tails.push(l.tail);
          l = h;
          continue;
        } else if (typeof h === "bigint") {
          return wrap({ kind: "error", rest: l });
        } else badarg();
        l = l.tail;
      }
      if (l instanceof BitString) {
        const s = this.bin(l, NIL, true);
        if (s !== null) return wrap(s);
      } else if (l !== NIL) return badarg();
      const next = tails.pop();
      if (next === undefined) return null;
      l = next;
    }
  }

  /** An incomplete binary was followed by an integer: OTP reports an error there. */
  private pendingStop(l: Term): DecodeStop {
    const rest = binaryFromBytes(this.pending!);
    this.pending = null;
    return { kind: "error", rest: new Cons(rest, new Cons(l, NIL)) };
  }
}

/**
 * Decodes chardata into code points. Raises `badarg` for terms that are not
 * chardata at all; reports invalid or truncated characters in `stop`.
 */
export function decodeChardata(t: Term, enc: InEncoding = "utf8"): Decoded {
  const w = new Walker(enc);
  let stop: DecodeStop | null;
  if (t instanceof BitString) stop = w.bin(t, NIL, true);
  else if (t instanceof Cons || t === NIL) stop = w.list(t);
  else return badarg();
  if (stop === null && w.pending !== null) {
    stop = { kind: "incomplete", rest: binaryFromBytes(w.pending) };
  }
  return { cps: w.cps, stop };
}

/** Code points of valid Unicode chardata, or `badarg`. */
export function chardataCps(t: Term): number[] {
  const d = decodeChardata(t);
  if (d.stop !== null) badarg();
  return d.cps;
}

/** JS text of valid Unicode chardata, or `badarg`. */
export function chardataText(t: Term): string {
  return cpsToText(chardataCps(t));
}

/** JS text from code points. */
export function cpsToText(cps: readonly number[]): string {
  let s = "";
  for (let i = 0; i < cps.length; i += 4096) {
    s += String.fromCodePoint(...cps.slice(i, i + 4096));
  }
  return s;
}

/** Code points of JS text. */
export function textToCps(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** UTF-8 bytes of code points (all valid scalars). */
export function cpsToUtf8(cps: readonly number[]): Uint8Array {
  let n = 0;
  for (const c of cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of cps) {
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 0x3f);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

/** A UTF-8 binary from code points. */
export function cpsToBinary(cps: readonly number[]): BitString {
  return binaryFromBytes(cpsToUtf8(cps));
}

/** An Erlang list of code points. */
export function cpsToList(cps: readonly number[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = cps.length - 1; i >= 0; i--) l = new Cons(cps[i]!, l);
  return l;
}

/** Whether `t` is a proper list of integers only (a "flat string"). */
export function isFlatIntList(t: Term): boolean {
  while (t instanceof Cons) {
    if (typeof t.head !== "number") return false;
    t = t.tail;
  }
  return t === NIL;
}
