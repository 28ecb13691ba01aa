/**
 * A per-workflow event stream as an async iterator over `/events/stream`.
 * Each event is yielded once, in seq order: when the connection drops
 * without the server ending it, the iterator reconnects with
 * `resume_from_seq` = last seen + 1 (after a backoff), so the caller sees
 * no gap and no duplicate. A graceful close (1000) ends the iteration, or,
 * after a `WorkflowContinuedAsNew` with `followContinueAsNew`, resumes into
 * the next run; an error frame (close 1011) throws the typed error.
 */
import { AionClientError, errorFromCode } from "./errors.ts";
import type { HistoryEvent } from "./types.ts";

/** Options of `subscribe`. */
export interface SubscribeOptions {
  /** Namespace of the workflow (default: the client's). */
  readonly namespace?: string;
  /** First seq to deliver (1 = full history); absent: only events from now on. */
  readonly fromSeq?: number;
  /** Keep following after a continue-as-new (default true). */
  readonly followContinueAsNew?: boolean;
  /** Reconnects in a row without receiving anything before giving up (default 8). */
  readonly maxReconnects?: number;
  /** First reconnect delay, doubling up to 5 s (default 100 ms). */
  readonly reconnectDelayMs?: number;
}

/** How to open a stream connection. */
export interface StreamTarget {
  /** `ws://host:port/events/stream?...` with any auth query parameters. */
  readonly url: string;
  /** Headers of the handshake (Bun's WebSocket accepts them). */
  readonly headers: Readonly<Record<string, string>>;
}

/** What one connection ended with. */
type Ending =
  | { readonly kind: "complete" }
  | { readonly kind: "error"; readonly error: AionClientError }
  | { readonly kind: "dropped" };

const decoder = new TextDecoder();

/** The Event inside an event frame, or undefined for any other frame. */
function eventOf(frame: unknown): HistoryEvent | undefined {
  if (typeof frame !== "object" || frame === null) return undefined;
  const payload = (frame as { event?: { payload?: { bytes?: unknown } } }).event?.payload;
  if (!Array.isArray(payload?.bytes)) return undefined;
  return JSON.parse(decoder.decode(Uint8Array.from(payload.bytes as number[]))) as HistoryEvent;
}

/** A queue that one connection fills and the iterator drains. */
class Inbox {
  private readonly items: (HistoryEvent | Ending)[] = [];
  private wake: (() => void) | undefined;

  push(item: HistoryEvent | Ending): void {
    this.items.push(item);
    this.wake?.();
    this.wake = undefined;
  }

  async next(): Promise<HistoryEvent | Ending> {
    while (this.items.length === 0) await new Promise<void>((r) => (this.wake = r));
    return this.items.shift()!;
  }
}

/** Opens one connection that delivers into `inbox` and always ends with an `Ending`. */
function connectOnce(target: StreamTarget, first: unknown, inbox: Inbox): () => void {
  const ws = new WebSocket(target.url, { headers: target.headers } as unknown as string[]);
  let ended = false;
  let errorFrame: AionClientError | undefined;
  const end = (e: Ending): void => {
    if (ended) return;
    ended = true;
    inbox.push(e);
  };
  ws.onopen = () => ws.send(JSON.stringify(first));
  ws.onmessage = (m) => {
    try {
      const text = typeof m.data === "string" ? m.data : decoder.decode(m.data as ArrayBuffer);
      const frame = JSON.parse(text) as Record<string, unknown>;
      const err = frame.error as { code?: unknown; message?: unknown } | undefined;
      if (err !== undefined && typeof err.code === "string") {
        errorFrame = errorFromCode(err.code, String(err.message ?? ""), 1011);
        return;
      }
      const event = eventOf(frame);
      if (event !== undefined && !ended) inbox.push(event);
    } catch {
      // A frame that is not ours: ignored.
    }
  };
  ws.onclose = (c) => {
    if (c.code === 1000) end({ kind: "complete" });
    else if (errorFrame !== undefined) end({ kind: "error", error: errorFrame });
    else if (c.code === 1011 && c.reason)
      end({ kind: "error", error: errorFromCode(c.reason, c.reason, 1011) });
    else end({ kind: "dropped" });
  };
  ws.onerror = () => {
    // onclose follows with the details.
  };
  return () => {
    ended = true;
    ws.close();
  };
}

/**
 * Follows `workflowId`'s events. `target` is asked again at each reconnect
 * (so tokens can be refreshed).
 */
export async function* subscribeEvents(
  target: () => StreamTarget,
  namespace: string,
  workflowId: string,
  options: SubscribeOptions = {},
): AsyncGenerator<HistoryEvent, void, undefined> {
  let last: number | undefined = options.fromSeq === undefined ? undefined : options.fromSeq - 1;
  const follow = options.followContinueAsNew ?? true;
  const maxReconnects = options.maxReconnects ?? 8;
  let failures = 0;
  let delay = options.reconnectDelayMs ?? 100;
  for (;;) {
    const inbox = new Inbox();
    const resume = last === undefined ? undefined : last + 1;
    const first = {
      per_workflow: {
        namespace,
        workflow_id: workflowId,
        ...(resume !== undefined ? { resume_from_seq: resume } : {}),
      },
    };
    const close = connectOnce(target(), first, inbox);
    let lastType: string | undefined;
    let ending: Ending;
    try {
      for (;;) {
        const item = await inbox.next();
        if ("kind" in item) {
          ending = item;
          break;
        }
        const seq = item.data.envelope.seq;
        if (last !== undefined && seq <= last) continue;
        last = seq;
        lastType = item.type;
        failures = 0;
        delay = options.reconnectDelayMs ?? 100;
        yield item;
      }
    } finally {
      close();
    }
    if (ending.kind === "error") throw ending.error;
    if (ending.kind === "complete") {
      if (follow && lastType === "WorkflowContinuedAsNew") continue;
      return;
    }
    failures++;
    if (failures > maxReconnects) {
      throw new AionClientError("transport", `event stream of ${workflowId} kept dropping`, 0);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 5000);
  }
}
