/**
 * Argument checks of the coordination operations, shared by every store so
 * all of them refuse the same input with the same `InvalidArgumentError`.
 */
import { InvalidArgumentError } from "../errors.ts";
import { checkId, checkTimestamp } from "../validate.ts";
import type {
  ActivityTask,
  Fence,
  InboxEntry,
  LeaseRenewal,
  LeaseRequest,
  Member,
  TaskClaimRequest,
} from "./types.ts";

/** Most shards a deployment may have (shard numbers are below it). */
export const MAX_SHARDS = 4096;
const INBOX_KINDS = new Set(["start", "signal", "cancel", "terminate", "query"]);

/** A shard number: an integer in [0, MAX_SHARDS). */
export function checkShard(value: unknown, argument: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= MAX_SHARDS) {
    throw new InvalidArgumentError(argument, `must be an integer from 0 to ${MAX_SHARDS - 1}`);
  }
  return value;
}

/** A positive duration in ms. */
export function checkDuration(value: unknown, argument: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, "must be a positive integer (ms)");
  }
  return value;
}

function checkToken(value: unknown, argument: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, "must be a positive integer");
  }
  return value;
}

function checkShards(value: unknown, argument: string): readonly number[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(argument, "must be an array");
  return value.map((s, i) => checkShard(s, `${argument}[${i}]`));
}

/** An append's or release's fence. */
export function checkFence(value: unknown, argument: string): Fence {
  if (typeof value !== "object" || value === null) {
    throw new InvalidArgumentError(argument, "must be an object");
  }
  const f = value as Fence;
  return {
    shard: checkShard(f.shard, `${argument}.shard`),
    token: checkToken(f.token, `${argument}.token`),
  };
}

export function checkLeaseRequest(r: LeaseRequest): LeaseRequest {
  if (typeof r !== "object" || r === null)
    throw new InvalidArgumentError("request", "must be an object");
  return {
    owner: checkId(r.owner, "request.owner"),
    shards: checkShards(r.shards, "request.shards"),
    now: checkTimestamp(r.now, "request.now"),
    ttlMs: checkDuration(r.ttlMs, "request.ttlMs"),
    ...(r.endpoint !== undefined ? { endpoint: checkId(r.endpoint, "request.endpoint") } : {}),
    force: r.force === true,
  };
}

export function checkLeaseRenewal(r: LeaseRenewal): LeaseRenewal {
  if (typeof r !== "object" || r === null)
    throw new InvalidArgumentError("renewal", "must be an object");
  if (!Array.isArray(r.leases))
    throw new InvalidArgumentError("renewal.leases", "must be an array");
  return {
    owner: checkId(r.owner, "renewal.owner"),
    leases: r.leases.map((l, i) => checkFence(l, `renewal.leases[${i}]`)),
    now: checkTimestamp(r.now, "renewal.now"),
    ttlMs: checkDuration(r.ttlMs, "renewal.ttlMs"),
  };
}

export function checkFences(owner: string, leases: readonly Fence[]): readonly Fence[] {
  checkId(owner, "owner");
  if (!Array.isArray(leases)) throw new InvalidArgumentError("leases", "must be an array");
  return leases.map((l, i) => checkFence(l, `leases[${i}]`));
}

export function checkInboxEntry(e: InboxEntry): InboxEntry {
  if (typeof e !== "object" || e === null)
    throw new InvalidArgumentError("entry", "must be an object");
  if (!INBOX_KINDS.has(e.kind)) {
    throw new InvalidArgumentError("entry.kind", `must be one of ${[...INBOX_KINDS].join(", ")}`);
  }
  if (typeof e.body !== "string") throw new InvalidArgumentError("entry.body", "must be a string");
  return {
    entryId: checkId(e.entryId, "entry.entryId"),
    shard: checkShard(e.shard, "entry.shard"),
    workflowId: checkId(e.workflowId, "entry.workflowId"),
    kind: e.kind,
    body: e.body,
    createdAt: checkTimestamp(e.createdAt, "entry.createdAt"),
  };
}

export function checkPendingQuery(shards: readonly number[], limit: number): readonly number[] {
  checkDuration(limit, "limit");
  return checkShards(shards, "shards");
}

export function checkTask(t: ActivityTask): ActivityTask {
  if (typeof t !== "object" || t === null)
    throw new InvalidArgumentError("task", "must be an object");
  for (const k of ["input", "config"] as const) {
    if (typeof t[k] !== "string") throw new InvalidArgumentError(`task.${k}`, "must be a string");
  }
  return {
    taskId: checkId(t.taskId, "task.taskId"),
    queue: checkId(t.queue, "task.queue"),
    activityType: checkId(t.activityType, "task.activityType"),
    shard: checkShard(t.shard, "task.shard"),
    workflowId: checkId(t.workflowId, "task.workflowId"),
    activityId: checkId(t.activityId, "task.activityId"),
    attempt: checkToken(t.attempt, "task.attempt"),
    input: t.input,
    config: t.config,
    createdAt: checkTimestamp(t.createdAt, "task.createdAt"),
  };
}

export function checkClaim(r: TaskClaimRequest): TaskClaimRequest {
  if (typeof r !== "object" || r === null)
    throw new InvalidArgumentError("request", "must be an object");
  if (!Array.isArray(r.activityTypes)) {
    throw new InvalidArgumentError("request.activityTypes", "must be an array");
  }
  if (r.queues !== undefined && !Array.isArray(r.queues)) {
    throw new InvalidArgumentError("request.queues", "must be an array");
  }
  return {
    worker: checkId(r.worker, "request.worker"),
    activityTypes: r.activityTypes.map((a, i) => checkId(a, `request.activityTypes[${i}]`)),
    ...(r.queues !== undefined
      ? { queues: r.queues.map((q, i) => checkId(q, `request.queues[${i}]`)) }
      : {}),
    now: checkTimestamp(r.now, "request.now"),
    claimMs: checkDuration(r.claimMs, "request.claimMs"),
    limit: checkDuration(r.limit, "request.limit"),
  };
}

/** Heartbeat arguments. */
export function checkHeartbeat(taskId: string, worker: string, now: number, claimMs: number): void {
  checkId(taskId, "taskId");
  checkId(worker, "worker");
  checkTimestamp(now, "now");
  checkDuration(claimMs, "claimMs");
}

export function checkMember(m: Member): Member {
  if (typeof m !== "object" || m === null)
    throw new InvalidArgumentError("member", "must be an object");
  if (!Array.isArray(m.activityTypes)) {
    throw new InvalidArgumentError("member.activityTypes", "must be an array");
  }
  return {
    owner: checkId(m.owner, "member.owner"),
    expiresAt: checkTimestamp(m.expiresAt, "member.expiresAt"),
    endpoint: m.endpoint === null ? null : checkId(m.endpoint, "member.endpoint"),
    activityTypes: m.activityTypes.map((a, i) => checkId(a, `member.activityTypes[${i}]`)),
  };
}
