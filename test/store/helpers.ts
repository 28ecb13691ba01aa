/**
 * Shared fixtures for the store tests: event builders, store factories,
 * temporary directories and a seeded PRNG.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  jsonPayload,
  type Payload,
  type WorkflowEvent,
  type WorkflowStarted,
} from "../../engine/events/index.ts";
import {
  type EventStore,
  MemoryStore,
  SqliteStore,
  type SqliteStoreOptions,
  type StoreOptions,
} from "../../engine/store/index.ts";
import { PostgresStore, type PostgresStoreOptions } from "../../engine/store/postgres/index.ts";
import { dropSchemas, freshSchema } from "./postgres-server.ts";

/** A valid package version. */
export const HASH_A = "a".repeat(64);
export const HASH_B = "b".repeat(64);

export function started(
  runId = "run-1",
  opts: { type?: string; parentRunId?: string | null; input?: unknown } = {},
): WorkflowStarted {
  return {
    kind: "WorkflowStarted",
    workflowType: opts.type ?? "checkout",
    input: jsonPayload(opts.input ?? { order: 1 }),
    runId,
    parentRunId: opts.parentRunId ?? null,
    packageVersion: HASH_A,
  };
}

export const completed = (value: unknown = "done"): WorkflowEvent => ({
  kind: "WorkflowCompleted",
  result: jsonPayload(value),
});

export const failed = (message = "boom"): WorkflowEvent => ({
  kind: "WorkflowFailed",
  error: { message, details: jsonPayload({ code: 7 }) },
});

export const cancelled = (reason = "stop"): WorkflowEvent => ({
  kind: "WorkflowCancelled",
  reason,
});

export const timedOut = (timeoutMs = 1000): WorkflowEvent => ({
  kind: "WorkflowTimedOut",
  timeoutMs,
});

export const continued = (
  parentRunId: string,
  workflowType: string | null = null,
): WorkflowEvent => ({
  kind: "WorkflowContinuedAsNew",
  input: jsonPayload({ next: true }),
  workflowType,
  parentRunId,
});

export const attrs = (
  attributes: Readonly<Record<string, string | number | boolean | null>>,
): WorkflowEvent => ({ kind: "SearchAttributesUpdated", attributes });

export const scheduled = (activityId: string, input: unknown = { n: 1 }): WorkflowEvent => ({
  kind: "ActivityScheduled",
  activityId,
  activityType: "billing/charge",
  input: jsonPayload(input),
});

const bin = (text: string): Payload => ({
  contentType: "application/octet-stream",
  bytes: new TextEncoder().encode(text),
});

/** One event of every kind (a WorkflowStarted first), with varied field values. */
export function oneOfEveryKind(): WorkflowEvent[] {
  return [
    started("run-1", { parentRunId: "run-0" }),
    {
      kind: "SearchAttributesUpdated",
      attributes: { region: "eu", tier: 3, vip: true, gone: null },
    },
    scheduled("act-1"),
    { kind: "ActivityStarted", activityId: "act-1", attempt: 2 },
    { kind: "ActivityCompleted", activityId: "act-1", result: bin("\u0000\u00ff raw") },
    { kind: "ActivityFailed", activityId: "act-2", error: { message: "nope", details: null } },
    { kind: "ActivityCancelled", activityId: "act-3", reason: "parent ended" },
    { kind: "TimerStarted", timerId: "t-1", fireAt: 1_700_000_000_000 },
    { kind: "TimerFired", timerId: "t-1" },
    { kind: "TimerCancelled", timerId: "t-2" },
    { kind: "WithTimeoutCompleted", scopeId: "scope-1", timedOut: true },
    { kind: "SignalReceived", signalName: "approve", payload: jsonPayload({ by: "ann" }) },
    { kind: "SignalSent", targetWorkflowId: "other", signalName: "go", payload: jsonPayload([]) },
    {
      kind: "ChildWorkflowStarted",
      childWorkflowId: "child-1",
      workflowType: "ship",
      input: jsonPayload(1),
    },
    { kind: "ChildWorkflowCompleted", childWorkflowId: "child-1", result: jsonPayload("ok") },
    {
      kind: "ChildWorkflowFailed",
      childWorkflowId: "child-2",
      error: { message: "x", details: jsonPayload(null) },
    },
    { kind: "ChildWorkflowCancelled", childWorkflowId: "child-3", reason: "r" },
    {
      kind: "ScheduleCreated",
      scheduleId: "s-1",
      workflowType: "report",
      spec: jsonPayload({ cron: "0 * * * *" }),
      input: jsonPayload({}),
    },
    { kind: "ScheduleUpdated", scheduleId: "s-1", spec: jsonPayload({ every: "5m" }) },
    { kind: "SchedulePaused", scheduleId: "s-1", reason: null },
    { kind: "SchedulePaused", scheduleId: "s-1", reason: "maintenance" },
    { kind: "ScheduleResumed", scheduleId: "s-1" },
    { kind: "ScheduleTriggered", scheduleId: "s-1", triggeredWorkflowId: "wf-9", scheduledAt: 5 },
    { kind: "ScheduleDeleted", scheduleId: "s-1" },
    { kind: "WorkflowTimedOut", timeoutMs: 30_000 },
    { kind: "WorkflowCancelled", reason: "user" },
    failed(),
    continued("run-1", "checkout-v2"),
    {
      kind: "WorkflowContinuedAsNew",
      input: jsonPayload(0),
      workflowType: null,
      parentRunId: "zz",
    },
    completed({ total: 42 }),
  ];
}

/** A named way to open a fresh store, for running one suite against each. */
export interface StoreFactory {
  readonly name: string;
  open(options?: StoreOptions): EventStore;
  /** Remove whatever `open` created. */
  cleanup(): void | Promise<void>;
}

/** A fresh temporary directory. */
export function tempDir(prefix = "aion-store-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function memoryFactory(): StoreFactory {
  return { name: "MemoryStore", open: (o) => new MemoryStore(o), cleanup: () => {} };
}

/** SQLite stores on real files (WAL, fsync) in one temp directory. */
export function sqliteFactory(extra: SqliteStoreOptions = {}): StoreFactory {
  let dir: string | undefined;
  let n = 0;
  return {
    name: "SqliteStore",
    open(o) {
      dir ??= tempDir();
      return new SqliteStore(join(dir, `store-${n++}.db`), { ...extra, ...o });
    },
    cleanup() {
      if (dir !== undefined) removeDir(dir);
      dir = undefined;
    },
  };
}

/**
 * PostgreSQL stores on the server at `url`, each in a fresh schema (so each
 * starts empty, as a fresh SQLite file does); `cleanup` drops them.
 */
export function postgresFactory(url: string, extra: PostgresStoreOptions = {}): StoreFactory {
  const schemas: string[] = [];
  return {
    name: "PostgresStore",
    open(o) {
      const schema = freshSchema("conf");
      schemas.push(schema);
      return new PostgresStore(url, { maxConnections: 4, ...extra, ...o, schema });
    },
    cleanup: () => dropSchemas(url, schemas.splice(0)),
  };
}

/** A manual clock: `now()` returns `t`, which tests move by hand. */
export function manualClock(start = 1_000): {
  now: () => number;
  set(t: number): void;
  advance(ms: number): void;
} {
  let t = start;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Deterministic PRNG (mulberry32) so randomized tests replay exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Await a promise expected to reject, and return the rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** Payload bytes as text (for readable assertions). */
export function text(p: Payload): string {
  return new TextDecoder().decode(p.bytes);
}
