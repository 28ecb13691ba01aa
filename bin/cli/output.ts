/** Printing results: JSON for scripts, aligned tables and key/value blocks for people. */
import { jsonText } from "../../engine/http/json-text.ts";

/**
 * Prints `value` as indented JSON on stdout; a value too deep for
 * JSON.stringify (a million-deep workflow result) is printed compact.
 */
export function printJson(value: unknown): void {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    text = jsonText(value);
  }
  console.log(text);
}

/** An ISO-like local time (`2024-05-01 12:34:56`), or `-` for null. */
export function formatTime(ms: unknown): string {
  if (typeof ms !== "number") return "-";
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Text of a cell: strings as is, everything else as compact JSON. */
export function cell(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  return jsonText(v);
}

/** Cuts `s` to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** An aligned table with a header row; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** `key: value` lines with the keys aligned. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(w + 2)}${v}`).join("\n");
}
