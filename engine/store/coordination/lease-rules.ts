/**
 * The decisions every store makes the same way: when an acquisition takes a
 * shard and with which token, which task a claim may take, and the order of
 * inbox entries and tasks. The SQL stores express the same rules in their
 * statements; the memory store calls these directly.
 */
import type {
  InboxRecord,
  LeaseRequest,
  ShardLease,
  TaskClaimRequest,
  TaskRecord,
} from "./types.ts";

/**
 * The token `request.owner` gets for a shard whose row is `row`, or
 * undefined when another owner's live lease keeps it. An owner renewing its
 * own live lease keeps its token; any other acquisition (a free, expired or
 * forced shard) takes the next token, so every append of an earlier holder
 * (including this owner's own before its lease lapsed) is fenced out.
 */
export function acquireDecision(
  row: ShardLease | undefined,
  request: LeaseRequest,
): number | undefined {
  if (row === undefined) return 1;
  const live = row.expiresAt > request.now;
  if (live && row.owner === request.owner) return row.token;
  if (live && request.force !== true) return undefined;
  return row.token + 1;
}

/** Whether a claim request may take the task now. */
export function claimable(t: TaskRecord, r: TaskClaimRequest): boolean {
  if (t.result !== null) return false;
  if (!r.activityTypes.includes(t.activityType)) return false;
  if (r.queues !== undefined && !r.queues.includes(t.queue)) return false;
  return t.claimedBy === null || (t.claimExpiresAt ?? 0) <= r.now;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Inbox order: creation time, then entry id. */
export function byInboxOrder(a: InboxRecord, b: InboxRecord): number {
  return a.createdAt - b.createdAt || cmp(a.entryId, b.entryId);
}

/** Task order: creation time, then task id. */
export function byTaskOrder(a: TaskRecord, b: TaskRecord): number {
  return a.createdAt - b.createdAt || cmp(a.taskId, b.taskId);
}
