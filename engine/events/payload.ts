/**
 * Opaque payloads carried by events: a content type plus raw bytes.
 *
 * The engine never interprets payload bytes except through these helpers;
 * JSON is the default encoding because every data-carrying argument of the
 * native contract is a JSON document inside a binary.
 */
import { PayloadError } from "./errors.ts";

/** Bytes tagged with their content type. Treat as immutable once built. */
export interface Payload {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** Content type of JSON payloads. */
export const JSON_CONTENT_TYPE = "application/json";

const encoder = new TextEncoder();
// `fatal` so that invalid UTF-8 surfaces as an error rather than U+FFFD noise.
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Build a payload from raw bytes and a content type. */
export function payload(contentType: string, bytes: Uint8Array): Payload {
  return { contentType, bytes };
}

/**
 * Serialize a value as a JSON payload.
 *
 * @throws PayloadError (`unserializable`) when the value has no JSON form
 *   (`undefined`, a function, a symbol) or contains a cycle or a bigint.
 */
export function jsonPayload(value: unknown): Payload {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new PayloadError("unserializable", "value cannot be serialized as JSON", { cause });
  }
  if (text === undefined) {
    throw new PayloadError("unserializable", `a ${typeof value} has no JSON representation`);
  }
  return { contentType: JSON_CONTENT_TYPE, bytes: encoder.encode(text) };
}

/** Whether a content type denotes JSON (parameters such as `charset` are ignored). */
export function isJsonContentType(contentType: string): boolean {
  const base = contentType.split(";", 1)[0] ?? "";
  return base.trim().toLowerCase() === JSON_CONTENT_TYPE;
}

/**
 * Parse a JSON payload back into a value.
 *
 * @throws PayloadError (`not-json`) for other content types, (`invalid-json`)
 *   when the bytes are not valid UTF-8 JSON.
 */
export function decodePayload(p: Payload): unknown {
  if (!isJsonContentType(p.contentType)) {
    throw new PayloadError("not-json", `payload content type is ${p.contentType}, not JSON`);
  }
  try {
    return JSON.parse(decoder.decode(p.bytes));
  } catch (cause) {
    throw new PayloadError("invalid-json", "payload bytes are not valid JSON", { cause });
  }
}

/** Structural equality: same content type and identical bytes. */
export function payloadEquals(a: Payload, b: Payload): boolean {
  if (a.contentType !== b.contentType || a.bytes.byteLength !== b.bytes.byteLength) {
    return false;
  }
  for (let i = 0; i < a.bytes.byteLength; i++) {
    if (a.bytes[i] !== b.bytes[i]) return false;
  }
  return true;
}
