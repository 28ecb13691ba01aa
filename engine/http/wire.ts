/**
 * The JSON shapes the HTTP API and the CLI print: histories with payloads
 * decoded, visibility records, outcomes. One place, so `aion history --json`
 * and `GET /v1/workflows/:id/history` say the same thing.
 */
import type { EventEnvelope } from "../events/index.ts";
import { isJsonContentType } from "../events/index.ts";

const text = new TextDecoder("utf-8", { fatal: true });

/** A payload as JSON: the decoded value for JSON payloads, else `{contentType, base64}`. */
function payloadJson(contentType: string, bytes: Uint8Array): unknown {
  if (isJsonContentType(contentType)) {
    try {
      return JSON.parse(text.decode(bytes));
    } catch {
      // Not JSON after all: fall through to the opaque form.
    }
  }
  return { contentType, base64: Buffer.from(bytes).toString("base64") };
}

/** Deep copy of `value` with every `{contentType, bytes}` payload decoded. */
export function wireValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(wireValue);
  if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    if (typeof o.contentType === "string" && o.bytes instanceof Uint8Array) {
      return payloadJson(o.contentType, o.bytes);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = wireValue(v);
    return out;
  }
  return value;
}

/** A history as JSON: `{seq, recordedAt, kind, ...fields}` per event. */
export function wireHistory(history: readonly EventEnvelope[]): unknown[] {
  return history.map((e) => ({
    seq: e.seq,
    recordedAt: e.recordedAt,
    ...(wireValue(e.event) as Record<string, unknown>),
  }));
}
