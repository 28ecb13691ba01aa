/**
 * Fan-out of this engine's appends to stream subscribers: one
 * `Engine.onAppended` listener, dispatched per workflow id (per-workflow
 * streams) and to every namespace-wide stream. Events are pushed as they
 * become durable, never polled.
 */
import type { Engine } from "../../engine.ts";
import type { EventEnvelope } from "../../events/index.ts";

/** Receives the envelopes of one append, in order. */
export type AppendListener = (workflowId: string, envelopes: readonly EventEnvelope[]) => void;

export class EventHub {
  private readonly byWorkflow = new Map<string, Set<AppendListener>>();
  private readonly everything = new Set<AppendListener>();
  private readonly detach: () => void;

  constructor(engine: Engine) {
    this.detach = engine.onAppended((id, envelopes) => this.dispatch(id, envelopes));
  }

  private dispatch(workflowId: string, envelopes: readonly EventEnvelope[]): void {
    for (const l of this.byWorkflow.get(workflowId) ?? []) l(workflowId, envelopes);
    for (const l of this.everything) l(workflowId, envelopes);
  }

  /** Listens to one workflow's appends; returns the unsubscribe function. */
  watchWorkflow(workflowId: string, listener: AppendListener): () => void {
    let set = this.byWorkflow.get(workflowId);
    if (set === undefined) {
      set = new Set();
      this.byWorkflow.set(workflowId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byWorkflow.get(workflowId) === set) {
        this.byWorkflow.delete(workflowId);
      }
    };
  }

  /** Listens to every append; returns the unsubscribe function. */
  watchAll(listener: AppendListener): () => void {
    this.everything.add(listener);
    return () => this.everything.delete(listener);
  }

  /** Subscribers currently attached (for metrics and tests). */
  get subscriberCount(): number {
    let n = this.everything.size;
    for (const s of this.byWorkflow.values()) n += s.size;
    return n;
  }

  /** Stops listening to the engine. */
  close(): void {
    this.detach();
    this.byWorkflow.clear();
    this.everything.clear();
  }
}
