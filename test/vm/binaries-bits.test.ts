/**
 * The bit helpers under the binary instructions: integer fields of every
 * size, offset, endianness and sign against a bigint reference; float
 * rounding (half precision as erl does it); strict UTF-8 decoding.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { decoded, decodeUtf8, readFloat, readInt, writeFloat, writeInt } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** Reference encoder: the value's low `n` bits as a bit array, big-endian. */
function refBits(v: bigint, n: number, little: boolean): number[] {
  const u = BigInt.asUintN(n, v);
  const big: number[] = [];
  for (let i = n - 1; i >= 0; i--) big.push(Number((u >> BigInt(i)) & 1n));
  if (!little || n <= 8) return big;
  // Little: whole bytes least significant first, then the n rem 8 top bits.
  const whole = Math.floor(n / 8);
  const rest = n % 8;
  const out: number[] = [];
  for (let b = 0; b < whole; b++) {
    for (let i = 7; i >= 0; i--) out.push(Number((u >> BigInt(b * 8 + i)) & 1n));
  }
  for (let i = rest - 1; i >= 0; i--) out.push(Number((u >> BigInt(whole * 8 + i)) & 1n));
  return out;
}

function readBitArray(buf: Uint8Array, pos: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((buf[(pos + i) >> 3]! >> (7 - ((pos + i) & 7))) & 1);
  return out;
}

describe("integer bits", () => {
  // Deterministic pseudo-random values across sizes, offsets and signs.
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const sizes = [1, 3, 7, 8, 9, 12, 16, 24, 31, 32, 33, 40, 52, 53, 54, 63, 64, 65, 70, 100, 130];
  for (const n of sizes) {
    test(`${n}-bit fields at every offset`, () => {
      for (let trial = 0; trial < 40; trial++) {
        const neg = rnd() % 2 === 1;
        let v = 0n;
        for (let k = 0; k < 5; k++) v = (v << 31n) | BigInt(rnd());
        v = BigInt.asIntN(n + 8, neg ? -v : v); // wider than the field: must truncate
        const little = rnd() % 2 === 1;
        const pos = rnd() % 16;
        const buf = new Uint8Array(40).fill(0xa5);
        const value =
          v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(v)
            : v;
        writeInt(buf, pos, n, value, little);
        expect(readBitArray(buf, pos, n)).toEqual(refBits(v, n, little));
        // Untouched neighbours.
        expect(readBitArray(buf, 0, pos)).toEqual(
          readBitArray(new Uint8Array(40).fill(0xa5), 0, pos),
        );
        const u = BigInt.asUintN(n, v);
        const s = BigInt.asIntN(n, v);
        expect(BigInt(readInt(buf, pos, n, little, false))).toBe(u);
        expect(BigInt(readInt(buf, pos, n, little, true))).toBe(s);
        const r = readInt(buf, pos, n, little, true);
        expect(
          typeof r === "bigint" ? !Number.isSafeInteger(Number(r)) : Number.isSafeInteger(r),
        ).toBe(true);
      }
    });
  }
});

describe("float bits", () => {
  test("half floats round like erl", () => {
    // <<V:16/float>> for each V, recorded from OTP 25.
    const cases: [number, number][] = [
      [1.5, 0x3e00],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00],
      [1.0e-5, 0x00a8],
      [1.0e-8, 0],
      [0.333, 0x3554],
      [6.1e-5, 0x03ff],
    ];
    for (const [v, h] of cases) {
      const buf = new Uint8Array(3);
      writeFloat(buf, 3, 16, v, false);
      expect(readInt(buf, 3, 16, false, false)).toBe(h);
    }
  });

  test("reading infinity or NaN gives NaN (match fails)", () => {
    expect(readFloat(new Uint8Array([0x7c, 0]), 0, 16, false)).toBeNaN();
    expect(readFloat(new Uint8Array([0xff, 0x80, 0, 0]), 0, 32, false)).toBeNaN();
    expect(readFloat(new Uint8Array([0x3c, 1]), 0, 16, false)).toBe(1.0009765625);
  });
});

test("utf8 decoding rejects overlong, surrogate and out-of-range forms", () => {
  const dec = (...b: number[]) => decodeUtf8(new Uint8Array(b), 0, b.length * 8);
  expect(dec(0xe2, 0x82, 0xac)).toBe(0x20ac);
  expect(decoded.bits).toBe(24);
  expect(dec(0xc0, 0x80)).toBe(-1);
  expect(dec(0xed, 0xa0, 0x80)).toBe(-1);
  expect(dec(0xf4, 0x90, 0x80, 0x80)).toBe(-1);
  expect(dec(0xe2, 0x82)).toBe(-1);
});
