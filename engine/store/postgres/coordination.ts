/**
 * The coordination tables on PostgreSQL: shard leases, the inbox and
 * activity task queues. Portable SQL only (row locks with FOR UPDATE,
 * conditional UPDATEs, ON CONFLICT): no advisory locks, no LISTEN/NOTIFY.
 * An acquisition locks the lease rows it decides on, so it waits for (and
 * is seen by) every append that holds the row under FOR SHARE: the fence
 * check of an append and an acquisition never interleave. The decisions are
 * lease-rules.ts's, the same the other stores make.
 */
import type { SQL, TransactionSQL } from "bun";
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
import { FencedError } from "../errors.ts";
import { checkId, checkTimestamp } from "../validate.ts";
import { checkPgText } from "./pg-text.ts";
import { inTransaction, type RetryPolicy } from "./transactions.ts";

/** Rows changed by a statement. */
async function changed(run: Promise<unknown>): Promise<number> {
  return ((await run) as { count: number }).count;
}

/**
 * The fence check inside an append's transaction: the shard's row is held
 * under FOR SHARE until the append commits, so no acquisition can commit a
 * new token in between.
 */
export async function checkFenceTx(tx: TransactionSQL, fence: Fence | undefined): Promise<void> {
  if (fence === undefined) return;
  const rows = await tx.unsafe<{ token: string }[]>(
    "SELECT token FROM shard_leases WHERE shard = $1 FOR SHARE",
    [fence.shard],
  );
  const current = rows[0] === undefined ? 0 : Number(rows[0].token);
  if (current !== fence.token) throw new FencedError(fence.shard, fence.token, current);
}

type Runner = <T>(operation: () => Promise<T>) => Promise<T>;

export class PgCoordination implements CoordinationStore {
  constructor(
    private readonly sql: SQL,
    private readonly retry: RetryPolicy,
    private readonly run: Runner,
    private readonly ensureOpen: () => void,
  ) {}

