/** The console's timeline grouping (ui/app/timeline.ts): attempts, timers, children, runs. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { buildTimeline, type TimelineItem } from "../../ui/app/timeline.ts";
import type { HistoryEvent } from "../../ui/app/wire.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let seq = 0;
const ev = (
  recordedAt: number,
  kind: string,
  fields: Record<string, unknown> = {},
): HistoryEvent => ({
  seq: ++seq,
  recordedAt,
  kind,
  ...fields,
});
const started = (at: number, runId: string): HistoryEvent =>
  ev(at, "WorkflowStarted", {
    workflowType: "order",
    input: { n: 1 },
    runId,
    parentRunId: null,
    packageVersion: "v",
  });

function only<T extends TimelineItem["type"]>(
  items: TimelineItem[],
  type: T,
): Extract<TimelineItem, { type: T }>[] {
  return items.filter((i): i is Extract<TimelineItem, { type: T }> => i.type === type);
}

describe("buildTimeline", () => {
  test("an activity retried twice: three attempts, each ending where the next starts", () => {
    const items = buildTimeline([
      started(1000, "r1"),
      ev(1010, "ActivityScheduled", { activityId: "a-1", activityType: "charge", input: 5 }),
      ev(1020, "ActivityStarted", { activityId: "a-1", attempt: 1 }),
      ev(1520, "ActivityStarted", { activityId: "a-1", attempt: 2 }),
      ev(2520, "ActivityStarted", { activityId: "a-1", attempt: 3 }),
      ev(2600, "ActivityCompleted", { activityId: "a-1", result: { ok: true } }),
    ]);
    const [a] = only(items, "activity");
    expect(a!.state).toBe("completed");
    expect(a!.result).toEqual({ ok: true });
    expect(a!.durationMs).toBe(1590);
    expect(a!.attempts).toEqual([
      { attempt: 1, startedAt: 1020, endedAt: 1520, outcome: "retried" },
      { attempt: 2, startedAt: 1520, endedAt: 2520, outcome: "retried" },
      { attempt: 3, startedAt: 2520, endedAt: 2600, outcome: "completed" },
    ]);
    // Folded: one item per activity, not per event.
    expect(items.map((i) => i.type)).toEqual(["run", "activity"]);
  });

  test("a failed activity keeps its error with details; a running one stays pending", () => {
    const items = buildTimeline([
      started(0, "r1"),
      ev(1, "ActivityScheduled", { activityId: "a-1", activityType: "x", input: null }),
      ev(2, "ActivityStarted", { activityId: "a-1", attempt: 1 }),
      ev(9, "ActivityFailed", {
        activityId: "a-1",
        error: { message: "boom", details: { code: 7 } },
      }),
      ev(10, "ActivityScheduled", { activityId: "a-2", activityType: "y", input: null }),
      ev(11, "ActivityStarted", { activityId: "a-2", attempt: 1 }),
    ]);
    const [failed, running] = only(items, "activity");
    expect(failed!.state).toBe("failed");
    expect(failed!.error).toEqual({ message: "boom", details: { code: 7 } });
    expect(failed!.attempts[0]!.outcome).toBe("failed");
    expect(running!.state).toBe("pending");
    expect(running!.durationMs).toBeUndefined();
    expect(running!.attempts).toEqual([
      { attempt: 1, startedAt: 11, endedAt: undefined, outcome: "running" },
    ]);
  });

  test("timers carry their fire time; fired, cancelled and outlived ones are told apart", () => {
    const items = buildTimeline([
      started(0, "r1"),
      ev(10, "TimerStarted", { timerId: "t-1", fireAt: 5010 }),
      ev(20, "TimerStarted", { timerId: "t-2", fireAt: 9000 }),
      ev(30, "TimerStarted", { timerId: "scope-1", fireAt: 99_000 }),
      ev(5011, "TimerFired", { timerId: "t-1" }),
      ev(5020, "TimerCancelled", { timerId: "t-2" }),
      ev(5030, "WorkflowCompleted", { result: 1 }),
    ]);
    const timers = only(items, "timer");
    expect(timers.map((t) => [t.timerId, t.fireAt, t.state, t.endedAt])).toEqual([
      ["t-1", 5010, "fired", 5011],
      ["t-2", 9000, "cancelled", 5020],
      ["scope-1", 99_000, "unfired", undefined],
    ]);
  });

  test("signals received and sent, children with their outcome", () => {
    const items = buildTimeline([
      started(0, "r1"),
      ev(1, "SignalReceived", { signalName: "go", payload: { by: "ann" } }),
      ev(2, "SignalSent", { targetWorkflowId: "w-9", signalName: "ping", payload: 1 }),
      ev(3, "ChildWorkflowStarted", { childWorkflowId: "c-1", workflowType: "sub", input: 2 }),
      ev(4, "ChildWorkflowStarted", { childWorkflowId: "c-2", workflowType: "sub", input: 3 }),
      ev(8, "ChildWorkflowFailed", {
        childWorkflowId: "c-2",
        error: { message: "no", details: null },
      }),
      ev(9, "ChildWorkflowCompleted", { childWorkflowId: "c-1", result: "ok" }),
    ]);
    expect(only(items, "signal").map((s) => [s.name, s.payload, s.target])).toEqual([
      ["go", { by: "ann" }, undefined],
      ["ping", 1, "w-9"],
    ]);
    expect(only(items, "child").map((c) => [c.childWorkflowId, c.state, c.endedAt])).toEqual([
      ["c-1", "completed", 9],
      ["c-2", "failed", 8],
    ]);
    expect(only(items, "child")[1]!.error!.message).toBe("no");
  });

  test("a continue-as-new chain: one section per run, ids restart per run", () => {
    const items = buildTimeline([
      started(0, "r1"),
      ev(1, "ActivityScheduled", { activityId: "a-1", activityType: "x", input: 1 }),
      ev(2, "ActivityCompleted", { activityId: "a-1", result: 1 }),
      ev(3, "WorkflowContinuedAsNew", { input: { n: 2 }, workflowType: null, parentRunId: "r1" }),
      started(4, "r2"),
      ev(5, "ActivityScheduled", { activityId: "a-1", activityType: "x", input: 2 }),
      ev(6, "ActivityCompleted", { activityId: "a-1", result: 2 }),
      ev(7, "WorkflowFailed", { error: { message: "bad", details: [1] } }),
    ]);
    expect(items.map((i) => `${i.type}@${i.runNumber}`)).toEqual([
      "run@1",
      "activity@1",
      "end@1",
      "run@2",
      "activity@2",
      "end@2",
    ]);
    const [first, second] = only(items, "activity");
    expect([first!.result, second!.result]).toEqual([1, 2]);
    const [can, failed] = only(items, "end");
    expect(can!.nextInput).toEqual({ n: 2 });
    expect(failed!.error).toEqual({ message: "bad", details: [1] });
    expect(only(items, "run").map((r) => r.runId)).toEqual(["r1", "r2"]);
  });

  test("events without a start to attach to are kept as they are", () => {
    const orphan = ev(1, "ActivityCompleted", { activityId: "a-404", result: 0 });
    const items = buildTimeline([
      orphan,
      ev(2, "SearchAttributesUpdated", { attributes: { a: 1 } }),
    ]);
    expect(items.map((i) => i.type)).toEqual(["other", "other"]);
    expect(only(items, "other")[0]!.event).toBe(orphan);
  });
});
