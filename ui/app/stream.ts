/**
 * Live updates of one workflow from the event stream (`GET /events/stream`,
 * docs/api.md): subscribes from `fromSeq`, calls `onEvent` with each event's
 * seq and kind as it becomes durable, and `onEnd` when the stream ends
 * (the run finished, or a refusal, or the connection dropped).
 */
import { streamUrl } from "./api.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the stream can follow this id (its wire format carries UUIDs only). */
export function streamable(workflowId: string): boolean {
  return UUID.test(workflowId);
}

/** How the stream ended. */
export interface StreamEnd {
  /** True when the server completed the subscription (close 1000). */
  readonly complete: boolean;
  readonly message: string;
}

/** A stream event frame's seq and kind, or undefined for anything else. */
export function eventOfFrame(text: string): { seq: number; kind: string } | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  const bytes = (frame as { event?: { payload?: { bytes?: unknown } } } | null)?.event?.payload
    ?.bytes;
  if (!Array.isArray(bytes)) return undefined;
  try {
    const ev = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes as number[]))) as {
      type?: unknown;
      data?: { envelope?: { seq?: unknown } };
    };
    const seq = ev.data?.envelope?.seq;
    return typeof seq === "number" && typeof ev.type === "string"
      ? { seq, kind: ev.type }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Follows workflow `id`; returns the function that stops following. */
export function followWorkflow(
  id: string,
  namespace: string,
  fromSeq: number,
  onEvent: (e: { seq: number; kind: string }) => void,
  onEnd: (end: StreamEnd) => void,
): () => void {
  const ws = new WebSocket(streamUrl());
  let stopped = false;
  let error = "";
  ws.onopen = () => {
    ws.send(
      JSON.stringify({
        per_workflow: { namespace, workflow_id: id, resume_from_seq: fromSeq },
      }),
    );
  };
  ws.onmessage = (m) => {
    if (typeof m.data !== "string") return;
    const e = eventOfFrame(m.data);
    if (e !== undefined) onEvent(e);
    else {
      const err = (JSON.parse(m.data) as { error?: { message?: string } }).error;
      if (err?.message) error = err.message;
    }
  };
  ws.onclose = (c) => {
    if (stopped) return;
    onEnd({ complete: c.code === 1000, message: error || c.reason || `closed (${c.code})` });
  };
  return () => {
    stopped = true;
    ws.close();
  };
}
