/**
 * Versioned binary serialization of event envelopes.
 *
 * Layout of format version 1 (all integers big-endian):
 *
 * ```
 * u8   format version (= 1)
 * u32  header length H
 * H    header: UTF-8 JSON {seq, recordedAt, workflowId, event}, where each
 *      payload is replaced by [contentType, byteLength]
 * ...  the payload bytes, concatenated in schema field order
 * u32  CRC-32 of every preceding byte
 * ```
 *
 * Payload bytes stay binary (no base64 inflation) and JSON payloads remain
 * readable in a hex dump. The version byte comes first so a future layout can
 * change everything after it; the checksum turns torn or bit-flipped rows into
 * a typed error instead of a silently wrong event.
 */
import { EventDecodeError, InvalidEventError } from "./errors.ts";
import type { EventEnvelope, WorkflowError, WorkflowEvent } from "./event.ts";
import type { Payload } from "./payload.ts";
import {
  checkScalar,
  fieldsOf,
  isEventKind,
  isNonNegativeInt,
  isOptionalTag,
  isRecord,
} from "./schema.ts";

/** The format version `encodeEvent` writes. */
export const EVENT_FORMAT_VERSION = 1;

const PREFIX_BYTES = 5;
const CRC_BYTES = 4;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

type WirePayload = [string, number];

/**
 * Serialize an envelope. The event is not re-validated here: stores validate
 * on the way in, and encoding a malformed event yields bytes that fail decode.
 */
export function encodeEvent(envelope: EventEnvelope): Uint8Array {
  const blobs: Uint8Array[] = [];
  const wirePayload = (p: Payload): WirePayload => {
    blobs.push(p.bytes);
    return [p.contentType, p.bytes.byteLength];
  };
  const source = envelope.event as unknown as Readonly<Record<string, unknown>>;
  const wireEvent: Record<string, unknown> = { kind: envelope.event.kind };
  for (const [name, tag] of fieldsOf(envelope.event.kind)) {
    const v = source[name];
    // An absent optional field stays absent on the wire (rows written before it existed look the same).
    if (v === undefined && isOptionalTag(tag)) continue;
    if (tag === "payload") wireEvent[name] = wirePayload(v as Payload);
    else if (tag === "error") {
      const e = v as WorkflowError;
      wireEvent[name] = {
        message: e.message,
        details: e.details === null ? null : wirePayload(e.details),
      };
    } else wireEvent[name] = v;
  }
  const header = encoder.encode(
    JSON.stringify({
      seq: envelope.seq,
      recordedAt: envelope.recordedAt,
      workflowId: envelope.workflowId,
      event: wireEvent,
    }),
  );
  let total = PREFIX_BYTES + header.byteLength + CRC_BYTES;
  for (const b of blobs) total += b.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out[0] = EVENT_FORMAT_VERSION;
  view.setUint32(1, header.byteLength);
  out.set(header, PREFIX_BYTES);
  let at = PREFIX_BYTES + header.byteLength;
  for (const b of blobs) {
    out.set(b, at);
    at += b.byteLength;
  }
  view.setUint32(at, Bun.hash.crc32(out.subarray(0, at)));
  return out;
}

/** Read the format version of encoded bytes without decoding them. */
export function eventFormatVersion(bytes: Uint8Array): number | undefined {
  return bytes.byteLength > 0 ? bytes[0] : undefined;
}

function corrupt(message: string, cause?: unknown): EventDecodeError {
  return new EventDecodeError(
    "corrupt",
    `corrupt event bytes: ${message}`,
    EVENT_FORMAT_VERSION,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Decode bytes produced by `encodeEvent`.
 *
 * Payload `bytes` are views into `bytes`; the caller hands over ownership.
 *
 * @throws EventDecodeError `unknown-version` for another format version,
 *   `corrupt` for anything else that is wrong.
 */
export function decodeEvent(bytes: Uint8Array): EventEnvelope {
  if (bytes.byteLength === 0) throw corrupt("empty");
  const version = bytes[0]!;
  if (version !== EVENT_FORMAT_VERSION) {
    throw new EventDecodeError(
      "unknown-version",
      `event format version ${version} is not supported (this build reads ${EVENT_FORMAT_VERSION})`,
      version,
    );
  }
  if (bytes.byteLength < PREFIX_BYTES + CRC_BYTES) throw corrupt("truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcAt = bytes.byteLength - CRC_BYTES;
  if (view.getUint32(crcAt) !== Bun.hash.crc32(bytes.subarray(0, crcAt))) {
    throw corrupt("checksum mismatch");
  }
  const headerLength = view.getUint32(1);
  if (PREFIX_BYTES + headerLength > crcAt) throw corrupt("header overruns the buffer");
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch (cause) {
    throw corrupt("header is not valid JSON", cause);
  }
  let cursor = PREFIX_BYTES + headerLength;
  const takePayload = (wire: unknown, path: string): Payload => {
    if (
      !Array.isArray(wire) ||
      wire.length !== 2 ||
      typeof wire[0] !== "string" ||
      wire[0].length === 0 ||
      !isNonNegativeInt(wire[1])
    ) {
      throw corrupt(`${path} is not a payload reference`);
    }
    const end = cursor + wire[1];
    if (end > crcAt) throw corrupt(`${path} overruns the buffer`);
    const p: Payload = { contentType: wire[0], bytes: bytes.subarray(cursor, end) };
    cursor = end;
    return p;
  };
  try {
    const envelope = decodeHeader(header, takePayload);
    if (cursor !== crcAt) throw corrupt("trailing bytes after the last payload");
    return envelope;
  } catch (error) {
    if (error instanceof InvalidEventError) throw corrupt(error.message, error);
    throw error;
  }
}

function decodeHeader(
  header: unknown,
  takePayload: (wire: unknown, path: string) => Payload,
): EventEnvelope {
  if (!isRecord(header)) throw corrupt("header is not an object");
  const { seq, recordedAt, workflowId, event } = header;
  if (!isNonNegativeInt(seq) || seq < 1) throw corrupt("seq is not a positive integer");
  if (!isNonNegativeInt(recordedAt)) throw corrupt("recordedAt is not a timestamp");
  if (typeof workflowId !== "string") throw corrupt("workflowId is not a string");
  if (!isRecord(event) || !isEventKind(event.kind)) throw corrupt("unknown event kind");
  const fields = fieldsOf(event.kind);
  const known = new Set(fields.map(([name]) => name));
  for (const key of Object.keys(event)) {
    if (key !== "kind" && !known.has(key)) throw corrupt("unexpected event fields");
  }
  const out: Record<string, unknown> = { kind: event.kind };
  for (const [name, tag] of fields) {
    const path = `event.${name}`;
    if (!(name in event)) {
      if (isOptionalTag(tag)) continue;
      throw corrupt(`${path} is missing`);
    }
    const wire = event[name];
    if (tag === "payload") out[name] = takePayload(wire, path);
    else if (tag === "error") {
      if (!isRecord(wire) || typeof wire.message !== "string" || !("details" in wire)) {
        throw corrupt(`${path} is not an error`);
      }
      const details = wire.details === null ? null : takePayload(wire.details, `${path}.details`);
      out[name] = { message: wire.message, details };
    } else out[name] = checkScalar(tag, wire, path);
  }
  return { seq, recordedAt, workflowId, event: out as unknown as WorkflowEvent };
}
