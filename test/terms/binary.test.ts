/** Bitstrings: unaligned views, bit copying, ordering and amortised appends. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  appendReserve,
  BitString,
  binaryFromBytes,
  bitsEqual,
  compareBits,
  copyBits,
  EMPTY_BINARY,
  readBitsBig,
  readBitsSmall,
  writeBitsSmall,
} from "../../terms/binary.ts";
import { encodeExternalTerm } from "../../terms/etf.ts";
import { formatW } from "../../terms/format.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const bits = (bytes: number[], offset: number, size: number) =>
  new BitString(Uint8Array.from(bytes), offset, size);

describe("unaligned views", () => {
  test("<<_:3, X:7, Rest/bitstring>> = <<255,1,2>>", () => {
    const b = binaryFromBytes(Uint8Array.of(255, 1, 2));
    expect(readBitsSmall(b.buf, b.offset + 3, 7)).toBe(124);
    const rest = b.slice(10, 14);
    expect(rest.size).toBe(14);
    expect(rest.byteSize).toBe(2);
    expect(rest.isBinary).toBe(false);
    expect(formatW(rest)).toBe("<<4,2:6>>");
    expect(rest.byteAt(0)).toBe(4);
  });
  test("byte_size of <<1:3>> is 1; bytes() copies only when unaligned", () => {
    const b = bits([0b00100000], 0, 3);
    expect(b.byteSize).toBe(1);
    expect(b.bytes().length).toBe(0);
    const whole = binaryFromBytes(Uint8Array.of(1, 2, 3));
    expect(whole.slice(8, 16).bytes().buffer).toBe(whole.buf.buffer);
    expect(Array.from(whole.slice(4, 8).bytes())).toEqual([0x10]);
    expect(Array.from(whole.slice(4, 16).bytes())).toEqual([0x10, 0x20]);
  });
  test("readBitsBig across many bytes", () => {
    const b = Uint8Array.from({ length: 20 }, (_, i) => i * 13);
    let want = 0n;
    for (let i = 5; i < 5 + 100; i++)
      want = (want << 1n) | BigInt((b[i >>> 3]! >>> (7 - (i & 7))) & 1);
    expect(readBitsBig(b, 5, 100)).toBe(want);
  });
  test("copyBits and writeBitsSmall at odd offsets", () => {
    const src = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
    for (const so of [0, 1, 3, 7]) {
      for (const d of [0, 2, 5]) {
        const dst = new Uint8Array(6);
        copyBits(src, so, dst, d, 20);
        expect(readBitsSmall(dst, d, 20)).toBe(readBitsSmall(src, so, 20));
      }
    }
    const buf = new Uint8Array(4);
    writeBitsSmall(buf, 3, 17, 0x1abcd);
    expect(readBitsSmall(buf, 3, 17)).toBe(0x1abcd);
    expect(buf[0]! >>> 5).toBe(0);
  });
  test("ETF of an unaligned sub-binary", () => {
    const b = binaryFromBytes(Uint8Array.of(0x0f, 0xf0, 0xaa)).slice(4, 8);
    expect(Buffer.from(encodeExternalTerm(b)).toString("hex")).toBe("836d00000001ff");
  });
});

describe("ordering", () => {
  test("byte-wise, then by length; unaligned views compare by content", () => {
    expect(compareBits(bits([1], 0, 8), bits([1, 0], 0, 16))).toBe(-1);
    expect(compareBits(bits([0b10000000], 0, 1), bits([0], 0, 2))).toBe(1);
    expect(compareBits(bits([128], 0, 8), bits([0b10000000], 0, 1))).toBe(1);
    const a = binaryFromBytes(Uint8Array.of(1, 2, 3));
    const buf = new Uint8Array(5).fill(0xff);
    copyBits(a.buf, 0, buf, 7, 24);
    const shifted = new BitString(buf, 7, 24);
    expect(formatW(shifted)).toBe("<<1,2,3>>");
    expect(bitsEqual(a, shifted)).toBe(true);
    expect(compareBits(shifted, bits([1, 2, 4], 0, 24))).toBe(-1);
    expect(bitsEqual(a, bits([0, 1, 2, 3], 8, 24))).toBe(true);
  });
});

describe("appendReserve", () => {
  test("100k single-byte appends are correct and amortised", () => {
    const n = 100_000;
    let acc = EMPTY_BINARY;
    // Amortised cost, counted rather than timed: every new buffer is a copy of
    // the bytes so far, so geometric growth means O(log n) copies in all.
    let buffers = 0;
    for (let i = 0; i < n; i++) {
      const [next, at] = appendReserve(acc, 8);
      if (next.buf !== acc.buf) buffers++;
      writeBitsSmall(next.buf, next.offset + at - next.offset, 8, i & 0xff);
      acc = next;
    }
    expect(acc.size).toBe(n * 8);
    const bytes = acc.bytes();
    for (let i = 0; i < n; i++) if (bytes[i] !== (i & 0xff)) throw new Error(`byte ${i}`);
    expect(buffers).toBeGreaterThan(1);
    expect(buffers).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
    // ...and without over-allocating.
    expect(acc.buf.length).toBeLessThan(4 * n);
  });
  test("appending to an older version copies instead of clobbering", () => {
    const [a, pa] = appendReserve(EMPTY_BINARY, 8);
    writeBitsSmall(a.buf, pa, 8, 1);
    const [b, pb] = appendReserve(a, 8);
    writeBitsSmall(b.buf, pb, 8, 2);
    const [c, pc] = appendReserve(a, 8); // a is no longer the tip
    writeBitsSmall(c.buf, pc, 8, 3);
    expect(formatW(b)).toBe("<<1,2>>");
    expect(formatW(c)).toBe("<<1,3>>");
  });
  test("unaligned appends", () => {
    let acc = EMPTY_BINARY;
    for (let i = 0; i < 10; i++) {
      const [next, at] = appendReserve(acc, 3);
      writeBitsSmall(next.buf, at, 3, i & 7);
      acc = next;
    }
    expect(acc.size).toBe(30);
    for (let i = 0; i < 10; i++) expect(readBitsSmall(acc.buf, acc.offset + i * 3, 3)).toBe(i & 7);
  });
});
