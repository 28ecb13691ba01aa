/**
 * One per-workflow subscription: replays the history from the requested
 * seq, then follows live appends, contiguous and without duplicates, and
 * ends with close 1000 after the terminal event of the run it reached.
 *
 * Live events come from the hub (this engine's own appends, pushed). They
 * are queued while a replay or catch-up read runs and drained by a single
 * pump, so frames leave in seq order: an event at or below the last sent seq
 * is a duplicate and skipped; one past `last + 1` means a gap (appends by
 * another process sharing the store), closed by reading the store from
 * `last + 1`. A workflow not resident in this engine may be advanced by
 * another process without any local append, so while such a subscription
 * is open its head is checked every `tailIntervalMs` and the feed catches
 * up when it is behind.
 */
import type { Engine } from "../../engine.ts";
import type { EventEnvelope } from "../../events/index.ts";
import { CallerApiError, toWireError } from "../original/errors.ts";
import { TERMINAL_EVENT_TYPES, wireEvent } from "../original/wire.ts";
import type { EventHub } from "./hub.ts";
import {
  CLOSE_COMPLETE,
  COMPLETE_REASON,
  eventFrame,
  failStream,
  type StreamSink,
} from "./sink.ts";

/** Limits of a feed. */
export interface FeedLimits {
  /** Bytes a slow consumer may leave unsent before it gets `lagged`. */
  readonly maxBufferedBytes: number;
  /** Live events that may wait behind a replay before the consumer gets `lagged`. */
  readonly maxQueuedEvents: number;
  /** Store tail period for workflows not resident here, ms (0: never). */
  readonly tailIntervalMs: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = {
  maxBufferedBytes: 8 * 1024 * 1024,
  maxQueuedEvents: 10_000,
  tailIntervalMs: 1000,
};

export class WorkflowFeed {
  private lastSent: number;
  private readonly queue: EventEnvelope[] = [];
  private pumping = false;
  private ready = false;
  private done = false;
  private unsubscribe: (() => void) | undefined;
  private tailTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly hub: EventHub,
    private readonly sink: StreamSink,
    private readonly namespace: string,
    private readonly workflowId: string,
    /** First seq to replay; undefined for a live tail from the current head. */
    from: number | undefined,
    /** The history head when the subscription was accepted. */
    head: number,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
  ) {
    this.lastSent = from === undefined ? head : from - 1;
  }

  /** Starts following; live events are captured before the replay is read. */
  start(): void {
    this.unsubscribe = this.hub.watchWorkflow(this.workflowId, (_id, envelopes) => {
      this.queue.push(...envelopes);
      if (this.queue.length > this.limits.maxQueuedEvents) {
        this.fail(new CallerApiError("lagged", "the subscriber fell too far behind"));
        return;
      }
      void this.pump();
    });
    if (this.limits.tailIntervalMs > 0) {
      this.tailTimer = setInterval(() => void this.tail(), this.limits.tailIntervalMs);
    }
    void (async () => {
      // Also for a live tail: appends between the head read and the hub
      // subscription are in the store, not in the queue.
      await this.catchUp();
      if (!this.done) await this.endIfAlreadyOver();
      this.ready = true;
      await this.pump();
    })().catch((e: unknown) => this.fail(toWireError(e)));
  }

  /** A subscription past the end of a chain that has ended would never get an event. */
  private async endIfAlreadyOver(): Promise<void> {
    const d = await this.engine.store.describe(this.workflowId);
    if (d !== undefined && d.status !== "Running" && d.headSeq <= this.lastSent) {
      this.finish();
    }
  }

  /** Reads and sends everything after the last sent seq from the store. */
  private async catchUp(): Promise<void> {
    if (this.done) return;
    const events = await this.engine.store.readHistoryFrom(this.workflowId, this.lastSent + 1);
    for (const e of events) {
      if (this.done) return;
      if (e.seq === this.lastSent + 1) this.emit(e);
    }
  }

  /** Drains queued live events in seq order (one pump at a time). */
  private async pump(): Promise<void> {
    if (!this.ready || this.pumping || this.done) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.done) {
        const e = this.queue.shift()!;
        if (e.seq <= this.lastSent) continue;
        if (e.seq > this.lastSent + 1) {
          await this.catchUp();
          if (!this.done && e.seq > this.lastSent + 1) {
            this.fail(new CallerApiError("lagged", `gap before seq ${e.seq} in the history`));
          }
          continue;
        }
        this.emit(e);
      }
    } catch (e) {
      this.fail(toWireError(e));
    } finally {
      this.pumping = false;
    }
  }

  /** Periodic check for appends made by another process. */
  private async tail(): Promise<void> {
    if (!this.ready || this.pumping || this.done) return;
    if (this.engine.residentIds().includes(this.workflowId)) return;
    const d = await this.engine.store.describe(this.workflowId).catch(() => undefined);
    if (d === undefined || d.headSeq <= this.lastSent) return;
    this.pumping = true;
    try {
      await this.catchUp();
    } catch (e) {
      this.fail(toWireError(e));
    } finally {
      this.pumping = false;
    }
    await this.pump();
  }

  private emit(e: EventEnvelope): void {
    const sent = this.sink.send(eventFrame(this.namespace, wireEvent(this.workflowId, e)));
    if (sent === 0) {
      this.stop();
      return;
    }
    this.lastSent = e.seq;
    if (sent < 0 && this.sink.bufferedAmount() > this.limits.maxBufferedBytes) {
      this.fail(new CallerApiError("lagged", "the subscriber is not reading fast enough"));
      return;
    }
    if (TERMINAL_EVENT_TYPES.has(e.event.kind)) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.stop();
    this.sink.close(CLOSE_COMPLETE, COMPLETE_REASON);
  }

  private fail(error: CallerApiError): void {
    if (this.done) return;
    this.stop();
    failStream(this.sink, error.body);
  }

  /** Stops following (the connection closed, or the feed ended). */
  stop(): void {
    this.done = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.tailTimer !== undefined) clearInterval(this.tailTimer);
    this.tailTimer = undefined;
    this.queue.length = 0;
  }
}
