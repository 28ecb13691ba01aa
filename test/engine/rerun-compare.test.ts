/** The crash test's comparison rule: equal histories modulo re-run activity attempts. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { compareModuloReruns } from "./rerun-compare.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const ev = (o: Record<string, unknown>) => JSON.stringify(o);
const sched = ev({ kind: "ActivityScheduled", activityId: "a1", activityType: "x", input: "1" });
const started = (attempt: number, id = "a1") =>
  ev({ kind: "ActivityStarted", activityId: id, attempt });
const failed = (text: string, id = "a1") =>
  ev({ kind: "ActivityFailed", activityId: id, error: { message: text } });
const done = (result = "2", id = "a1") => ev({ kind: "ActivityCompleted", activityId: id, result });
const end = ev({ kind: "WorkflowCompleted", result: "2" });

describe("compareModuloReruns", () => {
  test("identical histories agree with no re-runs", () => {
    const h = [sched, started(1), done(), end];
    expect(compareModuloReruns(h, h)).toEqual({ reruns: {}, mismatch: null });
  });

  test("an extra attempt of an in-flight activity is a re-run", () => {
    const base = [sched, started(1), done(), end];
    const rec = [sched, started(1), started(2), done(), end];
    expect(compareModuloReruns(base, rec)).toEqual({ reruns: { a1: 1 }, mismatch: null });
  });

  test("later attempt numbers shift by the re-runs; the lost attempt's failure may show", () => {
    const base = [sched, started(1), failed("retryable:x"), started(2), done(), end];
    const rec = [sched, started(1), failed("retryable:x"), started(2), started(3), done(), end];
    expect(compareModuloReruns(base, rec)).toEqual({ reruns: { a1: 1 }, mismatch: null });
    const withFailure = [sched, started(1), failed("retryable:x"), started(2), done(), end];
    const base1 = [sched, started(1), done(), end];
    expect(compareModuloReruns(base1, withFailure)).toEqual({ reruns: { a1: 1 }, mismatch: null });
  });

  test("counts two re-runs so the caller can refuse more than one", () => {
    const base = [sched, started(1), done(), end];
    const rec = [sched, started(1), started(2), started(3), done(), end];
    expect(compareModuloReruns(base, rec).reruns).toEqual({ a1: 2 });
  });

  test("strict about everything else", () => {
    const base = [sched, started(1), done(), end];
    // a different result
    expect(compareModuloReruns(base, [sched, started(1), done("3"), end]).mismatch).toContain(
      "baseline #3",
    );
    // a missing event
    expect(compareModuloReruns(base, [sched, started(1), done()]).mismatch).toContain(
      "got end of history",
    );
    // an extra event that is not a re-run
    expect(compareModuloReruns(base, [sched, started(1), done(), done(), end]).mismatch).not.toBe(
      null,
    );
    // an extra start of an activity that is not in flight
    expect(
      compareModuloReruns(base, [sched, started(1), done(), started(2), end]).mismatch,
    ).not.toBe(null);
    // an extra start before the activity ever started
    expect(
      compareModuloReruns(base, [sched, started(2), started(1), done(), end]).mismatch,
    ).not.toBe(null);
    // reordered events
    expect(compareModuloReruns([sched, end], [end, sched]).mismatch).not.toBe(null);
    // a re-run start that skips an attempt number
    expect(
      compareModuloReruns(base, [sched, started(1), started(3), done(), end]).mismatch,
    ).not.toBe(null);
  });
});
