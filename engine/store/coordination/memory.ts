/**
 * The coordination tables held in process memory (the `MemoryStore`'s part).
 * The rules here are the reference the SQL stores follow statement by
 * statement: see lease-rules.ts for the lease decisions they share.
 */
import { FencedError } from "../errors.ts";
import { checkId, checkTimestamp } from "../validate.ts";
import { acquireDecision, byInboxOrder, byTaskOrder, claimable } from "./lease-rules.ts";
import type {
  ActivityTask,
  CoordinationStore,
  Fence,
  InboxEntry,
  InboxRecord,
  LeaseRenewal,
  LeaseRequest,
  Member,
  ShardLease,
  TaskClaimRequest,
  TaskRecord,
} from "./types.ts";
import {
  checkClaim,
  checkFences,
  checkHeartbeat,
  checkInboxEntry,
  checkLeaseRenewal,
  checkLeaseRequest,
  checkMember,
  checkPendingQuery,
  checkTask,
} from "./validate.ts";

/** Leases, inbox and task queues of a `MemoryStore`. */
export class MemoryCoordination implements CoordinationStore {
  readonly #leases = new Map<number, ShardLease>();
  readonly #members = new Map<string, Member>();
  readonly #inbox = new Map<string, InboxRecord>();
  readonly #tasks = new Map<string, TaskRecord>();

  constructor(private readonly ensureOpen: () => void) {}

  /** @throws FencedError unless `fence` is its shard's current token. */
  checkFence(fence: Fence | undefined): void {
    if (fence === undefined) return;
    const current = this.#leases.get(fence.shard)?.token ?? 0;
    if (current !== fence.token) throw new FencedError(fence.shard, fence.token, current);
  }

  async acquireLeases(request: LeaseRequest): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    const r = checkLeaseRequest(request);
    const held: ShardLease[] = [];
    for (const shard of r.shards) {
      const row = this.#leases.get(shard);
      const token = acquireDecision(row, r);
      if (token === undefined) continue;
      const lease = {
        shard,
        owner: r.owner,
        token,
        expiresAt: r.now + r.ttlMs,
        endpoint: r.endpoint ?? null,
      };
      this.#leases.set(shard, lease);
      held.push(lease);
    }
    return held;
  }

  async renewLeases(renewal: LeaseRenewal): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    const r = checkLeaseRenewal(renewal);
    const held: ShardLease[] = [];
    for (const l of r.leases) {
      const row = this.#leases.get(l.shard);
      if (row === undefined || row.owner !== r.owner || row.token !== l.token) continue;
      const lease = { ...row, expiresAt: r.now + r.ttlMs };
      this.#leases.set(l.shard, lease);
      held.push(lease);
    }
    return held;
  }

  async releaseLeases(owner: string, leases: readonly Fence[]): Promise<void> {
    this.ensureOpen();
    for (const l of checkFences(owner, leases)) {
      const row = this.#leases.get(l.shard);
      if (row !== undefined && row.owner === owner && row.token === l.token)
        this.#leases.set(l.shard, { ...row, expiresAt: 0 });
    }
  }

  async listLeases(): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    return [...this.#leases.values()].sort((a, b) => a.shard - b.shard);
  }

  async announceMember(member: Member): Promise<void> {
    this.ensureOpen();
    const m = checkMember(member);
    this.#members.set(m.owner, { ...m, activityTypes: [...m.activityTypes] });
  }

  async removeMember(owner: string): Promise<void> {
    this.ensureOpen();
    this.#members.delete(checkId(owner, "owner"));
  }

  async listMembers(now: number): Promise<readonly Member[]> {
    this.ensureOpen();
    checkTimestamp(now, "now");
    return [...this.#members.values()]
      .filter((m) => m.expiresAt > now)
      .sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  }

  async inboxPut(entry: InboxEntry): Promise<boolean> {
    this.ensureOpen();
    const e = checkInboxEntry(entry);
    if (this.#inbox.has(e.entryId)) return false;
    this.#inbox.set(e.entryId, { ...e, reply: null });
    return true;
  }

  async inboxPending(shards: readonly number[], limit: number): Promise<readonly InboxRecord[]> {
    this.ensureOpen();
    const wanted = new Set(checkPendingQuery(shards, limit));
    return [...this.#inbox.values()]
      .filter((e) => e.reply === null && wanted.has(e.shard))
      .sort(byInboxOrder)
      .slice(0, limit);
  }

  async inboxReply(entryId: string, reply: string): Promise<boolean> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    const e = this.#inbox.get(entryId);
    if (e === undefined || e.reply !== null) return false;
    this.#inbox.set(entryId, { ...e, reply: String(reply) });
    return true;
  }

  async inboxGet(entryId: string): Promise<InboxRecord | undefined> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    return this.#inbox.get(entryId);
  }

  async inboxDelete(entryId: string): Promise<boolean> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    return this.#inbox.delete(entryId);
  }

  async taskEnqueue(task: ActivityTask): Promise<boolean> {
    this.ensureOpen();
    const t = checkTask(task);
    if (this.#tasks.has(t.taskId)) return false;
    this.#tasks.set(t.taskId, {
      ...t,
      claimedBy: null,
      claimExpiresAt: null,
      claims: 0,
      result: null,
    });
    return true;
  }

  async taskClaim(request: TaskClaimRequest): Promise<readonly TaskRecord[]> {
    this.ensureOpen();
    const r = checkClaim(request);
    const picked = [...this.#tasks.values()]
      .filter((t) => claimable(t, r))
      .sort(byTaskOrder)
      .slice(0, r.limit);
    return picked.map((t) => {
      const claimed = {
        ...t,
        claimedBy: r.worker,
        claimExpiresAt: r.now + r.claimMs,
        claims: t.claims + 1,
      };
      this.#tasks.set(t.taskId, claimed);
      return claimed;
    });
  }

  async taskHeartbeat(
    taskId: string,
    worker: string,
    now: number,
    claimMs: number,
  ): Promise<boolean> {
    this.ensureOpen();
    checkHeartbeat(taskId, worker, now, claimMs);
    const t = this.#tasks.get(taskId);
    if (t === undefined || t.claimedBy !== worker || t.result !== null) return false;
    this.#tasks.set(taskId, { ...t, claimExpiresAt: now + claimMs });
    return true;
  }

  async taskComplete(taskId: string, worker: string, result: string): Promise<boolean> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    checkId(worker, "worker");
    const t = this.#tasks.get(taskId);
    if (t === undefined || t.claimedBy !== worker || t.result !== null) return false;
    this.#tasks.set(taskId, { ...t, result: String(result) });
    return true;
  }

  async taskResults(shards: readonly number[], limit: number): Promise<readonly TaskRecord[]> {
    this.ensureOpen();
    const wanted = new Set(checkPendingQuery(shards, limit));
    return [...this.#tasks.values()]
      .filter((t) => t.result !== null && wanted.has(t.shard))
      .sort(byTaskOrder)
      .slice(0, limit);
  }

  async taskGet(taskId: string): Promise<TaskRecord | undefined> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    return this.#tasks.get(taskId);
  }

  async taskDelete(taskId: string, onlyUnclaimed = false): Promise<boolean> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    const t = this.#tasks.get(taskId);
    if (t === undefined || (onlyUnclaimed && t.claimedBy !== null)) return false;
    return this.#tasks.delete(taskId);
  }
}
