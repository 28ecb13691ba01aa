/**
 * Pure formatting for the console: times, durations, JSON, ids. No DOM and
 * no clock of its own (callers pass `now`), so it is unit-tested directly.
 */

/** An epoch-ms time as `YYYY-MM-DD HH:MM:SS.mmm` UTC ("—" when absent). */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/**
 * A duration in the largest units that keep it short: `850ms`, `1.25s`,
 * `3m 05s`, `2h 03m`, `4d 06h` ("—" for a negative or missing one).
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, "")}s`;
  const s = Math.floor(ms / 1000);
  const pad = (n: number): string => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** How far `ms` is from `now`: `in 5s`, `3m 05s ago`. */
export function formatRelative(ms: number, now: number): string {
  const d = ms - now;
  return d >= 0 ? `in ${formatDuration(d)}` : `${formatDuration(-d)} ago`;
}

/** A value as indented JSON (`undefined` shows as `—`). */
export function formatJson(value: unknown): string {
  if (value === undefined) return "—";
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A value as one line of JSON, cut to `max` characters with an ellipsis. */
export function jsonPreview(value: unknown, max = 80): string {
  const text = value === undefined ? "—" : (JSON.stringify(value) ?? String(value));
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A long id cut in the middle for tables (`1b4e28ba…e1c5`); short ids unchanged. */
export function shortId(id: string, keep = 8): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`;
}

/** The result of parsing the JSON typed into an editor. */
export type JsonInput =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

/** Parses editor text; empty text is `null` (a payload-less signal or query). */
export function parseJsonInput(text: string): JsonInput {
  if (text.trim() === "") return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * A `datetime-local` input's value (`2026-12-07T06:30`, taken as UTC) as
 * epoch ms; undefined when empty or malformed.
 */
export function parseLocalTime(value: string): number | undefined {
  if (value.trim() === "") return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}
