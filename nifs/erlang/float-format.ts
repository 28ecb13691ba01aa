/**
 * The text of `float_to_list/2` and `float_to_binary/2`, bit for bit as OTP 25
 * writes it. Three algorithms are involved:
 *
 * - `{decimals, N}` with N < 19 and |F| <= 2^53 takes OTP's fast path: the
 *   integer part is `floor(|F|)` and the fraction is
 *   `round((|F| - floor(|F|)) * 10^N)` computed in doubles, so its rounding is
 *   neither exact nor half-even (`0.35` gives `0.4`, `2.675` gives `2.67`).
 * - otherwise `{decimals, N}` is C's `%.*f` and `{scientific, N}` is `%.*e`:
 *   the exact binary value rounded half-to-even (`2.5` gives `2e+00`).
 * - `short` is the shortest round-trip text (see terms/float.ts).
 *
 * OTP formats into a 256-byte buffer; text that does not fit (with its NUL)
 * makes the BIF fail with `badarg`, which these functions report as `null`.
 */

/** Longest text OTP accepts: 255 characters plus the terminating NUL. */
const MAX_TEXT = 255;
/** OTP's fast path handles `decimals` below this (its table of powers of ten). */
const FAST_DECIMALS = 19;
const TWO_53 = 2 ** 53;

const view = new DataView(new ArrayBuffer(8));

/** Whether the sign bit is set (true for `-0.0`, which OTP prints with a sign). */
export function signBit(v: number): boolean {
  view.setFloat64(0, v);
  return view.getUint32(0) >>> 31 === 1;
}

/** |v| as `m * 2^e` exactly, with `m` an integer below 2^53. */
function decompose(v: number): [bigint, number] {
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n;
  return [m, (biased === 0 ? 1 : biased) - 1075];
}

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  let p = pow10Cache[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    if (n < 400) pow10Cache[n] = p;
  }
  return p;
}

/** `|v| * 10^scale` rounded half-to-even to an integer, exactly. */
function roundScaledEven(v: number, scale: number): bigint {
  const [m, e] = decompose(v);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (scale >= 0) num *= pow10(scale);
  else den *= pow10(-scale);
  const q = num / den;
  const twice = (num % den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Decimal exponent of the leading digit of |v| (v finite and non-zero), exactly. */
function decimalExponent(v: number): number {
  const [m, e] = decompose(v);
  if (e >= 0) return (m << BigInt(e)).toString().length - 1;
  // m / 2^k = m * 5^k / 10^k.
  return (m * 5n ** BigInt(-e)).toString().length - 1 + e;
}

/** Digits of `q` with `decimals` of them after a decimal point. */
function placePoint(q: bigint | number, decimals: number): string {
  const s = q.toString();
  if (decimals === 0) return s;
  const padded = s.length <= decimals ? "0".repeat(decimals + 1 - s.length) + s : s;
  const cut = padded.length - decimals;
  return `${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** OTP's `compact`: drop trailing zeros, keeping one digit after a point. */
function stripZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 46) end++;
  return s.slice(0, end);
}

/**
 * `float_to_list(V, [{decimals, D}])`, with `compact` if asked.
 * Returns null where OTP raises `badarg` (negative D or text too long).
 */
export function formatDecimals(v: number, d: number, compact: boolean): string | null {
  if (d < 0) return null;
  const sign = signBit(v) ? "-" : "";
  const a = Math.abs(v);
  if (a > TWO_53 || d >= FAST_DECIMALS) {
    // C's "%.*f". OTP strips zeros here even without a point ("1e20" -> "1").
    const text = sign + placePoint(roundScaledEven(a, d), d);
    if (text.length > MAX_TEXT) return null;
    return compact ? stripZeros(text) : text;
  }
  if (d === 0) return sign + String(Math.round(a));
  const scale = 10 ** d;
  let ip = Math.floor(a);
  let frac = Math.round((a - ip) * scale);
  if (frac >= scale) {
    ip += 1;
    frac = 0;
  }
  // Above 2^53 a double's toString is not its exact integer value.
  const fracDigits = frac > Number.MAX_SAFE_INTEGER ? BigInt(frac).toString() : String(frac);
  const text = `${sign}${ip}.${fracDigits.padStart(d, "0")}`;
  return compact ? stripZeros(text) : text;
}

/**
 * `float_to_list(V, [{scientific, D}])`, C's `"%.*e"` (a negative D means 6,
 * as in C). Returns null when the text would not fit OTP's buffer.
 */
export function formatScientific(v: number, d: number): string | null {
  if (d < 0) d = 6;
  // The shortest possible text ("1." + D digits + "e+00") already too long?
  if (d + 6 > MAX_TEXT) return null;
  const sign = signBit(v) ? "-" : "";
  let exp = 0;
  let digits: string;
  if (v === 0) digits = "0".repeat(d + 1);
  else {
    exp = decimalExponent(v);
    let q = roundScaledEven(Math.abs(v), d - exp);
    if (q >= pow10(d + 1)) {
      // Rounding carried into a new leading digit (9.99 -> 10.0).
      exp += 1;
      q /= 10n;
    }
    digits = q.toString();
  }
  const mant = d === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const expText = String(Math.abs(exp)).padStart(2, "0");
  const text = `${sign}${mant}e${exp < 0 ? "-" : "+"}${expText}`;
  return text.length > MAX_TEXT ? null : text;
}
