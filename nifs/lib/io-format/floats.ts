/**
 * `~f`, `~e` and `~g` digits as io_lib_format produces them. OTP starts from
 * the 21 significant digits of `float_to_list/1` (`%.20e`) and rounds those
 * half-up to the requested precision, so we do the same (a correctly rounded
 * decimal expansion would sometimes differ in the last digit).
 */
import { formatFloatDefault } from "../../../terms/float.ts";

/** Digits and exponent such that the value is 0.D1D2... × 10^exp. */
function floatData(v: number): { ds: number[]; e: number } {
  const s = formatFloatDefault(Math.abs(v));
  const ei = s.indexOf("e");
  const ds: number[] = [];
  for (const ch of s.slice(0, ei)) if (ch >= "0" && ch <= "9") ds.push(ch.charCodeAt(0) - 48);
  return { ds, e: Number(s.slice(ei + 1)) + 1 };
}

const isNeg = (v: number) => v < 0 || Object.is(v, -0);

/**
 * Mantissa text with `icount` integer digits and `dcount` decimals, rounding
 * the remaining digits half-up. Returns the text and whether a carry left the
 * top digit (the caller then prepends a 1).
 */
function floatMan(ds: number[], icount: number, dcount: number): { text: string; carry: boolean } {
  const digits = ds.slice(0, icount + dcount);
  while (digits.length < icount + dcount) digits.push(0);
  let carry = (ds[icount + dcount] ?? 0) >= 5;
  for (let i = digits.length - 1; i >= 0 && carry; i--) {
    if (digits[i] === 9) digits[i] = 0;
    else {
      digits[i]! += 1;
      carry = false;
    }
  }
  const int = digits.slice(0, icount).join("");
  const dec = digits.slice(icount).join("");
  return { text: icount === 0 ? `.${dec}` : `${int}.${dec}`, carry };
}

/** `~.Pf` body (sign included). */
export function floatF(v: number, p: number): string {
  let { ds, e } = floatData(v);
  if (e <= 0) {
    ds = [...new Array<number>(-e + 1).fill(0), ...ds];
    e = 1;
  }
  const m = floatMan(ds, e, p);
  return (isNeg(v) ? "-" : "") + (m.carry ? `1${m.text}` : m.text);
}

/** `~.Pe` body: P significant digits, exponent without padding (`1.50000e+0`). */
export function floatE(v: number, p: number): string {
  const { ds, e } = floatData(v);
  const m = floatMan(ds, 1, p - 1);
  let text: string;
  let exp: number;
  if (m.carry) {
    // 9.99 rounded up: the mantissa becomes 1.00 and the exponent grows.
    text = `1${m.text.slice(1)}`;
    exp = e;
  } else {
    text = m.text;
    exp = e - 1;
  }
  return `${isNeg(v) ? "-" : ""}${text}e${exp >= 0 ? "+" : ""}${exp}`;
}

/** `~g`: `~f` for 0.1 <= |v| < 10^4 when P digits fit, else `~e`. */
export function floatG(v: number, p: number): { kind: "f" | "e"; p: number } {
  const a = Math.abs(v);
  const e =
    a < 0.1 ? -2 : a < 1 ? -1 : a < 10 ? 0 : a < 100 ? 1 : a < 1000 ? 2 : a < 10000 ? 3 : null;
  if (e !== null && ((p <= 1 && e === -1) || (p - 1 > e && e >= -1)))
    return { kind: "f", p: p - 1 - e };
  return { kind: "e", p: p <= 1 ? 2 : p };
}
