/**
 * erf and erfc to (nearly always) correct rounding: the Maclaurin series is
 * summed in 320-bit fixed point with BigInt, so cancellation costs nothing;
 * erfc above 6 uses the continued fraction in doubles (a few ulp at most).
 * glibc, which OTP calls, is not correctly rounded everywhere, so a rare
 * last-digit difference from OTP remains possible.
 */

const P = 320n;
const ONE = 1n << P;

/** arctan(1/k) in fixed point, for Machin's formula. */
function atanInv(k: bigint): bigint {
  let term = ONE / k;
  let sum = term;
  const k2 = k * k;
  for (let n = 1n; term !== 0n; n++) {
    term /= k2;
    const t = term / (2n * n + 1n);
    sum += n % 2n === 1n ? -t : t;
  }
  return sum;
}

function isqrt(v: bigint): bigint {
  let x = BigInt(Math.floor(Math.sqrt(Number(v))));
  if (x === 0n) x = 1n;
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x && y - x <= 1n) return x;
    x = y;
  }
}

let twoOverSqrtPi: bigint | null = null;

/** 2/sqrt(pi) in fixed point, computed once. */
function k(): bigint {
  if (twoOverSqrtPi === null) {
    const pi = 4n * (4n * atanInv(5n) - atanInv(239n));
    // sqrt(pi) in fixed point = isqrt(pi * ONE).
    twoOverSqrtPi = (2n * ONE * ONE) / isqrt(pi * ONE);
  }
  return twoOverSqrtPi;
}

/** x (>= 0) as a fixed-point BigInt, exactly: mantissa shifted by its exponent. */
function toFixed(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bexp !== 0) mant |= 1n << 52n;
  const shift = BigInt(bexp === 0 ? -1074 : bexp - 1075) + P;
  return shift >= 0n ? mant << shift : mant >> -shift;
}

/** erf(x) * 2^P for 0 <= x <= 6. */
function erfFixed(x: number): bigint {
  const X = toFixed(x);
  const X2 = (X * X) >> P;
  let t = X;
  let sum = X;
  for (let n = 1n; t !== 0n; n++) {
    t = -((t * X2) >> P) / n;
    sum += t / (2n * n + 1n);
  }
  return (sum * k()) >> P;
}

const fromFixed = (v: bigint): number => Number(v) * 2 ** -320;

export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x < 1e-10) return x * 1.1283791670955126;
  if (x >= 6) return 1;
  return fromFixed(erfFixed(x));
}

export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 6) return fromFixed(ONE - erfFixed(x));
  // exp(-x^2)/sqrt(pi) / (x + 1/2/(x + 1/(x + 3/2/(x + ...)))) by Lentz.
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
