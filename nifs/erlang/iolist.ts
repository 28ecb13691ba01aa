/**
 * Walking iolists (bytes, binaries and nested lists, with a binary or `[]` as
 * any list's tail) and bitstring lists (the same, with bitstrings allowed).
 *
 * Flattening is two passes — measure, then copy into one exact-size buffer —
 * and uses an explicit stack: string builders nest lists thousands deep on
 * the left, which would overflow recursion.
 */
import { BitString, copyBits } from "../../terms/binary.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";

/**
 * Total size in bits of an iolist (or, with `bits`, a bitstring list), or -1
 * if `t` is not one. `t` may itself be a binary or bitstring.
 */
export function ioSizeBits(t: Term, bits: boolean): number {
  let size = 0;
  const stack: Term[] = [];
  let x: Term = t;
  for (;;) {
    while (x instanceof Cons) {
      const h = x.head;
      if (typeof h === "number") {
        if (h < 0 || h > 255) return -1;
        size += 8;
      } else if (h instanceof BitString) {
        if (!bits && (h.size & 7) !== 0) return -1;
        size += h.size;
      } else if (h instanceof Cons) {
        stack.push(x.tail);
        x = h;
        continue;
      } else if (h !== NIL) return -1;
      x = x.tail;
    }
    if (x instanceof BitString) {
      if (!bits && (x.size & 7) !== 0) return -1;
      size += x.size;
    } else if (x !== NIL) return -1;
    if (stack.length === 0) return size;
    x = stack.pop()!;
  }
}

/** Copies a term already validated by {@link ioSizeBits} into `out` from bit 0. */
export function ioWrite(t: Term, out: Uint8Array): void {
  let pos = 0;
  const stack: Term[] = [];
  let x: Term = t;
  for (;;) {
    while (x instanceof Cons) {
      const h = x.head;
      if (typeof h === "number") {
        if ((pos & 7) === 0) out[pos >>> 3] = h;
        else copyBits(BYTE[h]!, 0, out, pos, 8);
        pos += 8;
      } else if (h instanceof BitString) {
        copyBits(h.buf, h.offset, out, pos, h.size);
        pos += h.size;
      } else if (h instanceof Cons) {
        stack.push(x.tail);
        x = h;
        continue;
      }
      x = x.tail;
    }
    if (x instanceof BitString) {
      copyBits(x.buf, x.offset, out, pos, x.size);
      pos += x.size;
    }
    if (stack.length === 0) return;
    x = stack.pop()!;
  }
}

/** One-byte buffers for writing a byte at an unaligned position. */
const BYTE: Uint8Array[] = Array.from({ length: 256 }, (_, i) => Uint8Array.of(i));

/** Flattens an iolist or bitstring list; null if `t` is not one (for `bits` = false, not an iolist). */
export function ioToBitString(t: Term, bits: boolean): BitString | null {
  const size = ioSizeBits(t, bits);
  if (size < 0) return null;
  const out = new Uint8Array((size + 7) >>> 3);
  ioWrite(t, out);
  return new BitString(out, 0, size);
}
