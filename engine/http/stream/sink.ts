/**
 * What a stream feed writes to: a WebSocket in the server, a recording fake
 * in tests. Also the frames of the original protocol (docs/api.md, "The
 * event stream"): event frames wrapping the Event JSON as bytes, the error
 * frame, and the close codes.
 */

import { jsonText } from "../json-text.ts";
import type { WireError } from "../original/errors.ts";
import type { WireEvent } from "../original/wire.ts";

/** A connection a feed sends frames to. */
export interface StreamSink {
  /**
   * Sends a text frame: bytes sent (> 0), -1 when it was queued behind
   * backpressure, 0 when the connection dropped it (closed).
   */
  send(text: string): number;
  /** Bytes queued and not yet written to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

/** Close code of a graceful end. */
export const CLOSE_COMPLETE = 1000;
/** Reason of a graceful end. */
export const COMPLETE_REASON = "subscription complete";
/** Close code after an error frame (the reason is the error code). */
export const CLOSE_ERROR = 1011;

const encoder = new TextEncoder();

/** An event frame: the Event's JSON as the bytes of a JSON payload. */
export function eventFrame(namespace: string, event: WireEvent): string {
  const bytes = [...encoder.encode(jsonText(event))];
  return jsonText({
    namespace,
    event: {
      namespace,
      request_id: null,
      payload: { content_type: "application/json", bytes },
    },
  });
}

/** Sends the error frame, then closes with 1011 and the code as reason. */
export function failStream(sink: StreamSink, error: WireError): void {
  sink.send(jsonText({ error: { code: error.code, message: error.message } }));
  sink.close(CLOSE_ERROR, error.code);
}
