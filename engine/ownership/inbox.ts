/**
 * API calls on workflows another process owns go through the store's inbox:
 * the caller records an entry (idempotent by its id) and waits on the store
 * for the reply; the owner's poll drains the entries of its shards, carries
 * each out locally and writes the reply. Queries take the same path, with
 * their timeout: no reply in time is `NotResidentError`.
 */
import type { Clock } from "../../vm/index.ts";
import { EngineShutDownError, ShardNotOwnedError } from "../errors.ts";
import type { TaskTracker } from "../host/tasks.ts";
import type { EventStore, InboxKind, InboxRecord } from "../store/index.ts";
import { errorReply, okReply, parseReply, replyError } from "./replies.ts";

/** What the owner runs for each kind of entry (the engine's local calls). */
export interface InboxCalls {
  start(body: StartBody): Promise<string>;
  signal(workflowId: string, body: SignalBody): Promise<void>;
  cancel(workflowId: string, body: EndBody): Promise<void>;
  terminate(workflowId: string, body: EndBody): Promise<void>;
  query(workflowId: string, body: QueryBody): Promise<string>;
}

export interface StartBody {
  readonly type: string;
  /** Input JSON text. */
  readonly input: string;
  readonly workflowId: string;
  readonly timeoutMs?: number;
  readonly searchAttributes?: Readonly<Record<string, string | number | boolean>>;
  readonly namespace?: string;
}
export interface SignalBody {
  readonly name: string;
  readonly payload: string;
  /** Always set: a redelivered entry must not signal twice. */
  readonly signalId: string;
}
export interface EndBody {
  readonly reason: string;
}
export interface QueryBody {
  readonly name: string;
  readonly payload: string;
  readonly timeoutMs: number;
}

/** How a caller waits. */
export interface WaitContext {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly tasks: TaskTracker;
  readonly pollMs: number;
}

/** Outcome of `callThroughInbox` when no reply came in time. */
export const NO_REPLY: unique symbol = Symbol("no reply");

/**
 * Records an entry and waits (polling the store on the engine's clock) for
 * its reply, at most `timeoutMs`. The reply's error is thrown as its engine
 * class. On timeout the entry is removed when `withdraw` (a query: answering
 * it later helps nobody), else left for the owner to carry out later.
 */
export async function callThroughInbox(
  ctx: WaitContext,
  entry: {
    readonly entryId: string;
    readonly shard: number;
    readonly workflowId: string;
    readonly kind: InboxKind;
    readonly body: unknown;
  },
  timeoutMs: number,
  withdraw: boolean,
): Promise<unknown | typeof NO_REPLY> {
  ctx.tasks.ensureOpen();
  await ctx.store.coordination.inboxPut({
    entryId: entry.entryId,
    shard: entry.shard,
    workflowId: entry.workflowId,
    kind: entry.kind,
    body: JSON.stringify(entry.body),
    createdAt: Math.floor(ctx.clock.wallNow()),
  });
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    const record = await ctx.store.coordination.inboxGet(entry.entryId);
    if (record?.reply != null) {
      await ctx.store.coordination.inboxDelete(entry.entryId);
      const reply = parseReply(record.reply);
      if (reply.ok) return reply.value;
      throw replyError(reply.error);
    }
    if (ctx.clock.now() >= deadline || ctx.tasks.closed) break;
    await pause(ctx, Math.min(ctx.pollMs, Math.max(1, deadline - ctx.clock.now())));
  }
  if (withdraw) await ctx.store.coordination.inboxDelete(entry.entryId).catch(() => false);
  if (ctx.tasks.closed) throw new EngineShutDownError();
  return NO_REPLY;
}

function pause(ctx: WaitContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = ctx.tasks.onClose(() => {
      ctx.clock.cancel(h);
      resolve();
    });
    const h = ctx.clock.schedule(ctx.clock.now() + ms, () => {
      unsubscribe();
      resolve();
    });
  });
}

/**
 * The owner's side: carries out the pending entries of its shards (each
 * once at a time) and writes their replies. An entry whose shard was lost
 * meanwhile gets no reply: the new owner carries it out.
 */
export class InboxDrain {
  private readonly running = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly calls: InboxCalls,
    private readonly track: (task: Promise<unknown>, what: string) => void,
  ) {}

  /** Carries out pending entries of `shards`; with `accept`, only those for the workflows it accepts. */
  async drain(
    shards: readonly number[],
    accept: (workflowId: string) => boolean = () => true,
  ): Promise<void> {
    const pending = await this.store.coordination.inboxPending(shards, 100);
    for (const e of pending) {
      if (this.running.has(e.entryId) || !accept(e.workflowId)) continue;
      this.running.add(e.entryId);
      const task = this.carryOut(e).finally(() => this.running.delete(e.entryId));
      this.track(task, `inbox entry ${e.kind} for ${e.workflowId}`);
    }
  }

  private async carryOut(e: InboxRecord): Promise<void> {
    let reply: string;
    try {
      const body: unknown = JSON.parse(e.body);
      reply = okReply(await this.run(e, body));
    } catch (error) {
      if (error instanceof ShardNotOwnedError || error instanceof EngineShutDownError) return;
      reply = errorReply(error);
    }
    await this.store.coordination.inboxReply(e.entryId, reply);
  }

  private run(e: InboxRecord, body: unknown): Promise<unknown> {
    switch (e.kind) {
      case "start":
        return this.calls.start(body as StartBody);
      case "signal":
        return this.calls.signal(e.workflowId, body as SignalBody);
      case "cancel":
        return this.calls.cancel(e.workflowId, body as EndBody);
      case "terminate":
        return this.calls.terminate(e.workflowId, body as EndBody);
      case "query":
        return this.calls.query(e.workflowId, body as QueryBody);
    }
  }
}
