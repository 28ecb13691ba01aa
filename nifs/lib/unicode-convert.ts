/**
 * `unicode:characters_to_binary/3` when the output is not UTF-8 (latin1,
 * UTF-16, UTF-32). OTP does this conversion in Erlang, walking the chardata
 * part by part, and the shape of an `{error, Converted, Rest}` or
 * `{incomplete, Converted, Rest}` result comes from that walk: the rest of a
 * binary is the binary from the failing character on, a bad integer comes
 * back as `[[X] | Tail]`, and each enclosing list wraps the rest once more
 * with its own tail. This reproduces that walk (the UTF-8 output path, a C
 * BIF in OTP, stays in unicode.ts).
 */
import { A, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { decodeBytes, type InEncoding } from "./chardata.ts";
import { badarg } from "./util.ts";

/** OTP splits binaries longer than this before converting them (it shows in rests). */
const PART_BYTES = 8192;

/** Outcome of converting a part: done, or stopped with a rest (and, if incomplete, missing bytes). */
type Walk =
  | { kind: "ok" }
  | { kind: "error"; rest: Term }
  | { kind: "incomplete"; rest: Uint8Array; missing: number };

/** Bytes a character still needs when a binary ends inside it. */
function missingBytes(tail: Uint8Array, enc: InEncoding): number {
  switch (enc) {
    case "utf8": {
      const lead = tail[0]!;
      const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      return len - tail.length;
    }
    case "utf16be":
    case "utf16le":
      return tail.length === 1 ? 1 : 4 - tail.length;
    default:
      return 4 - tail.length;
  }
}

/** Bytes a (valid) code point takes in an input encoding. */
function encodedLength(cp: number, enc: InEncoding): number {
  switch (enc) {
    case "latin1":
      return 1;
    case "utf8":
      return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    case "utf16be":
    case "utf16le":
      return cp < 0x10000 ? 2 : 4;
    default:
      return 4;
  }
}

class Converter {
  private readonly out: number[] = [];
  /** Bytes of a character split across parts, and how many more it needs. */
  private carry: { bytes: Uint8Array; missing: number } | null = null;

  constructor(
    private readonly inEnc: InEncoding,
    private readonly outEnc: InEncoding,
  ) {}

  /** Largest integer a list may hold here (OTP's limit, checked before encoding). */
  private get limit(): number {
    return this.outEnc === "latin1" || this.inEnc === "latin1" ? 255 : 0x10ffff;
  }

  /** Encodes one code point, or returns false when the output encoding cannot hold it. */
  private emit(cp: number): boolean {
    const enc = this.outEnc;
    if (enc === "latin1") {
      this.out.push(cp);
      return true;
    }
    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (enc === "utf16be" || enc === "utf16le") {
      const units =
        cp >= 0x10000 ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp];
      for (const u of units)
        if (enc === "utf16be") this.out.push(u >> 8, u & 0xff);
        else this.out.push(u & 0xff, u >> 8);
    } else if (enc === "utf32be")
      this.out.push(cp >>> 24, (cp >> 16) & 0xff, (cp >> 8) & 0xff, cp & 0xff);
    else this.out.push(cp & 0xff, (cp >> 8) & 0xff, (cp >> 16) & 0xff, cp >>> 24);
    return true;
  }

  /** One integer element of a list. */
  private integer(x: number): Walk {
    if (x > this.limit) return { kind: "error", rest: new Cons(x, NIL) };
    // latin1 output builds with list_to_binary: a negative integer is badarg there.
    if (this.outEnc === "latin1") {
      if (x < 0) badarg();
      this.out.push(x);
      return { kind: "ok" };
    }
    return this.emit(x) ? { kind: "ok" } : { kind: "error", rest: new Cons(x, NIL) };
  }

  /** One binary's bytes (already joined with any carried bytes). */
  private bytes(b: Uint8Array): Walk {
    const cps: number[] = [];
    const r = decodeBytes(b, this.inEnc, cps);
    // To latin1 only code points up to 255 convert; a larger one stops like an error.
    let used = r.used;
    let stop = r.stop;
    if (this.outEnc === "latin1") {
      const firstBig = cps.findIndex((c) => c > 255);
      if (firstBig >= 0) {
        used = 0;
        for (let i = 0; i < firstBig; i++) used += encodedLength(cps[i]!, this.inEnc);
        cps.length = firstBig;
        stop = "error";
      }
    }
    for (const c of cps) this.emit(c);
    if (stop === null) return { kind: "ok" };
    const rest = b.subarray(used);
    if (stop === "incomplete")
      return { kind: "incomplete", rest: rest.slice(), missing: missingBytes(rest, this.inEnc) };
    return { kind: "error", rest: binaryFromBytes(rest.slice()) };
  }

  /** A binary part, in OTP's 8192-byte slices. */
  private binary(b: BitString): Walk {
    if ((b.size & 7) !== 0) badarg();
    const bytes = b.bytes();
    if (bytes.length > PART_BYTES)
      return this.list(
        new Cons(
          binaryFromBytes(bytes.subarray(0, PART_BYTES)),
          new Cons(binaryFromBytes(bytes.subarray(PART_BYTES)), NIL),
        ),
      );
    return this.bytes(bytes);
  }

  /** Joins carried bytes with the next binary, as OTP fills an incomplete character. */
  private withCarry(b: BitString, tail: Term): Walk {
    const c = this.carry!;
    const bytes = b.bytes();
    if (bytes.length >= c.missing) {
      this.carry = null;
      const joined = new Uint8Array(c.bytes.length + c.missing);
      joined.set(c.bytes);
      joined.set(bytes.subarray(0, c.missing), c.bytes.length);
      const rest = binaryFromBytes(bytes.subarray(c.missing));
      return this.list(new Cons(binaryFromBytes(joined), new Cons(rest, tail)));
    }
    const grown = new Uint8Array(c.bytes.length + bytes.length);
    grown.set(c.bytes);
    grown.set(bytes, c.bytes.length);
    this.carry = { bytes: grown, missing: c.missing - bytes.length };
    return this.list(tail);
  }

  /** Walks chardata (a list, possibly improper with a binary tail, or a binary). */
  list(t: Term): Walk {
    if (t instanceof BitString) {
      if (this.carry !== null) {
        const c = this.carry;
        if (t.byteSize >= c.missing) return this.withCarry(t, NIL);
        const grown = new Uint8Array(c.bytes.length + t.byteSize);
        grown.set(c.bytes);
        grown.set(t.bytes(), c.bytes.length);
        return { kind: "incomplete", rest: grown, missing: c.missing - t.byteSize };
      }
      return this.bytesResult(this.binary(t));
    }
    let x = t;
    while (x instanceof Cons) {
      const part = x.head;
      const tail = x.tail;
      if (typeof part === "number") {
        if (this.carry !== null)
          return { kind: "error", rest: new Cons(binaryFromBytes(this.carry.bytes), x) };
        const r = this.integer(part);
        if (r.kind === "error") return { kind: "error", rest: new Cons(r.rest, tail) };
      } else if (part instanceof BitString) {
        if (this.carry !== null) return this.withCarry(part, tail);
        if (part.byteSize > PART_BYTES && (part.size & 7) === 0) {
          // OTP slices a long binary in place, so a rest keeps the list's shape.
          const bytes = part.bytes();
          x = new Cons(
            binaryFromBytes(bytes.subarray(0, PART_BYTES)),
            new Cons(binaryFromBytes(bytes.subarray(PART_BYTES)), tail),
          );
          continue;
        }
        const r = this.binary(part);
        if (r.kind === "error") return { kind: "error", rest: new Cons(r.rest, tail) };
        if (r.kind === "incomplete") this.carry = { bytes: r.rest, missing: r.missing };
      } else if (part instanceof Cons || part === NIL) {
        const r = this.list(part);
        if (r.kind === "error") return { kind: "error", rest: new Cons(r.rest, tail) };
        if (r.kind === "incomplete") this.carry = { bytes: r.rest, missing: r.missing };
      } else return badarg();
      x = tail;
    }
    if (x !== NIL) return x instanceof BitString ? this.list(x) : badarg();
    if (this.carry !== null) {
      const c = this.carry;
      this.carry = null;
      return { kind: "incomplete", rest: c.bytes, missing: c.missing };
    }
    return { kind: "ok" };
  }

  /** A lone binary's incomplete result is carried like a list's. */
  private bytesResult(r: Walk): Walk {
    if (r.kind === "incomplete") {
      this.carry = null;
      return r;
    }
    return r;
  }

  converted(): BitString {
    return binaryFromBytes(Uint8Array.from(this.out));
  }
}

/** `characters_to_binary(Data, InEnc, OutEnc)` for a non-UTF-8 `OutEnc`. */
export function charactersToNonUtf8(data: Term, inEnc: InEncoding, outEnc: InEncoding): Term {
  if (!(data instanceof BitString) && !(data instanceof Cons) && data !== NIL) return badarg();
  const c = new Converter(inEnc, outEnc);
  const r = c.list(data);
  if (r.kind === "ok") return c.converted();
  if (r.kind === "error") return [A.error, c.converted(), r.rest];
  return [atom("incomplete"), c.converted(), binaryFromBytes(r.rest)];
}
