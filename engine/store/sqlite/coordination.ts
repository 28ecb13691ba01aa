/**
 * The coordination tables on SQLite: shard leases, the inbox and activity
 * task queues. Every write is a group-commit operation (checked and applied
 * in the committer's IMMEDIATE transaction), so a decision made on a row
 * read in the check phase holds when the apply phase writes: no other
 * connection can write in between. The decisions are lease-rules.ts's, the
 * same the memory store makes.
 */
import type { Database } from "bun:sqlite";
import { acquireDecision } from "../coordination/lease-rules.ts";
import {
  INBOX_COLUMNS,
  type InboxRow,
  inboxFromRow,
  LEASE_COLUMNS,
  type LeaseRow,
  leaseFromRow,
  MEMBER_COLUMNS,
  type MemberRow,
  memberFromRow,
  placeholders,
  TASK_COLUMNS,
  type TaskRow,
  taskFromRow,
} from "../coordination/rows.ts";
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
} from "../coordination/types.ts";
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
} from "../coordination/validate.ts";
import { checkId, checkTimestamp } from "../validate.ts";
import type { GroupCommitter } from "./group-commit.ts";

type Param = string | number | null;

export class SqliteCoordination implements CoordinationStore {
  constructor(
    private readonly db: Database,
    private readonly committer: GroupCommitter,
    private readonly ensureOpen: () => void,
  ) {}

