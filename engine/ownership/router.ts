/**
 * Where an API call on a workflow runs: here when this process owns the
 * workflow's shard (no extra cost: one map lookup); under a lease borrowed
 * for the call when nobody holds the shard; otherwise on the owner, through
 * the inbox. Results are awaited on the store when the workflow may live
 * elsewhere.
 */
import type { EngineCore } from "../core.ts";
import { NotResidentError, OwnerUnavailableError, ShardNotOwnedError } from "../errors.ts";
import { finalOutcome, type WorkflowOutcome } from "../outcome.ts";
import { FencedError, type InboxKind } from "../store/index.ts";
import {
  callThroughInbox,
  type EndBody,
  type InboxCalls,
  NO_REPLY,
  type QueryBody,
  type SignalBody,
  type StartBody,
} from "./inbox.ts";
import { HELD_ELSEWHERE } from "./ownership.ts";

/** How long a forwarded start/signal/cancel/terminate waits for its owner by default. */
export const DEFAULT_FORWARD_TIMEOUT_MS = 30_000;

export class CallRouter {
  constructor(
    private readonly core: EngineCore,
    private readonly local: InboxCalls,
    private readonly forwardTimeoutMs = DEFAULT_FORWARD_TIMEOUT_MS,
  ) {}

  start(body: StartBody, entryId?: string): Promise<string> {
    return this.route(body.workflowId, "start", body, () => this.local.start(body), {
      entryId,
    }) as Promise<string>;
  }

  async signal(
    workflowId: string,
    body: Omit<SignalBody, "signalId"> & { signalId?: string },
  ): Promise<void> {
    const entryId = body.signalId === undefined ? undefined : `signal:${body.signalId}`;
    await this.route(
      workflowId,
      "signal",
      body,
      () => this.local.signal(workflowId, body as SignalBody),
      // Through the inbox a signal always carries an id, so a redrained entry signals once.
      { entryId, remoteBody: (id) => ({ ...body, signalId: body.signalId ?? id }) },
    );
  }

  async cancel(workflowId: string, body: EndBody): Promise<void> {
    await this.route(workflowId, "cancel", body, () => this.local.cancel(workflowId, body));
  }

  async terminate(workflowId: string, body: EndBody): Promise<void> {
    await this.route(workflowId, "terminate", body, () => this.local.terminate(workflowId, body));
  }

  query(workflowId: string, body: QueryBody): Promise<string> {
    return this.route(workflowId, "query", body, () => this.local.query(workflowId, body), {
      // The owner's own query timeout runs first; then a little time for its reply to arrive.
      timeoutMs: body.timeoutMs + 2 * this.core.ownership.pollMs,
      withdraw: true,
    }) as Promise<string>;
  }

  private async route(
    workflowId: string,
    kind: InboxKind,
    body: unknown,
    local: () => Promise<unknown>,
    o: {
      entryId?: string | undefined;
      remoteBody?: (entryId: string) => unknown;
      timeoutMs?: number;
      withdraw?: boolean;
    } = {},
  ): Promise<unknown> {
    this.core.tasks.ensureOpen();
    const own = this.core.ownership;
    if (own.owns(workflowId)) {
      try {
        return await local();
      } catch (e) {
        // The shard was lost under the call (fenced out): it belongs on the new owner.
        if (!(e instanceof FencedError || e instanceof ShardNotOwnedError)) throw e;
      }
    }
    const shard = own.shardOf(workflowId);
    const borrowed = await own.borrow(shard, local);
    if (borrowed !== HELD_ELSEWHERE) return borrowed;
    const entryId = o.entryId ?? `${kind}:${crypto.randomUUID()}`;
    const timeoutMs = o.timeoutMs ?? this.forwardTimeoutMs;
    const value = await callThroughInbox(
      { store: this.core.store, clock: own.clock, tasks: this.core.tasks, pollMs: own.pollMs },
      { entryId, shard, workflowId, kind, body: o.remoteBody ? o.remoteBody(entryId) : body },
      timeoutMs,
      o.withdraw ?? false,
    );
    if (value === NO_REPLY) {
      throw kind === "query"
        ? new NotResidentError(workflowId, timeoutMs)
        : new OwnerUnavailableError(workflowId, timeoutMs);
    }
    return value;
  }

  /**
   * The final outcome, from this process's own notification or, since the
   * workflow may run (or move) elsewhere, from the store, polled.
   */
  result(workflowId: string): Promise<WorkflowOutcome> {
    const local = this.core.result(workflowId);
    if (this.core.ownership.mode === "exclusive") return local;
    const polled = (async () => {
      for (;;) {
        await pause(this.core, this.core.ownership.pollMs);
        this.core.tasks.ensureOpen();
        const o = finalOutcome(await this.core.store.readHistory(workflowId));
        if (o !== undefined) return o;
      }
    })();
    return Promise.race([local, polled]);
  }
}

function pause(core: EngineCore, ms: number): Promise<void> {
  const clock = core.ownership.clock;
  return new Promise((resolve) => {
    const unsubscribe = core.tasks.onClose(() => {
      clock.cancel(h);
      resolve();
    });
    const h = clock.schedule(clock.now() + ms, () => {
      unsubscribe();
      resolve();
    });
  });
}
