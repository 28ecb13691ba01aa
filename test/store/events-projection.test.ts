/** Payload helpers and the status / run projections. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  decodePayload,
  type EventEnvelope,
  isTerminalStatus,
  jsonPayload,
  PayloadError,
  payloadEquals,
  projectRuns,
  projectStatus,
  type WorkflowEvent,
} from "../../engine/events/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  cancelled,
  completed,
  continued,
  failed,
  scheduled,
  started,
  text,
  timedOut,
} from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const wrap = (events: WorkflowEvent[]): EventEnvelope[] =>
  events.map((event, i) => ({ seq: i + 1, recordedAt: (i + 1) * 10, workflowId: "w", event }));

function payloadError(fn: () => unknown): PayloadError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return error as PayloadError;
  }
  throw new Error("expected a PayloadError");
}

describe("payloads", () => {
  test("JSON payloads round-trip", () => {
    for (const v of [null, 0, "é", [1, { a: true }], { nested: { x: [] } }]) {
      const p = jsonPayload(v);
      expect(p.contentType).toBe("application/json");
      expect(decodePayload(p)).toEqual(v);
    }
    expect(text(jsonPayload({ a: 1 }))).toBe('{"a":1}');
    expect(
      decodePayload({
        contentType: "application/json; charset=utf-8",
        bytes: jsonPayload(2).bytes,
      }),
    ).toBe(2);
  });

  test("failures are typed", () => {
    expect(payloadError(() => jsonPayload(undefined)).reason).toBe("unserializable");
    expect(payloadError(() => jsonPayload(10n)).reason).toBe("unserializable");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(payloadError(() => jsonPayload(cyclic)).reason).toBe("unserializable");
    expect(
      payloadError(() => decodePayload({ contentType: "text/plain", bytes: new Uint8Array() }))
        .reason,
    ).toBe("not-json");
    const broken = { contentType: "application/json", bytes: new Uint8Array([0x7b, 0xff]) };
    expect(payloadError(() => decodePayload(broken)).reason).toBe("invalid-json");
  });

  test("payloadEquals compares content type and bytes", () => {
    expect(payloadEquals(jsonPayload([1]), jsonPayload([1]))).toBe(true);
    expect(payloadEquals(jsonPayload([1]), jsonPayload([2]))).toBe(false);
    expect(payloadEquals(jsonPayload(1), { contentType: "x", bytes: jsonPayload(1).bytes })).toBe(
      false,
    );
  });
});

describe("status projection", () => {
  test("no run, running, and every terminal status", () => {
    expect(projectStatus([])).toBeUndefined();
    expect(projectStatus([scheduled("a")])).toBeUndefined();
    expect(projectStatus([started(), scheduled("a")])).toBe("Running");
    expect(projectStatus([started(), completed()])).toBe("Completed");
    expect(projectStatus([started(), failed()])).toBe("Failed");
    expect(projectStatus([started(), cancelled()])).toBe("Cancelled");
    expect(projectStatus(wrap([started(), timedOut()]))).toBe("TimedOut");
    expect(isTerminalStatus("Running")).toBe(false);
    expect(isTerminalStatus("ContinuedAsNew")).toBe(true);
  });

  test("continue-as-new ends only the run it names; a successor runs again", () => {
    expect(projectStatus([started("r1"), continued("r1")])).toBe("ContinuedAsNew");
    expect(projectStatus([started("r1"), continued("other")])).toBe("Running");
    expect(
      projectStatus([started("r1"), continued("r1"), started("r2", { parentRunId: "r1" })]),
    ).toBe("Running");
  });

  test("the last terminal of the latest run wins", () => {
    expect(projectStatus([started(), failed(), completed()])).toBe("Completed");
    expect(projectStatus([started("r1"), completed(), started("r2")])).toBe("Running");
  });

  test("projectRuns splits segments at each WorkflowStarted", () => {
    const history = wrap([
      started("r1"),
      scheduled("a"),
      continued("r1"),
      started("r2", { parentRunId: "r1" }),
      failed(),
      scheduled("late"),
    ]);
    const runs = projectRuns(history);
    expect(
      runs.map((r) => [r.runId, r.status, r.startSeq, r.endSeq, r.startedAt, r.closedAt]),
    ).toEqual([
      ["r1", "ContinuedAsNew", 1, 3, 10, 30],
      ["r2", "Failed", 4, 6, 40, 50],
    ]);
    const lifecycleOnly = history.filter((e) => e.event.kind !== "ActivityScheduled");
    expect(projectRuns(lifecycleOnly, 6)).toEqual(runs);
  });
});
