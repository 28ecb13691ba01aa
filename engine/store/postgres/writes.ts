/**
 * The write transactions of the PostgreSQL store. Each function runs inside
 * one transaction (`tx`) and refuses by throwing a `StoreError`, which rolls
 * the whole transaction back: nothing of a refused write is committed.
 *
 * Optimistic concurrency needs no lock held between calls: an append locks
 * its workflow row (`FOR UPDATE`), checks the head, and then updates that row
 * conditionally on the head it expected, so even an engine that ignores the
 * lock lets only one writer through; the `(workflow_id, seq)` primary key is
 * the last line of defence. Later ownership work (shard leases with fencing
 * tokens) adds one more conditional statement here, in the same transaction.
 */
import type { TransactionSQL } from "bun";
import { AppendConflictError, InvalidArgumentError, UnknownPackageError } from "../errors.ts";
import type { PreparedAppend } from "../prepare.ts";
import type {
  AppendResult,
  PackageInput,
  PackageRecord,
  PackageRoute,
  WorkflowSummary,
} from "../types.ts";
import { type AppendEffects, planAppend } from "../visibility.ts";
import { checkFenceTx } from "./coordination.ts";
import { constraintOf, errnoOf, FOREIGN_KEY_VIOLATION } from "./pg-errors.ts";
import { attributeColumns } from "./query-sql.ts";
import { headFromRow, type PgWorkflowRow, summaryFromPgRow } from "./rows.ts";
import { EVENT_INSERT_CHUNK, insertEventsSql, SQL_TEXT } from "./statements.ts";

/** Rows changed by a statement. */
async function changed(run: Promise<unknown>): Promise<number> {
  return ((await run) as { count: number }).count;
}

/** The committed head, read after a conditional write lost a race. */
async function currentHead(tx: TransactionSQL, workflowId: string): Promise<number> {
  const rows = await tx.unsafe<{ head_seq: string }[]>(SQL_TEXT.head, [workflowId]);
  return headFromRow(rows[0], workflowId);
}

/** Whether an append changed nothing in the summary but the head. */
function onlyHeadMoved(previous: WorkflowSummary, effects: AppendEffects): boolean {
  const v = effects.summary;
  return (
    effects.attributeChanges.size === 0 &&
    v.runId === previous.runId &&
    v.status === previous.status &&
    v.workflowType === previous.workflowType &&
    v.startTime === previous.startTime &&
    v.closeTime === previous.closeTime &&
    v.runCount === previous.runCount
  );
}

/** Write the summary row; false when another writer moved the head first. */
async function writeSummary(
  tx: TransactionSQL,
  previous: WorkflowSummary | undefined,
  expectedSeq: number,
  effects: AppendEffects,
): Promise<boolean> {
  const v = effects.summary;
  if (previous !== undefined && onlyHeadMoved(previous, effects)) {
    return (
      (await changed(tx.unsafe(SQL_TEXT.updateHead, [v.workflowId, v.headSeq, expectedSeq]))) === 1
    );
  }
  const attributes = JSON.stringify(v.searchAttributes);
  if (previous === undefined) {
    const params = [
      v.workflowId,
      v.headSeq,
      v.workflowType,
      v.runId,
      v.status,
      v.startTime,
      v.closeTime,
      v.runCount,
      attributes,
      v.namespace,
    ];
    return (await changed(tx.unsafe(SQL_TEXT.insertWorkflow, params))) === 1;
  }
  const params = [
    v.workflowId,
    v.headSeq,
    v.workflowType,
    v.runId,
    v.status,
    v.startTime,
    v.closeTime,
    v.runCount,
    attributes,
    expectedSeq,
  ];
  return (await changed(tx.unsafe(SQL_TEXT.updateWorkflow, params))) === 1;
}

/**
 * Append a prepared batch: check the head (refusing with a conflict), then
 * insert the rows and update the visibility projection and durable timers.
 */
