/**
 * Hashing BIFs: `phash/2`, `phash2/1,2`, `md5/1`, `crc32/1,2`, `adler32/1,2`
 * and the `*_combine/3` forms.
 * Data arguments are iodata (`badarg` otherwise); a range must be an integer
 * in 1..2^32 and a previous checksum one in 0..2^32-1, as OTP requires.
 */
import { createHash } from "node:crypto";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { phash2, phash2Range } from "../../terms/phash2.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";
import { adler32, adler32Combine, crc32, crc32Combine } from "./checksums.ts";
import { ioToBitString } from "./iolist.ts";
import { makeHash } from "./phash.ts";

const TWO_32 = 2 ** 32;

/** The bytes of iodata (a binary or an iolist), else `badarg`. */
function iodataBytes(t: Term): Uint8Array {
  if (t instanceof BitString) {
    if ((t.size & 7) !== 0) badarg();
    return t.bytes();
  }
  if (!(t instanceof Cons) && t !== NIL) return badarg();
  const flat = ioToBitString(t, false);
  return flat === null ? badarg() : flat.buf;
}

/** A hash range: an integer in 1..2^32. */
function rangeArg(r: Term): number {
  return typeof r === "number" && r >= 1 && r <= TWO_32 ? r : badarg();
}

/** A previous checksum: an unsigned 32-bit integer. */
function checksumArg(c: Term): number {
  return typeof c === "number" && c >= 0 && c < TWO_32 ? c : badarg();
}

/** The hashing and checksum BIFs. */
export const hashNatives: NativeModule = defineNatives("erlang", {
  "phash2/1": (_p, t) => phash2(t),
  "phash2/2": (_p, t, r) => phash2Range(t, rangeArg(r)),
  "phash/2": (_p, t, r) => {
    const range = rangeArg(r);
    const h = makeHash(t);
    // OTP computes in 32 bits: for the full range, 2^32 - 1 wraps to 0 and becomes 1.
    return range === TWO_32 ? (h === TWO_32 - 1 ? 1 : h + 1) : (h % range) + 1;
  },
  "md5/1": (_p, d) =>
    binaryFromBytes(new Uint8Array(createHash("md5").update(iodataBytes(d)).digest())),
  "crc32/1": (_p, d) => crc32(0, iodataBytes(d)),
  "crc32/2": (_p, c, d) => crc32(checksumArg(c), iodataBytes(d)),
  "adler32/1": (_p, d) => adler32(1, iodataBytes(d)),
  "adler32/2": (_p, c, d) => adler32(checksumArg(c), iodataBytes(d)),
  // The length of the second part is an unsigned 32-bit integer too (a bignum is badarg).
  "crc32_combine/3": (_p, a, b, n) => crc32Combine(checksumArg(a), checksumArg(b), checksumArg(n)),
  "adler32_combine/3": (_p, a, b, n) =>
    adler32Combine(checksumArg(a), checksumArg(b), checksumArg(n)),
});
