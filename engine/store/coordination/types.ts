/**
 * The coordination part of the store contract: what lets several engine
 * processes share one database without two of them ever running the same
 * workflow. Shard leases with fencing tokens (who owns which workflows),
 * an inbox (API calls made where the workflow is not owned, drained by the
 * owner) and activity task queues (activities run by whichever process
 * handles their type). Every store implements it with the same semantics;
 * the conformance suite checks them (test/store/conformance/coordination.ts).
 *
 * Times are ms since the epoch and are passed in by the caller (its injected
 * clock), never read by the store: expiry is judged against the caller's
 * `now`, so tests drive it with a manual clock.
 */

/** One shard's lease row. */
export interface ShardLease {
  readonly shard: number;
  /** The owning engine process's id. */
  readonly owner: string;
  /**
   * The fencing token: increases on every acquisition by a new owner (or
   * after an expiry), so an append carrying an older token is refused.
   */
  readonly token: number;
  /** When the lease lapses unless renewed (ms epoch); 0 after a release. */
  readonly expiresAt: number;
  /** Where the owner answers queries (its HTTP API), when it published one. */
  readonly endpoint: string | null;
}

/** A shard and the token its owner holds: what an append carries to be fenced. */
export interface Fence {
  readonly shard: number;
  readonly token: number;
}

/** Acquire (or keep) shard leases for `owner`. */
export interface LeaseRequest {
  readonly owner: string;
  readonly shards: readonly number[];
  readonly now: number;
  readonly ttlMs: number;
  readonly endpoint?: string;
  /**
   * Take the shards even from a live owner (the embedded single-process
   * engine: whoever opens the database last owns it; the previous owner is
   * fenced out on its next append).
   */
  readonly force?: boolean;
}

/** Extend held leases; those whose token moved on are lost. */
export interface LeaseRenewal {
  readonly owner: string;
  readonly leases: readonly Fence[];
  readonly now: number;
  readonly ttlMs: number;
}

/**
 * A live engine process, announced (and re-announced before `expiresAt`) so
 * the others count it when they balance shards, even while it holds none.
 */
export interface Member {
  readonly owner: string;
  readonly expiresAt: number;
  /** Where it serves the HTTP API, when it does. */
  readonly endpoint: string | null;
  /** The activity types it runs (what it advertises to the task queues). */
  readonly activityTypes: readonly string[];
}

/** The kinds of inbox entries. */
export type InboxKind = "start" | "signal" | "cancel" | "terminate" | "query";

/** An API call recorded for the workflow's owner to carry out. */
export interface InboxEntry {
  /** Idempotency key: a second put of the same id changes nothing. */
  readonly entryId: string;
  readonly shard: number;
  readonly workflowId: string;
  readonly kind: InboxKind;
  /** The call's arguments (JSON text). */
  readonly body: string;
  readonly createdAt: number;
}

/** An inbox entry and the owner's reply (null until it carried the call out). */
export interface InboxRecord extends InboxEntry {
  /** The outcome (JSON text), written once by the owner. */
  readonly reply: string | null;
}

/** An activity waiting in a task queue for a worker that runs its type. */
export interface ActivityTask {
  /** Idempotency key (workflow id, activity id and attempt). */
  readonly taskId: string;
  readonly queue: string;
  readonly activityType: string;
  /** The shard of the workflow (its owner collects the result). */
  readonly shard: number;
  readonly workflowId: string;
  readonly activityId: string;
  readonly attempt: number;
  /** Input JSON text. */
  readonly input: string;
  /** The dispatch config JSON text. */
  readonly config: string;
  readonly createdAt: number;
}

/** A task row as stored. */
export interface TaskRecord extends ActivityTask {
  /** The worker holding the claim, or null while it waits. */
  readonly claimedBy: string | null;
  /** When the claim lapses without a heartbeat (ms epoch), or null. */
  readonly claimExpiresAt: number | null;
  /** How many times it was claimed (a claim past 1 re-dispatched a dead worker's work). */
  readonly claims: number;
  /** The outcome, once a worker finished it: `{"ok":true,"text":...}` JSON. */
  readonly result: string | null;
}

/** A worker asks for work. */
export interface TaskClaimRequest {
  readonly worker: string;
  /** The activity types it runs. */
  readonly activityTypes: readonly string[];
  /** Only these queues (every queue when omitted). */
  readonly queues?: readonly string[];
  readonly now: number;
  /** How long the claim lasts without a heartbeat. */
  readonly claimMs: number;
  readonly limit: number;
}

/** The coordination operations every store provides. */
export interface CoordinationStore {
  /** Acquires what it can of `shards`; resolves with the leases now held by `owner`. */
  acquireLeases(request: LeaseRequest): Promise<readonly ShardLease[]>;
  /** Extends the given leases; resolves with those still held (same token). */
  renewLeases(renewal: LeaseRenewal): Promise<readonly ShardLease[]>;
  /** Gives leases up (expiry 0, token kept so the next owner's is higher). */
  releaseLeases(owner: string, leases: readonly Fence[]): Promise<void>;
  /** Every lease row, by shard. */
  listLeases(): Promise<readonly ShardLease[]>;
  /** Records (or refreshes) a member row. */
  announceMember(member: Member): Promise<void>;
  /** Removes a member row (a clean shutdown). */
  removeMember(owner: string): Promise<void>;
  /** Members whose announcement has not expired at `now`, by owner id. */
  listMembers(now: number): Promise<readonly Member[]>;

  /** Records an entry; false when its id was already recorded. */
  inboxPut(entry: InboxEntry): Promise<boolean>;
  /** Entries without a reply in the given shards, oldest first, at most `limit`. */
  inboxPending(shards: readonly number[], limit: number): Promise<readonly InboxRecord[]>;
  /** Writes the reply once; false when the entry is unknown or already answered. */
  inboxReply(entryId: string, reply: string): Promise<boolean>;
  /** One entry, or undefined. */
  inboxGet(entryId: string): Promise<InboxRecord | undefined>;
  /** Removes an entry (its caller read the reply); false when unknown. */
  inboxDelete(entryId: string): Promise<boolean>;

  /** Queues a task; false when its id is already queued. */
  taskEnqueue(task: ActivityTask): Promise<boolean>;
  /**
   * Claims waiting tasks (unclaimed, or claimed by a worker whose claim
   * lapsed) of the request's types, oldest first.
   */
  taskClaim(request: TaskClaimRequest): Promise<readonly TaskRecord[]>;
  /** Extends a claim; false when the worker no longer holds it. */
  taskHeartbeat(taskId: string, worker: string, now: number, claimMs: number): Promise<boolean>;
  /** Records the outcome; false when the worker no longer holds the claim or it has one. */
  taskComplete(taskId: string, worker: string, result: string): Promise<boolean>;
  /** Finished tasks of the given shards (their owners record them), oldest first. */
  taskResults(shards: readonly number[], limit: number): Promise<readonly TaskRecord[]>;
  /** One task, or undefined. */
  taskGet(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Removes a task; with `onlyUnclaimed`, only while nobody claimed it (a
   * schedule-to-start timeout). Resolves whether it was removed.
   */
  taskDelete(taskId: string, onlyUnclaimed?: boolean): Promise<boolean>;
}
