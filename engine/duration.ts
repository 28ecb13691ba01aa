/**
 * Durations as the native contract passes them: text such as `"20"` (ms) or
 * with a unit suffix (`ms`, `s`, `m`, `h`, `d`), e.g. `"1.5s"`, `"10m"`.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  "": 1,
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Milliseconds for a duration text, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (m === null) return undefined;
  const factor = UNIT_MS[m[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const ms = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