export async function appendTx(tx: TransactionSQL, p: PreparedAppend): Promise<AppendResult> {
  await checkFenceTx(tx, p.fence);
  const rows = await tx.unsafe<PgWorkflowRow[]>(SQL_TEXT.workflowForUpdate, [p.workflowId]);
  const previous = rows[0] === undefined ? undefined : summaryFromPgRow(rows[0]);
  const head = previous?.headSeq ?? 0;
  if (head !== p.expectedSeq) throw new AppendConflictError(p.workflowId, p.expectedSeq, head);
  const effects = planAppend(previous, p.envelopes, p.namespace);
  if (!(await writeSummary(tx, previous, p.expectedSeq, effects))) {
    throw new AppendConflictError(p.workflowId, p.expectedSeq, await currentHead(tx, p.workflowId));
  }
  for (let start = 0; start < p.envelopes.length; start += EVENT_INSERT_CHUNK) {
    const chunk = p.envelopes.slice(start, start + EVENT_INSERT_CHUNK);
    const params: unknown[] = [];
    chunk.forEach((e, i) => {
      params.push(p.workflowId, e.seq, e.event.kind, e.recordedAt, p.encoded[start + i]!);
    });
    await tx.unsafe(insertEventsSql(chunk.length), params);
  }
  for (const [name, value] of effects.attributeChanges) {
    if (value === null) await tx.unsafe(SQL_TEXT.deleteAttribute, [p.workflowId, name]);
    else await tx.unsafe(SQL_TEXT.putAttribute, [p.workflowId, name, ...attributeColumns(value)]);
  }
  if (effects.runEnded) await tx.unsafe(SQL_TEXT.deleteTimersOf, [p.workflowId]);
  else {
    for (const timerId of effects.releasedTimers) {
      await tx.unsafe(SQL_TEXT.deleteTimer, [p.workflowId, timerId]);
    }
  }
  for (const t of p.timers) await tx.unsafe(SQL_TEXT.putTimer, [p.workflowId, t.timerId, t.fireAt]);
  return { head: effects.summary.headSeq, envelopes: p.envelopes };
}

/** Arm a timer of an existing workflow; false when the workflow is unknown. */
export async function timerTx(
  tx: TransactionSQL,
  workflowId: string,
  timerId: string,
  fireAt: number,
): Promise<boolean> {
  return (await changed(tx.unsafe(SQL_TEXT.putTimerOfExisting, [workflowId, timerId, fireAt]))) > 0;
}

/** Disarm a timer; whether it was armed. */
export async function cancelTimerTx(
  tx: TransactionSQL,
  workflowId: string,
  timerId: string,
): Promise<boolean> {
  return (await changed(tx.unsafe(SQL_TEXT.deleteTimer, [workflowId, timerId]))) > 0;
}

/** Store (or replace) a validated package. */
export async function packageTx(
  tx: TransactionSQL,
  pkg: PackageInput,
  storedAt: number,
): Promise<PackageRecord> {
  await tx.unsafe(SQL_TEXT.putPackage, [pkg.workflowType, pkg.contentHash, pkg.archive, storedAt]);
  return { ...pkg, archive: pkg.archive.slice(), storedAt };
}

/** Whether an error is the route foreign key refusing. */
function routeKeyViolation(error: unknown): boolean {
  return (
    errnoOf(error) === FOREIGN_KEY_VIOLATION && constraintOf(error) === "package_routes_package"
  );
}

/** Delete a package unless a route points at it; whether it existed. */
export async function deletePackageTx(
  tx: TransactionSQL,
  workflowType: string,
  contentHash: string,
): Promise<boolean> {
  try {
    return (await changed(tx.unsafe(SQL_TEXT.deletePackage, [workflowType, contentHash]))) > 0;
  } catch (error) {
    if (routeKeyViolation(error)) {
      throw new InvalidArgumentError("contentHash", "the package is routed; move the route first", {
        cause: error,
      });
    }
    throw error;
  }
}

/** Point a type's route at a stored package. */
export async function routeTx(
  tx: TransactionSQL,
  workflowType: string,
  contentHash: string,
  updatedAt: number,
): Promise<PackageRoute> {
  try {
    await tx.unsafe(SQL_TEXT.putRoute, [workflowType, contentHash, updatedAt]);
  } catch (error) {
    if (routeKeyViolation(error)) throw new UnknownPackageError(workflowType, contentHash);
    throw error;
  }
  return { workflowType, contentHash, updatedAt };
}

/** Remove a type's route; whether it had one. */
export async function deleteRouteTx(tx: TransactionSQL, workflowType: string): Promise<boolean> {
  return (await changed(tx.unsafe(SQL_TEXT.deleteRoute, [workflowType]))) > 0;
}