  #lease(shard: number): ShardLease | undefined {
    const row = this.db
      .query<LeaseRow, [number]>(`SELECT ${LEASE_COLUMNS} FROM shard_leases WHERE shard = ?`)
      .get(shard);
    return row === null ? undefined : leaseFromRow(row);
  }

  #putLease(l: ShardLease): void {
    this.db
      .query<never, Param[]>(
        `INSERT OR REPLACE INTO shard_leases (${LEASE_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(l.shard, l.owner, l.token, l.expiresAt, l.endpoint);
  }

  async acquireLeases(request: LeaseRequest): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    const r = checkLeaseRequest(request);
    return this.committer.submit(() => {
      const taken: ShardLease[] = [];
      for (const shard of r.shards) {
        const token = acquireDecision(this.#lease(shard), r);
        if (token === undefined) continue;
        taken.push({
          shard,
          owner: r.owner,
          token,
          expiresAt: r.now + r.ttlMs,
          endpoint: r.endpoint ?? null,
        });
      }
      return () => {
        for (const l of taken) this.#putLease(l);
        return taken;
      };
    });
  }

  async renewLeases(renewal: LeaseRenewal): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    const r = checkLeaseRenewal(renewal);
    return this.committer.submit(() => {
      const kept: ShardLease[] = [];
      for (const l of r.leases) {
        const row = this.#lease(l.shard);
        if (row !== undefined && row.owner === r.owner && row.token === l.token)
          kept.push({ ...row, expiresAt: r.now + r.ttlMs });
      }
      return () => {
        for (const l of kept) this.#putLease(l);
        return kept;
      };
    });
  }

  async releaseLeases(owner: string, leases: readonly Fence[]): Promise<void> {
    this.ensureOpen();
    const fences = checkFences(owner, leases);
    await this.committer.submit(() => () => {
      for (const l of fences) {
        this.db
          .query<never, Param[]>(
            "UPDATE shard_leases SET expires_at = 0 WHERE shard = ? AND owner = ? AND token = ?",
          )
          .run(l.shard, owner, l.token);
      }
    });
  }

  async listLeases(): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    return this.db
      .query<LeaseRow, []>(`SELECT ${LEASE_COLUMNS} FROM shard_leases ORDER BY shard`)
      .all()
      .map(leaseFromRow);
  }

  async announceMember(member: Member): Promise<void> {
    this.ensureOpen();
    const m = checkMember(member);
    await this.committer.submit(() => () => {
      this.db
        .query<never, Param[]>(
          `INSERT OR REPLACE INTO members (${MEMBER_COLUMNS}) VALUES (?, ?, ?, ?)`,
        )
        .run(m.owner, m.expiresAt, m.endpoint, JSON.stringify(m.activityTypes));
    });
  }

  async removeMember(owner: string): Promise<void> {
    this.ensureOpen();
    checkId(owner, "owner");
    await this.committer.submit(() => () => {
      this.db.query<never, [string]>("DELETE FROM members WHERE owner = ?").run(owner);
    });
  }

  async listMembers(now: number): Promise<readonly Member[]> {
    this.ensureOpen();
    checkTimestamp(now, "now");
    return this.db
      .query<MemberRow, [number]>(
        `SELECT ${MEMBER_COLUMNS} FROM members WHERE expires_at > ? ORDER BY owner`,
      )
      .all(now)
      .map(memberFromRow);
  }

  async inboxPut(entry: InboxEntry): Promise<boolean> {
    this.ensureOpen();
    const e = checkInboxEntry(entry);
    return this.committer.submit(
      () => () =>
        this.db
          .query<never, Param[]>(
            `INSERT OR IGNORE INTO inbox (${INBOX_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL)`,
          )
          .run(e.entryId, e.shard, e.workflowId, e.kind, e.body, e.createdAt).changes > 0,
    );
  }

  async inboxPending(shards: readonly number[], limit: number): Promise<readonly InboxRecord[]> {
    this.ensureOpen();
    const wanted = checkPendingQuery(shards, limit);
    if (wanted.length === 0) return [];
    return this.db
      .query<InboxRow, Param[]>(
        `SELECT ${INBOX_COLUMNS} FROM inbox WHERE reply IS NULL AND shard IN (${placeholders(wanted.length)})
         ORDER BY created_at, entry_id LIMIT ?`,
      )
      .all(...wanted, limit)
      .map(inboxFromRow);
  }

  async inboxReply(entryId: string, reply: string): Promise<boolean> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    return this.committer.submit(
      () => () =>
        this.db
          .query<never, Param[]>("UPDATE inbox SET reply = ? WHERE entry_id = ? AND reply IS NULL")
          .run(String(reply), entryId).changes > 0,
    );
  }

  async inboxGet(entryId: string): Promise<InboxRecord | undefined> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    const row = this.db
      .query<InboxRow, [string]>(`SELECT ${INBOX_COLUMNS} FROM inbox WHERE entry_id = ?`)
      .get(entryId);
    return row === null ? undefined : inboxFromRow(row);
  }

  async inboxDelete(entryId: string): Promise<boolean> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    return this.committer.submit(
      () => () =>
        this.db.query<never, [string]>("DELETE FROM inbox WHERE entry_id = ?").run(entryId)
          .changes > 0,
    );
  }

  async taskEnqueue(task: ActivityTask): Promise<boolean> {
    this.ensureOpen();
    const t = checkTask(task);
    return this.committer.submit(
      () => () =>
        this.db
          .query<never, Param[]>(
            `INSERT OR IGNORE INTO activity_tasks (${TASK_COLUMNS})
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL)`,
          )
          .run(
            t.taskId,
            t.queue,
            t.activityType,
            t.shard,
            t.workflowId,
            t.activityId,
            t.attempt,
            t.input,
            t.config,
            t.createdAt,
          ).changes > 0,
    );
  }

  async taskClaim(request: TaskClaimRequest): Promise<readonly TaskRecord[]> {
    this.ensureOpen();
    const r = checkClaim(request);
    if (r.activityTypes.length === 0 || r.queues?.length === 0) return [];
    const queueSql =
      r.queues === undefined ? "" : ` AND queue IN (${placeholders(r.queues.length)})`;
    const candidates = () =>
      this.db
        .query<TaskRow, Param[]>(
          `SELECT ${TASK_COLUMNS} FROM activity_tasks
           WHERE result IS NULL AND activity_type IN (${placeholders(r.activityTypes.length)})${queueSql}
             AND (claimed_by IS NULL OR claim_expires_at <= ?)
           ORDER BY created_at, task_id LIMIT ?`,
        )
        .all(...r.activityTypes, ...(r.queues ?? []), r.now, r.limit)
        .map(taskFromRow);
    // Idle workers poll often: an empty queue costs a read, not a write transaction.
    if (candidates().length === 0) return [];
    return this.committer.submit(() => {
      const rows = candidates();
      return () =>
        rows.map((t) => {
          this.db
            .query<never, Param[]>(
              "UPDATE activity_tasks SET claimed_by = ?, claim_expires_at = ?, claims = claims + 1 WHERE task_id = ?",
            )
            .run(r.worker, r.now + r.claimMs, t.taskId);
          return {
            ...t,
            claimedBy: r.worker,
            claimExpiresAt: r.now + r.claimMs,
            claims: t.claims + 1,
          };
        });
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
    return this.committer.submit(
      () => () =>
        this.db
          .query<never, Param[]>(
            "UPDATE activity_tasks SET claim_expires_at = ? WHERE task_id = ? AND claimed_by = ? AND result IS NULL",
          )
          .run(now + claimMs, taskId, worker).changes > 0,
    );
  }

  async taskComplete(taskId: string, worker: string, result: string): Promise<boolean> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    checkId(worker, "worker");
    return this.committer.submit(
      () => () =>
        this.db
          .query<never, Param[]>(
            "UPDATE activity_tasks SET result = ? WHERE task_id = ? AND claimed_by = ? AND result IS NULL",
          )
          .run(String(result), taskId, worker).changes > 0,
    );
  }

  async taskResults(shards: readonly number[], limit: number): Promise<readonly TaskRecord[]> {
    this.ensureOpen();
    const wanted = checkPendingQuery(shards, limit);
    if (wanted.length === 0) return [];
    return this.db
      .query<TaskRow, Param[]>(
        `SELECT ${TASK_COLUMNS} FROM activity_tasks WHERE result IS NOT NULL AND shard IN (${placeholders(wanted.length)})
         ORDER BY created_at, task_id LIMIT ?`,
      )
      .all(...wanted, limit)
      .map(taskFromRow);
  }

  async taskGet(taskId: string): Promise<TaskRecord | undefined> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    const row = this.db
      .query<TaskRow, [string]>(`SELECT ${TASK_COLUMNS} FROM activity_tasks WHERE task_id = ?`)
      .get(taskId);
    return row === null ? undefined : taskFromRow(row);
  }

  async taskDelete(taskId: string, onlyUnclaimed = false): Promise<boolean> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    const sql = onlyUnclaimed
      ? "DELETE FROM activity_tasks WHERE task_id = ? AND claimed_by IS NULL"
      : "DELETE FROM activity_tasks WHERE task_id = ?";
    return this.committer.submit(
      () => () => this.db.query<never, [string]>(sql).run(taskId).changes > 0,
    );
  }
}
