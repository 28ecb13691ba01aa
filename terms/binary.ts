/**
 * Binaries and bitstrings. A `BitString` is a view (bit offset + bit length)
 * into a byte buffer, so sub-binaries share storage like BEAM's sub-binaries.
 *
 * Appending (`<<Acc/binary, X>>`) is amortised linear as in BEAM: a bitstring
 * created by an append remembers its {@link GrowBuffer}; if it is still the
 * buffer's latest extent, the next append writes in place into spare capacity.
 *
 * A `BitString` is immutable once any code but its maker can see it. The
 * JIT's generated code grows `size` of one it made itself and kept in one
 * register (vm/interp/jit/append-owner.ts), instead of making a new one
 * per append.
 */

/** Shared, growable backing store for append-built binaries. */
export class GrowBuffer {
  constructor(
    public buf: Uint8Array,
    /** Bits written so far. */
    public used: number,
  ) {}
}

/**
 * {@link BitString}'s getters, on a base class: JavaScriptCore makes every
 * instance of a class whose own prototype has an accessor 16 bytes bigger
 * (measured with `estimateShallowMemoryUsageOf` and the heap: a BitString
 * took 64 bytes, now 48). Programs allocate one per append and per
 * sub-binary, and fresh memory is dear (docs/jit.md).
 */
abstract class BitStringGetters {
  abstract readonly offset: number;
  abstract readonly size: number;

  get isBinary(): boolean {
    return (this.size & 7) === 0;
  }
  get byteSize(): number {
    return (this.size + 7) >>> 3;
  }
  get isAligned(): boolean {
    return (this.offset & 7) === 0;
  }
}

export class BitString extends BitStringGetters {
  constructor(
    readonly buf: Uint8Array,
    /** Bit offset of the first bit in `buf`. */
    readonly offset: number,
    /** Length in bits (grown only by an in-place append, see above). */
    readonly size: number,
    readonly grow: GrowBuffer | null = null,
  ) {
    super();
  }

  /** The whole bytes of a binary (copy only when unaligned). Trailing bits are dropped. */
  bytes(): Uint8Array {
    const n = this.size >>> 3;
    if ((this.offset & 7) === 0) {
      const s = this.offset >>> 3;
      return this.buf.subarray(s, s + n);
    }
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.byteAt(i);
    return out;
  }

  /** Byte `i` (0-based) counted from this bitstring's start, at any alignment. */
  byteAt(i: number): number {
    const bit = this.offset + i * 8;
    const s = bit >>> 3;
    const sh = bit & 7;
    if (sh === 0) return this.buf[s]!;
    return ((this.buf[s]! << sh) | (this.buf[s + 1]! >>> (8 - sh))) & 0xff;
  }

  /** A sub-bitstring sharing storage. */
  slice(bitStart: number, bitLen: number): BitString {
    return new BitString(this.buf, this.offset + bitStart, bitLen);
  }
}

export const EMPTY_BINARY = new BitString(new Uint8Array(0), 0, 0);

