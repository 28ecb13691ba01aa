/**
 * Rows of the coordination tables (same columns in SQLite and PostgreSQL)
 * and their records. PostgreSQL hands BIGINT columns back as strings, so
 * every number goes through `Number`.
 */
import type { InboxKind, InboxRecord, Member, ShardLease, TaskRecord } from "./types.ts";

type Num = number | string | bigint;

export interface LeaseRow {
  readonly shard: Num;
  readonly owner: string;
  readonly token: Num;
  readonly expires_at: Num;
  readonly endpoint: string | null;
}

export interface InboxRow {
  readonly entry_id: string;
  readonly shard: Num;
  readonly workflow_id: string;
  readonly kind: string;
  readonly body: string;
  readonly created_at: Num;
  readonly reply: string | null;
}

export interface TaskRow {
  readonly task_id: string;
  readonly queue: string;
  readonly activity_type: string;
  readonly shard: Num;
  readonly workflow_id: string;
  readonly activity_id: string;
  readonly attempt: Num;
  readonly input: string;
  readonly config: string;
  readonly created_at: Num;
  readonly claimed_by: string | null;
  readonly claim_expires_at: Num | null;
  readonly claims: Num;
  readonly result: string | null;
}

export interface MemberRow {
  readonly owner: string;
  readonly expires_at: Num;
  readonly endpoint: string | null;
  /** JSON array text. */
  readonly activity_types: string;
}

export const MEMBER_COLUMNS = "owner, expires_at, endpoint, activity_types";

export function memberFromRow(r: MemberRow): Member {
  return {
    owner: r.owner,
    expiresAt: Number(r.expires_at),
    endpoint: r.endpoint,
    activityTypes: JSON.parse(r.activity_types) as string[],
  };
}

export const LEASE_COLUMNS = "shard, owner, token, expires_at, endpoint";
export const INBOX_COLUMNS = "entry_id, shard, workflow_id, kind, body, created_at, reply";
export const TASK_COLUMNS =
  "task_id, queue, activity_type, shard, workflow_id, activity_id, attempt, input, config, created_at, claimed_by, claim_expires_at, claims, result";

export function leaseFromRow(r: LeaseRow): ShardLease {
  return {
    shard: Number(r.shard),
    owner: r.owner,
    token: Number(r.token),
    expiresAt: Number(r.expires_at),
    endpoint: r.endpoint,
  };
}

export function inboxFromRow(r: InboxRow): InboxRecord {
  return {
    entryId: r.entry_id,
    shard: Number(r.shard),
    workflowId: r.workflow_id,
    kind: r.kind as InboxKind,
    body: r.body,
    createdAt: Number(r.created_at),
    reply: r.reply,
  };
}

export function taskFromRow(r: TaskRow): TaskRecord {
  return {
    taskId: r.task_id,
    queue: r.queue,
    activityType: r.activity_type,
    shard: Number(r.shard),
    workflowId: r.workflow_id,
    activityId: r.activity_id,
    attempt: Number(r.attempt),
    input: r.input,
    config: r.config,
    createdAt: Number(r.created_at),
    claimedBy: r.claimed_by,
    claimExpiresAt: r.claim_expires_at === null ? null : Number(r.claim_expires_at),
    claims: Number(r.claims),
    result: r.result,
  };
}

/** `?, ?, ...` (SQLite) or `$k, $k+1, ...` (PostgreSQL) for an IN list of `n` values. */
export function placeholders(n: number, firstNumbered?: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(firstNumbered === undefined ? "?" : `$${firstNumbered + i}`);
  return out.join(", ");
}

/**
 * The DDL of the coordination tables, with the dialect's integer and id
 * types. Additive: older tables are untouched.
 */
export function coordinationDdl(id: string, bigint: string): readonly string[] {
  return [
    `CREATE TABLE shard_leases (
      shard INTEGER NOT NULL PRIMARY KEY,
      owner ${id},
      token ${bigint} NOT NULL,
      expires_at ${bigint} NOT NULL,
      endpoint TEXT
    )`,
    `CREATE TABLE members (
      owner ${id} PRIMARY KEY,
      expires_at ${bigint} NOT NULL,
      endpoint TEXT,
      activity_types TEXT NOT NULL
    )`,
    `CREATE TABLE inbox (
      entry_id ${id} PRIMARY KEY,
      shard INTEGER NOT NULL,
      workflow_id ${id},
      kind TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at ${bigint} NOT NULL,
      reply TEXT
    )`,
    "CREATE INDEX inbox_by_shard ON inbox (shard, created_at, entry_id)",
    `CREATE TABLE activity_tasks (
      task_id ${id} PRIMARY KEY,
      queue ${id},
      activity_type ${id},
      shard INTEGER NOT NULL,
      workflow_id ${id},
      activity_id ${id},
      attempt INTEGER NOT NULL,
      input TEXT NOT NULL,
      config TEXT NOT NULL,
      created_at ${bigint} NOT NULL,
      claimed_by TEXT,
      claim_expires_at ${bigint},
      claims INTEGER NOT NULL,
      result TEXT
    )`,
    "CREATE INDEX activity_tasks_by_type ON activity_tasks (activity_type, created_at, task_id)",
    "CREATE INDEX activity_tasks_by_shard ON activity_tasks (shard, created_at, task_id)",
  ];
}
