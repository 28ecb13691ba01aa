/**
 * A namespace-wide live tail (`filtered` or `firehose`): every event this
 * engine appends to a workflow of the namespace from now on, optionally only
 * of one workflow type or one status. The status an event matches is the
 * one it gives its workflow: the terminal status for a terminal event,
 * `Running` for any other. Live only: no replay, no resume, and (unlike a
 * per-workflow feed) no tailing of other processes' appends.
 */
import type { Engine } from "../../engine.ts";
import type { EventEnvelope } from "../../events/index.ts";
import { CallerApiError, toWireError } from "../original/errors.ts";
import { wireEvent } from "../original/wire.ts";
import type { EventHub } from "./hub.ts";
import type { NamespaceRequest } from "./request.ts";
import { eventFrame, failStream, type StreamSink } from "./sink.ts";
import type { FeedLimits } from "./workflow-feed.ts";

/** The status a terminal event gives its workflow. */
const STATUS_OF_KIND: Readonly<Record<string, string>> = {
  WorkflowCompleted: "Completed",
  WorkflowFailed: "Failed",
  WorkflowCancelled: "Cancelled",
  WorkflowTimedOut: "TimedOut",
  WorkflowContinuedAsNew: "ContinuedAsNew",
};

/** Most workflows whose namespace and type are remembered. */
const MAX_KNOWN = 10_000;

export class NamespaceFeed {
  private readonly known = new Map<string, { namespace: string; type: string }>();
  private readonly queue: { workflowId: string; e: EventEnvelope }[] = [];
  private pumping = false;
  private done = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly hub: EventHub,
    private readonly sink: StreamSink,
    private readonly request: NamespaceRequest,
    private readonly limits: FeedLimits,
  ) {}

  start(): void {
    this.unsubscribe = this.hub.watchAll((workflowId, envelopes) => {
      for (const e of envelopes) this.queue.push({ workflowId, e });
      if (this.queue.length > this.limits.maxQueuedEvents) {
        this.fail(new CallerApiError("lagged", "the subscriber fell too far behind"));
        return;
      }
      void this.pump();
    });
  }

  /** The namespace and type of a workflow (its start event, or the store). */
  private async identify(
    workflowId: string,
    e: EventEnvelope,
  ): Promise<{ namespace: string; type: string } | undefined> {
    const cached = this.known.get(workflowId);
    if (cached !== undefined) return cached;
    const d = await this.engine.store.describe(workflowId);
    if (d === undefined) return undefined;
    const type = e.event.kind === "WorkflowStarted" ? e.event.workflowType : d.workflowType;
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    const found = { namespace: d.namespace, type };
    this.known.set(workflowId, found);
    return found;
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.done) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.done) {
        const { workflowId, e } = this.queue.shift()!;
        const who = await this.identify(workflowId, e);
        if (who === undefined || who.namespace !== this.request.namespace) continue;
        // A continued run may change type: the event's own type wins.
        const type = e.event.kind === "WorkflowStarted" ? e.event.workflowType : who.type;
        if (e.event.kind === "WorkflowStarted") this.known.set(workflowId, { ...who, type });
        if (this.request.workflowType !== undefined && type !== this.request.workflowType) continue;
        const status = STATUS_OF_KIND[e.event.kind] ?? "Running";
        if (this.request.status !== undefined && status !== this.request.status) continue;
        const sent = this.sink.send(eventFrame(this.request.namespace, wireEvent(workflowId, e)));
        if (sent === 0) this.stop();
        else if (sent < 0 && this.sink.bufferedAmount() > this.limits.maxBufferedBytes) {
          this.fail(new CallerApiError("lagged", "the subscriber is not reading fast enough"));
        }
      }
    } catch (e) {
      this.fail(toWireError(e));
    } finally {
      this.pumping = false;
    }
  }

  private fail(error: CallerApiError): void {
    if (this.done) return;
    this.stop();
    failStream(this.sink, error.body);
  }

  stop(): void {
    this.done = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queue.length = 0;
  }
}
