/**
 * Workflow timeouts: serde's `std::time::Duration` encoding as it appears in
 * manifest.json (`{"secs": u64, "nanos": u32}`), and the human forms a
 * workflow.toml may use ("250ms", "30s", "5m", "1h", "2d", or plain seconds).
 */

/** A non-negative duration. `secs` is a safe integer; `nanos` is below 1e9. */
export interface Duration {
  readonly secs: number;
  readonly nanos: number;
}

const NANOS_PER_SEC = 1_000_000_000n;
const UNIT_NANOS: Record<string, bigint> = {
  ms: 1_000_000n,
  s: NANOS_PER_SEC,
  m: 60n * NANOS_PER_SEC,
  h: 3600n * NANOS_PER_SEC,
  d: 86400n * NANOS_PER_SEC,
};
const MAX_SECS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Reads serde's encoding: an object with exactly `secs` and `nanos`, or the
 * two-element array serde also accepts. Like serde, nanos of a second or more
 * carry into `secs`. Returns a problem description instead of throwing so the
 * caller can name the field.
 */
export function parseSerdeDuration(value: unknown): Duration | string {
  let secs: unknown;
  let nanos: unknown;
  if (Array.isArray(value)) {
    if (value.length !== 2) return "expected [secs, nanos]";
    [secs, nanos] = value;
  } else if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    const extra = keys.find((k) => k !== "secs" && k !== "nanos");
    if (extra !== undefined) return `unknown field '${extra}', expected 'secs' and 'nanos'`;
    ({ secs, nanos } = value as { secs?: unknown; nanos?: unknown });
    if (secs === undefined) return "missing field 'secs'";
    if (nanos === undefined) return "missing field 'nanos'";
  } else {
    return 'expected a duration object {"secs": N, "nanos": N}';
  }
  if (!isNonNegativeInteger(secs)) return "'secs' must be a non-negative integer";
  if (!isNonNegativeInteger(nanos) || nanos > 0xffffffff) {
    return "'nanos' must be an integer from 0 to 4294967295";
  }
  return fromNanos(BigInt(secs) * NANOS_PER_SEC + BigInt(nanos)) ?? "duration is too large";
}

/**
 * Reads a human duration: a number of seconds, or a decimal number followed
 * by `ms`, `s`, `m`, `h` or `d` ("1.5h", "250ms"). Fractions below a
 * nanosecond are refused rather than rounded, so the hash never depends on
 * rounding.
 */
export function parseHumanDuration(value: unknown): Duration | string {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return "must be a non-negative number of seconds";
    text = Number.isInteger(value) ? `${BigInt(value)}` : String(value);
    if (/e/i.test(text)) return "write small or large second counts as a string with a unit";
  } else if (typeof value === "string") {
    text = value.trim();
  } else {
    return 'expected a duration like "30s", "5m", "1h" or a number of seconds';
  }
  const m = /^(\d+)(?:\.(\d+))?\s*(ms|s|m|h|d)?$/.exec(text);
  if (m === null) return `'${text}' is not a duration (use e.g. "250ms", "30s", "5m", "1h", "2d")`;
  const unit = UNIT_NANOS[m[3] ?? "s"]!;
  const fraction = m[2] ?? "";
  const scale = 10n ** BigInt(fraction.length);
  const fractionNanos = BigInt(fraction || "0") * unit;
  if (fractionNanos % scale !== 0n) return `'${text}' is finer than a nanosecond`;
  return fromNanos(BigInt(m[1]!) * unit + fractionNanos / scale) ?? `'${text}' is too large`;
}

/** A short human rendering, e.g. "30s" or "1.5s". */
export function formatDuration(d: Duration): string {
  if (d.nanos === 0) return `${d.secs}s`;
  return `${d.secs}.${String(d.nanos).padStart(9, "0").replace(/0+$/, "")}s`;
}

function fromNanos(total: bigint): Duration | undefined {
  const secs = total / NANOS_PER_SEC;
  if (secs > MAX_SECS) return undefined;
  return { secs: Number(secs), nanos: Number(total % NANOS_PER_SEC) };
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}