  #tx<T>(body: (tx: TransactionSQL) => Promise<T>): Promise<T> {
    return this.run(() => inTransaction(this.sql, this.retry, body));
  }

  async #lockLeases(
    tx: TransactionSQL,
    shards: readonly number[],
  ): Promise<Map<number, ShardLease>> {
    if (shards.length === 0) return new Map();
    const rows = await tx.unsafe<LeaseRow[]>(
      `SELECT ${LEASE_COLUMNS} FROM shard_leases WHERE shard IN (${placeholders(shards.length, 1)}) FOR UPDATE`,
      [...shards],
    );
    return new Map(rows.map((r) => [Number(r.shard), leaseFromRow(r)]));
  }

  async acquireLeases(request: LeaseRequest): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    const r = checkLeaseRequest(request);
    checkPgText(r.owner, "request.owner");
    return this.#tx(async (tx) => {
      const rows = await this.#lockLeases(tx, r.shards);
      const taken: ShardLease[] = [];
      for (const shard of r.shards) {
        const row = rows.get(shard);
        const token = acquireDecision(row, r);
        if (token === undefined) continue;
        const lease = {
          shard,
          owner: r.owner,
          token,
          expiresAt: r.now + r.ttlMs,
          endpoint: r.endpoint ?? null,
        };
        const params = [shard, r.owner, token, lease.expiresAt, lease.endpoint];
        const n =
          row === undefined
            ? await changed(
                tx.unsafe(
                  `INSERT INTO shard_leases (${LEASE_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (shard) DO NOTHING`,
                  params,
                ),
              )
            : await changed(
                tx.unsafe(
                  "UPDATE shard_leases SET owner = $2, token = $3, expires_at = $4, endpoint = $5 WHERE shard = $1",
                  params,
                ),
              );
        // 0 rows: a concurrent acquirer created the row first; it is theirs.
        if (n === 1) taken.push(lease);
      }
      return taken;
    });
  }

  async renewLeases(renewal: LeaseRenewal): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    const r = checkLeaseRenewal(renewal);
    return this.#tx(async (tx) => {
      const kept: ShardLease[] = [];
      for (const l of r.leases) {
        const rows = await tx.unsafe<LeaseRow[]>(
          `UPDATE shard_leases SET expires_at = $4 WHERE shard = $1 AND owner = $2 AND token = $3 RETURNING ${LEASE_COLUMNS}`,
          [l.shard, r.owner, l.token, r.now + r.ttlMs],
        );
        if (rows[0] !== undefined) kept.push(leaseFromRow(rows[0]));
      }
      return kept;
    });
  }

  async releaseLeases(owner: string, leases: readonly Fence[]): Promise<void> {
    this.ensureOpen();
    const fences = checkFences(owner, leases);
    await this.#tx(async (tx) => {
      for (const l of fences) {
        await tx.unsafe(
          "UPDATE shard_leases SET expires_at = 0 WHERE shard = $1 AND owner = $2 AND token = $3",
          [l.shard, owner, l.token],
        );
      }
    });
  }

  async listLeases(): Promise<readonly ShardLease[]> {
    this.ensureOpen();
    return this.run(async () =>
      (
        await this.sql.unsafe<LeaseRow[]>(
          `SELECT ${LEASE_COLUMNS} FROM shard_leases ORDER BY shard`,
        )
      ).map(leaseFromRow),
    );
  }

  async announceMember(member: Member): Promise<void> {
    this.ensureOpen();
    const m = checkMember(member);
    checkPgText(m.owner, "member.owner");
    await this.run(() =>
      this.sql.unsafe(
        `INSERT INTO members (${MEMBER_COLUMNS}) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner) DO UPDATE SET expires_at = EXCLUDED.expires_at, endpoint = EXCLUDED.endpoint,
           activity_types = EXCLUDED.activity_types`,
        [m.owner, m.expiresAt, m.endpoint, JSON.stringify(m.activityTypes)],
      ),
    );
  }

  async removeMember(owner: string): Promise<void> {
    this.ensureOpen();
    checkId(owner, "owner");
    await this.run(() => this.sql.unsafe("DELETE FROM members WHERE owner = $1", [owner]));
  }

  async listMembers(now: number): Promise<readonly Member[]> {
    this.ensureOpen();
    checkTimestamp(now, "now");
    return this.run(async () =>
      (
        await this.sql.unsafe<MemberRow[]>(
          `SELECT ${MEMBER_COLUMNS} FROM members WHERE expires_at > $1 ORDER BY owner`,
          [now],
        )
      ).map(memberFromRow),
    );
  }

  async inboxPut(entry: InboxEntry): Promise<boolean> {
    this.ensureOpen();
    const e = checkInboxEntry(entry);
    checkPgText(e.entryId, "entry.entryId");
    checkPgText(e.workflowId, "entry.workflowId");
    checkPgText(e.body, "entry.body");
    return this.run(
      async () =>
        (await changed(
          this.sql.unsafe(
            `INSERT INTO inbox (${INBOX_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL) ON CONFLICT (entry_id) DO NOTHING`,
            [e.entryId, e.shard, e.workflowId, e.kind, e.body, e.createdAt],
          ),
        )) === 1,
    );
  }

  async inboxPending(shards: readonly number[], limit: number): Promise<readonly InboxRecord[]> {
    this.ensureOpen();
    const wanted = checkPendingQuery(shards, limit);
    if (wanted.length === 0) return [];
    return this.run(async () =>
      (
        await this.sql.unsafe<InboxRow[]>(
          `SELECT ${INBOX_COLUMNS} FROM inbox WHERE reply IS NULL AND shard IN (${placeholders(wanted.length, 1)})
           ORDER BY created_at, entry_id LIMIT $${wanted.length + 1}`,
          [...wanted, limit],
        )
      ).map(inboxFromRow),
    );
  }

  async inboxReply(entryId: string, reply: string): Promise<boolean> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    checkPgText(String(reply), "reply");
    return this.run(
      async () =>
        (await changed(
          this.sql.unsafe("UPDATE inbox SET reply = $2 WHERE entry_id = $1 AND reply IS NULL", [
            entryId,
            String(reply),
          ]),
        )) === 1,
    );
  }

  async inboxGet(entryId: string): Promise<InboxRecord | undefined> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    return this.run(async () => {
      const rows = await this.sql.unsafe<InboxRow[]>(
        `SELECT ${INBOX_COLUMNS} FROM inbox WHERE entry_id = $1`,
        [entryId],
      );
      return rows[0] === undefined ? undefined : inboxFromRow(rows[0]);
    });
  }

  async inboxDelete(entryId: string): Promise<boolean> {
    this.ensureOpen();
    checkId(entryId, "entryId");
    return this.run(
      async () =>
        (await changed(this.sql.unsafe("DELETE FROM inbox WHERE entry_id = $1", [entryId]))) === 1,
    );
  }

  async taskEnqueue(task: ActivityTask): Promise<boolean> {
    this.ensureOpen();
    const t = checkTask(task);
    for (const k of [
      "taskId",
      "queue",
      "activityType",
      "workflowId",
      "activityId",
      "input",
      "config",
    ] as const)
      checkPgText(t[k], `task.${k}`);
    return this.run(
      async () =>
        (await changed(
          this.sql.unsafe(
            `INSERT INTO activity_tasks (${TASK_COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, 0, NULL)
             ON CONFLICT (task_id) DO NOTHING`,
            [
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
            ],
          ),
        )) === 1,
    );
  }

  async taskClaim(request: TaskClaimRequest): Promise<readonly TaskRecord[]> {
    this.ensureOpen();
    const r = checkClaim(request);
    if (r.activityTypes.length === 0 || r.queues?.length === 0) return [];
    const types = placeholders(r.activityTypes.length, 1);
    let next = r.activityTypes.length + 1;
    const queueSql =
      r.queues === undefined ? "" : ` AND queue IN (${placeholders(r.queues.length, next)})`;
    next += r.queues?.length ?? 0;
    return this.run(async () => {
      const candidates = await this.sql.unsafe<TaskRow[]>(
        `SELECT ${TASK_COLUMNS} FROM activity_tasks
         WHERE result IS NULL AND activity_type IN (${types})${queueSql}
           AND (claimed_by IS NULL OR claim_expires_at <= $${next})
         ORDER BY created_at, task_id LIMIT $${next + 1}`,
        [...r.activityTypes, ...(r.queues ?? []), r.now, r.limit],
      );
      const claimed: TaskRecord[] = [];
      for (const c of candidates) {
        // Conditional on the task still being free: a concurrent claimer's win leaves 0 rows.
        const rows = await this.sql.unsafe<TaskRow[]>(
          `UPDATE activity_tasks SET claimed_by = $2, claim_expires_at = $3, claims = claims + 1
           WHERE task_id = $1 AND result IS NULL AND (claimed_by IS NULL OR claim_expires_at <= $4)
           RETURNING ${TASK_COLUMNS}`,
          [c.task_id, r.worker, r.now + r.claimMs, r.now],
        );
        if (rows[0] !== undefined) claimed.push(taskFromRow(rows[0]));
      }
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
    return this.run(
      async () =>
        (await changed(
          this.sql.unsafe(
            "UPDATE activity_tasks SET claim_expires_at = $3 WHERE task_id = $1 AND claimed_by = $2 AND result IS NULL",
            [taskId, worker, now + claimMs],
          ),
        )) === 1,
    );
  }

  async taskComplete(taskId: string, worker: string, result: string): Promise<boolean> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    checkId(worker, "worker");
    checkPgText(String(result), "result");
    return this.run(
      async () =>
        (await changed(
          this.sql.unsafe(
            "UPDATE activity_tasks SET result = $3 WHERE task_id = $1 AND claimed_by = $2 AND result IS NULL",
            [taskId, worker, String(result)],
          ),
        )) === 1,
    );
  }

  async taskResults(shards: readonly number[], limit: number): Promise<readonly TaskRecord[]> {
    this.ensureOpen();
    const wanted = checkPendingQuery(shards, limit);
    if (wanted.length === 0) return [];
    return this.run(async () =>
      (
        await this.sql.unsafe<TaskRow[]>(
          `SELECT ${TASK_COLUMNS} FROM activity_tasks WHERE result IS NOT NULL AND shard IN (${placeholders(wanted.length, 1)})
           ORDER BY created_at, task_id LIMIT $${wanted.length + 1}`,
          [...wanted, limit],
        )
      ).map(taskFromRow),
    );
  }

  async taskGet(taskId: string): Promise<TaskRecord | undefined> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    return this.run(async () => {
      const rows = await this.sql.unsafe<TaskRow[]>(
        `SELECT ${TASK_COLUMNS} FROM activity_tasks WHERE task_id = $1`,
        [taskId],
      );
      return rows[0] === undefined ? undefined : taskFromRow(rows[0]);
    });
  }

  async taskDelete(taskId: string, onlyUnclaimed = false): Promise<boolean> {
    this.ensureOpen();
    checkId(taskId, "taskId");
    const sql = onlyUnclaimed
      ? "DELETE FROM activity_tasks WHERE task_id = $1 AND claimed_by IS NULL"
      : "DELETE FROM activity_tasks WHERE task_id = $1";
    return this.run(async () => (await changed(this.sql.unsafe(sql, [taskId]))) === 1);
  }
}