export function binaryFromBytes(bytes: Uint8Array): BitString {
  return new BitString(bytes, 0, bytes.length * 8);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function binaryFromString(text: string): BitString {
  return binaryFromBytes(encoder.encode(text));
}

/** Decodes a binary as UTF-8, or returns null if it is not valid UTF-8. */
export function binaryToString(b: BitString): string | null {
  try {
    return decoder.decode(b.bytes());
  } catch {
    return null;
  }
}

/** Reads `n` bits (n <= 32) at bit position `pos` of `buf` as an unsigned integer. */
export function readBitsSmall(buf: Uint8Array, pos: number, n: number): number {
  let v = 0;
  while (n > 0) {
    const byte = buf[pos >>> 3]!;
    const sh = pos & 7;
    const avail = 8 - sh;
    const take = Math.min(avail, n);
    const bits = (byte >>> (avail - take)) & ((1 << take) - 1);
    v = v * (1 << take) + bits;
    pos += take;
    n -= take;
  }
  return v;
}

/** Reads `n` bits big-endian at bit position `pos` as an unsigned bigint. */
export function readBitsBig(buf: Uint8Array, pos: number, n: number): bigint {
  let v = 0n;
  while (n >= 32) {
    v = (v << 32n) | BigInt(readBitsSmall(buf, pos, 32));
    pos += 32;
    n -= 32;
  }
  if (n > 0) v = (v << BigInt(n)) | BigInt(readBitsSmall(buf, pos, n));
  return v;
}

/** Copies `n` bits from `src` at `srcPos` into `dst` at `dstPos`. */
export function copyBits(
  src: Uint8Array,
  srcPos: number,
  dst: Uint8Array,
  dstPos: number,
  n: number,
): void {
  if ((srcPos & 7) === 0 && (dstPos & 7) === 0) {
    const whole = n >>> 3;
    dst.set(src.subarray(srcPos >>> 3, (srcPos >>> 3) + whole), dstPos >>> 3);
    const rest = n & 7;
    if (rest)
      writeBitsSmall(dst, dstPos + whole * 8, rest, src[(srcPos >>> 3) + whole]! >>> (8 - rest));
    return;
  }
  while (n > 0) {
    const take = Math.min(n, 24);
    writeBitsSmall(dst, dstPos, take, readBitsSmall(src, srcPos, take));
    srcPos += take;
    dstPos += take;
    n -= take;
  }
}

/** Writes the low `n` bits (n <= 32) of `v` big-endian at bit position `pos`. */
export function writeBitsSmall(buf: Uint8Array, pos: number, n: number, v: number): void {
  while (n > 0) {
    const idx = pos >>> 3;
    const sh = pos & 7;
    const room = 8 - sh;
    const take = Math.min(room, n);
    const bits = Math.floor(v / 2 ** (n - take)) & ((1 << take) - 1);
    const mask = ((1 << take) - 1) << (room - take);
    buf[idx] = (buf[idx]! & ~mask) | (bits << (room - take));
    pos += take;
    n -= take;
  }
}

/** Compares two bitstrings byte-wise, then by length, as Erlang orders them. */
export function compareBits(a: BitString, b: BitString): number {
  const n = Math.min(a.size, b.size);
  const whole = n >>> 3;
  if (a.isAligned && b.isAligned) {
    const ab = a.buf;
    const bb = b.buf;
    const ao = a.offset >>> 3;
    const bo = b.offset >>> 3;
    for (let i = 0; i < whole; i++) {
      const d = ab[ao + i]! - bb[bo + i]!;
      if (d !== 0) return d < 0 ? -1 : 1;
    }
  } else {
    for (let i = 0; i < whole; i++) {
      const d = a.byteAt(i) - b.byteAt(i);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
  }
  const rest = n & 7;
  if (rest) {
    const x = readBitsSmall(a.buf, a.offset + whole * 8, rest);
    const y = readBitsSmall(b.buf, b.offset + whole * 8, rest);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.size === b.size ? 0 : a.size < b.size ? -1 : 1;
}

export function bitsEqual(a: BitString, b: BitString): boolean {
  return a.size === b.size && compareBits(a, b) === 0;
}

/**
 * Returns a bitstring holding `base` followed by `extraBits` bits of spare room
 * already reserved, plus the bit position where the caller writes the extra.
 * Writes in place when `base` is the tip of a growable buffer.
 */
export function appendReserve(base: BitString, extraBits: number): [BitString, number] {
  const out = appendGrow(base, extraBits);
  return [out, out.offset + base.size];
}

/**
 * {@link appendReserve} without the pair: the extra bits start at
 * `out.offset + base.size` of `out.buf`. The form hot appends use (no array
 * per append). Its in-place case is also emitted inline by the JIT
 * (vm/interp/jit/templates-bs-create.ts): keep the two alike.
 */
export function appendGrow(base: BitString, extraBits: number): BitString {
  const g = base.grow;
  const end = base.offset + base.size;
  const need = end + extraBits;
  if (g !== null && g.used === end && base.buf === g.buf) {
    if (need > g.buf.length * 8) {
      const bigger = new Uint8Array(Math.max(((need + 7) >>> 3) * 2, 64));
      bigger.set(g.buf.subarray(0, (end + 7) >>> 3));
      g.buf = bigger;
    }
    g.used = need;
    return new BitString(g.buf, base.offset, base.size + extraBits, g);
  }
  const bytes = Math.max(((base.size + extraBits + 7) >>> 3) * 2, 64);
  const buf = new Uint8Array(bytes);
  copyBits(base.buf, base.offset, buf, 0, base.size);
  const ng = new GrowBuffer(buf, base.size + extraBits);
  return new BitString(buf, 0, base.size + extraBits, ng);
}
