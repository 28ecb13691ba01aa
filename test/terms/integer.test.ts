/** Integer arithmetic across the number/bigint boundary, against real OTP 25. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { formatW } from "../../terms/format.ts";
import {
  intAdd,
  intBand,
  intBnot,
  intBor,
  intBsl,
  intBsr,
  intBxor,
  intDiv,
  intMul,
  intNeg,
  intRem,
  intSub,
  intToString,
  parseInt36,
} from "../../terms/integer.ts";
import type { Int, Term } from "../../terms/term.ts";
import { extra, term } from "./fixtures.ts";

// Bignum cases with large operands: fast when idle, seconds on a loaded machine.
setDefaultTimeout(60_000);

const ops: Record<string, (a: Int, b: Int) => Int> = {
  "+": intAdd,
  "-": intSub,
  "*": intMul,
  div: intDiv,
  rem: intRem,
  band: intBand,
  bor: intBor,
  bxor: intBxor,
  bsl: intBsl,
  bsr: intBsr,
};

/** Normalised form: numbers stay numbers in the safe range, bigints outside it. */
function isNormal(x: Term): boolean {
  if (typeof x === "number") return Number.isSafeInteger(x) && !Object.is(x, -0);
  return (
    typeof x === "bigint" &&
    (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER))
  );
}

describe("terms_extra arith lines", () => {
  const lines = extra("arith");
  test(`${lines.length} operations`, () => {
    let checked = 0;
    for (const [op, ha, hb, hr] of lines) {
      const a = term(ha!) as Int;
      const b = term(hb!) as Int;
      const want = term(hr!);
      if (op === "bnot" || op === "neg") {
        const got = op === "bnot" ? intBnot(a) : intNeg(a);
        expect(`${op} ${a} = ${got}`).toBe(`${op} ${a} = ${formatW(want)}`);
        expect(isNormal(got)).toBe(true);
        checked++;
        continue;
      }
      if ((op === "div" || op === "rem") && b === 0) {
        expect(formatW(want)).toBe("error"); // badarith; callers check the divisor
        continue;
      }
      const got = ops[op!]!(a, b);
      expect(`${a} ${op} ${b} = ${got}`).toBe(`${a} ${op} ${b} = ${formatW(want)}`);
      expect(typeof got).toBe(typeof want);
      expect(isNormal(got)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(5000);
  });
});

describe("specific cases", () => {
  test("div truncates, rem takes the dividend's sign", () => {
    expect(intDiv(-7, 2)).toBe(-3);
    expect(intRem(-7, 2)).toBe(-1);
    expect(intRem(7, -2)).toBe(1);
    expect(intDiv(-(2n ** 70n), 3)).toBe(-393530540239137101141n);
    expect(intRem(-(2n ** 70n), 3)).toBe(-1);
  });
  test("bsr is arithmetic, bnot and band act on two's complement", () => {
    expect(intBsr(-7, 1)).toBe(-4);
    expect(intBsr(-1, 1000)).toBe(-1);
    expect(intBnot(0)).toBe(-1);
    expect(intBnot(2 ** 40)).toBe(-(2 ** 40) - 1);
    expect(intBand(-1, 2n ** 80n)).toBe(2n ** 80n);
    expect(intBand(-(2 ** 40), 2 ** 45 - 1)).toBe(2 ** 45 - 2 ** 40);
    expect(intBsl(1, 100)).toBe(2n ** 100n);
    expect(intBsl(-1, 70)).toBe(-(2n ** 70n));
  });
  test("the safe-integer boundary is invisible", () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(intAdd(max, 1)).toBe(2n ** 53n);
    expect(intSub(2n ** 53n, 1)).toBe(max);
    expect(intMul(2 ** 27, 2 ** 27)).toBe(2n ** 54n);
    expect(intNeg(-(2n ** 53n))).toBe(2n ** 53n);
    expect(Object.is(intMul(-1, 0), 0)).toBe(true);
  });
  test("text conversion", () => {
    expect(intToString(255, 16)).toBe("FF");
    expect(parseInt36("-ff", 16)).toBe(-255);
    expect(parseInt36("123456789012345678901234567890", 10)).toBe(123456789012345678901234567890n);
    expect(parseInt36("", 10)).toBe(null);
    expect(parseInt36("12a", 10)).toBe(null);
  });
});
