/**
 * The write operations, in the two phases the group committer expects
 * (`WriteOp`): the outer function reads and refuses by throwing, writing
 * nothing; the function it returns does the writes.
 */
import {
  AppendConflictError,
  FencedError,
  InvalidArgumentError,
  UnknownPackageError,
  UnknownWorkflowError,
} from "../errors.ts";
import type { PreparedAppend } from "../prepare.ts";
import type {
  AppendResult,
  PackageInput,
  PackageRecord,
  PackageRoute,
  WorkflowSummary,
} from "../types.ts";
import { type AppendEffects, planAppend } from "../visibility.ts";
import type { WriteOp } from "./group-commit.ts";
import { attributeColumns } from "./query-sql.ts";
import { summaryFromRow } from "./rows.ts";
import type { Statements } from "./statements.ts";

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

function writeSummary(
  s: Statements,
  previous: WorkflowSummary | undefined,
  effects: AppendEffects,
): void {
  const v = effects.summary;
  if (previous !== undefined && onlyHeadMoved(previous, effects)) {
    s.updateHead.run(v.headSeq, v.workflowId);
    return;
  }
  const attributes = JSON.stringify(v.searchAttributes);
  if (previous === undefined) {
    s.insertWorkflow.run(
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
    );
  } else {
    s.updateWorkflow.run(
      v.headSeq,
      v.workflowType,
      v.runId,
      v.status,
      v.startTime,
      v.closeTime,
      v.runCount,
      attributes,
      v.workflowId,
    );
  }
}

/**
 * Append a prepared batch: check the head (refusing with a conflict), then
 * insert the rows and update the visibility projection and durable timers.
 */
export function appendOp(s: Statements, p: PreparedAppend): WriteOp<AppendResult> {
  return () => {
    if (p.fence !== undefined) {
      // In the committer's transaction: an acquisition cannot slip in between.
      const current = s.leaseToken.get(p.fence.shard)?.token ?? 0;
      if (current !== p.fence.token) throw new FencedError(p.fence.shard, p.fence.token, current);
    }
    const row = s.workflow.get(p.workflowId);
    const previous = row === null ? undefined : summaryFromRow(row);
    const head = previous?.headSeq ?? 0;
    if (head !== p.expectedSeq) throw new AppendConflictError(p.workflowId, p.expectedSeq, head);
    const effects = planAppend(previous, p.envelopes, p.namespace);
    return () => {
      p.envelopes.forEach((e, i) => {
        s.insertEvent.run(p.workflowId, e.seq, e.event.kind, e.recordedAt, p.encoded[i]!);
      });
      writeSummary(s, previous, effects);
      for (const [name, value] of effects.attributeChanges) {
        if (value === null) s.deleteAttribute.run(p.workflowId, name);
        else s.putAttribute.run(p.workflowId, name, ...attributeColumns(value));
      }
      if (effects.runEnded) s.deleteTimersOf.run(p.workflowId);
      else for (const timerId of effects.releasedTimers) s.deleteTimer.run(p.workflowId, timerId);
      for (const t of p.timers) s.putTimer.run(p.workflowId, t.timerId, t.fireAt);
      return { head: effects.summary.headSeq, envelopes: p.envelopes };
    };
  };
}

/** Arm a timer of an existing workflow. */
export function timerOp(
  s: Statements,
  workflowId: string,
  timerId: string,
  fireAt: number,
): WriteOp<void> {
  return () => {
    if (s.workflowExists.get(workflowId) === null) throw new UnknownWorkflowError(workflowId);
    return () => {
      s.putTimer.run(workflowId, timerId, fireAt);
    };
  };
}

/** Disarm a timer; whether it was armed. */
export function cancelTimerOp(
  s: Statements,
  workflowId: string,
  timerId: string,
): WriteOp<boolean> {
  return () => () => s.deleteTimer.run(workflowId, timerId).changes > 0;
}

/** Store a validated package. */
export function packageOp(
  s: Statements,
  pkg: PackageInput,
  storedAt: number,
): WriteOp<PackageRecord> {
  return () => () => {
    s.putPackage.run(pkg.workflowType, pkg.contentHash, pkg.archive, storedAt);
    return { ...pkg, archive: pkg.archive.slice(), storedAt };
  };
}

/** Delete a package unless it is routed; whether it existed. */
export function deletePackageOp(
  s: Statements,
  workflowType: string,
  contentHash: string,
): WriteOp<boolean> {
  return () => {
    if (s.route.get(workflowType)?.content_hash === contentHash) {
      throw new InvalidArgumentError("contentHash", "the package is routed; move the route first");
    }
    return () => s.deletePackage.run(workflowType, contentHash).changes > 0;
  };
}

/** Point a type's route at a stored package. */
export function routeOp(
  s: Statements,
  workflowType: string,
  contentHash: string,
  updatedAt: number,
): WriteOp<PackageRoute> {
  return () => {
    if (s.packageExists.get(workflowType, contentHash) === null) {
      throw new UnknownPackageError(workflowType, contentHash);
    }
    return () => {
      s.putRoute.run(workflowType, contentHash, updatedAt);
      return { workflowType, contentHash, updatedAt };
    };
  };
}

/** Remove a type's route; whether it had one. */
export function deleteRouteOp(s: Statements, workflowType: string): WriteOp<boolean> {
  return () => () => s.deleteRoute.run(workflowType).changes > 0;
}
