/**
 * Randomness the engine consumes: live values of `random/0` and
 * `random_int/2` (recorded, so replay never calls it again) and generated ids.
 * A seed makes a whole engine run reproducible in tests.
 */

/** A source of uniform doubles in [0, 1). */
export type RandomSource = () => number;

/** A small, fast seeded generator (mulberry32); good enough for ids and tests. */
export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded from the platform's cryptographic source. */
export function cryptoRandom(): RandomSource {
  const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
  return seededRandom(seed);
}

/** A version-4-shaped UUID drawn from `random`. */
export function randomUuid(random: RandomSource): string {
  const hex: string[] = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
