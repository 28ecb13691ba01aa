/**
 * Float text as Erlang writes it. Erlang floats are always finite.
 */

/** Shortest round-trip digits and decimal exponent: v = d1.d2d3... × 10^exp. */
export function shortestDigits(v: number): { digits: string; exp: number } {
  const s = Math.abs(v).toExponential();
  const e = s.indexOf("e");
  const digits = s.slice(0, e).replace(".", "");
  return { digits, exp: Number(s.slice(e + 1)) };
}

/**
 * `float_to_list(F, [short])`, `~w`, `~p` and `io_lib_format:fwrite_g/1`:
 * shortest round-trip digits, in fixed or scientific notation, whichever is
 * shorter, ties going to fixed (`1.0e3` but `100.0`). Magnitudes of 2^53
 * and above are always scientific (`9.007199254740992e15`), as in ERTS.
 */
export function formatFloatShort(v: number): string {
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  if (v === 0) return `${sign}0.0`;
  const { digits, exp } = shortestDigits(v);
  const sci = `${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}e${exp}`;
  let fixed: string;
  if (exp >= 0) {
    if (digits.length <= exp + 1) fixed = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
    else fixed = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    fixed = `0.${"0".repeat(-exp - 1)}${digits}`;
  }
  if (Math.abs(v) >= 2 ** 53) return sign + sci;
  return sign + (sci.length < fixed.length ? sci : fixed);
}

/** `float_to_list(F)`: 20 fractional digits in scientific notation, e.g. `1.00000000000000005551e-01`. */
export function formatFloatDefault(v: number): string {
  return formatFloatScientific(v, 20);
}

/** `float_to_list(F, [{scientific, N}])`. */
export function formatFloatScientific(v: number, decimals: number): string {
  const s = v.toExponential(decimals);
  const e = s.indexOf("e");
  const mant = s.slice(0, e);
  const expNum = Number(s.slice(e + 1));
  const expText = String(Math.abs(expNum)).padStart(2, "0");
  const neg = Object.is(v, -0) && !mant.startsWith("-") ? "-" : "";
  return `${neg}${mant}e${expNum < 0 ? "-" : "+"}${expText}`;
}

/**
 * `float_to_list(F, [{decimals, N}])` (and `compact`): exact decimal expansion
 * rounded to N places. Uses BigInt so magnitudes above 1e21 stay in fixed form.
 */
export function formatFloatDecimals(v: number, decimals: number, compact: boolean): string {
  let s: string;
  if (Math.abs(v) < 1e21) s = v.toFixed(decimals);
  else {
    // Large floats are integers; print every digit.
    s = BigInt(v).toString() + (decimals > 0 ? `.${"0".repeat(decimals)}` : "");
  }
  if (Object.is(v, -0) || (v < 0 && !s.startsWith("-"))) s = `-${s}`;
  if (compact && s.includes(".")) {
    s = s.replace(/0+$/, "");
    if (s.endsWith(".")) s += "0";
  }
  return s;
}
