/** Conformance: refused input writes nothing; a closed store refuses everything. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { jsonPayload, type WorkflowEvent } from "../../../engine/events/index.ts";
import {
  type EventStore,
  InvalidArgumentError,
  MAX_ID_LENGTH,
  StoreClosedError,
} from "../../../engine/store/index.ts";
import { HASH_A, rejection, type StoreFactory, scheduled, started } from "../helpers.ts";

/** Cast deliberately malformed input past the type checker. */
const junk = <T>(value: unknown): T => value as T;

async function expectInvalid(p: Promise<unknown>, argument?: string): Promise<void> {
  const error = await rejection(p);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).code).toBe("invalid-argument");
  if (argument !== undefined) expect((error as InvalidArgumentError).argument).toBe(argument);
}

export function badInputCases(f: StoreFactory): void {
  describe("bad input", () => {
    let store: EventStore;
    beforeEach(async () => {
      store = f.open({ maxPayloadBytes: 64 });
      await store.append("wf", [started()], 0);
    });
    afterEach(() => store.close());

    test("workflow ids must be non-empty, bounded strings", async () => {
      await expectInvalid(store.append("", [started()], 0), "workflowId");
      await expectInvalid(
        store.append("x".repeat(MAX_ID_LENGTH + 1), [started()], 0),
        "workflowId",
      );
      await expectInvalid(store.append(junk<string>(7), [started()], 0), "workflowId");
      await expectInvalid(store.readHistory(""), "workflowId");
      await expectInvalid(store.readRunChain(""), "workflowId");
      await expectInvalid(store.describe(""), "workflowId");
      await expectInvalid(store.scheduleTimer("wf", "", 1), "timerId");
      await expectInvalid(store.cancelTimer("", "t"), "workflowId");
    });

    test("sequence numbers are checked", async () => {
      for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expectInvalid(store.append("wf", [scheduled("a")], bad), "expectedSeq");
      }
      for (const bad of [0, -3, 2.5])
        await expectInvalid(store.readHistoryFrom("wf", bad), "fromSeq");
    });

    test("an append needs events, and a new history starts with WorkflowStarted", async () => {
      await expectInvalid(store.append("wf", [], 1), "events");
      await expectInvalid(store.append("new", [scheduled("a")], 0), "events[0]");
      expect(await store.readHistory("new")).toEqual([]);
    });

    test("malformed events are refused whole, naming the field", async () => {
      const bad: Array<[unknown, string]> = [
        [{ kind: "Nope" }, "events[1].kind"],
        [{ kind: "TimerFired" }, "events[1].timerId"],
        [{ kind: "TimerFired", timerId: 5 }, "events[1].timerId"],
        [{ kind: "TimerFired", timerId: "t", extra: 1 }, "events[1].extra"],
        [{ kind: "ActivityStarted", activityId: "a", attempt: -1 }, "events[1].attempt"],
        [
          { kind: "SignalReceived", signalName: "s", payload: { contentType: "x", bytes: "no" } },
          "events[1].payload.bytes",
        ],
        [{ kind: "WorkflowFailed", error: { message: "m" } }, "events[1].error.details"],
        [{ kind: "SearchAttributesUpdated", attributes: { a: [1] } }, "events[1].attributes.a"],
        [null, "events[1]"],
      ];
      for (const [event, path] of bad) {
        await expectInvalid(
          store.append("wf", [scheduled("ok"), junk<WorkflowEvent>(event)], 1),
          path,
        );
      }
      expect((await store.readHistory("wf")).length).toBe(1);
    });

    test("payloads over the size limit are refused, including error details", async () => {
      const at = scheduled("a", "x".repeat(62));
      const over = scheduled("b", "x".repeat(63));
      await store.append("wf", [at], 1);
      await expectInvalid(store.append("wf", [over], 2), "events[0].input");
      const details: WorkflowEvent = {
        kind: "ActivityFailed",
        activityId: "a",
        error: { message: "m", details: jsonPayload("y".repeat(100)) },
      };
      await expectInvalid(store.append("wf", [details], 2), "events[0].error.details");
      expect((await store.readHistory("wf")).length).toBe(2);
    });

    test("timestamps, limits and filters are checked", async () => {
      await expectInvalid(store.scheduleTimer("wf", "t", -1), "fireAt");
      await expectInvalid(store.scheduleTimer("wf", "t", 1.5), "fireAt");
      await expectInvalid(store.expiredTimers(-5), "asOf");
      await expectInvalid(store.expiredTimers(5, 0), "limit");
      await expectInvalid(
        store.append("wf", [scheduled("a")], 1, { recordedAt: -1 }),
        "options.recordedAt",
      );
      await expectInvalid(
        store.append("wf", [scheduled("a")], 1, { timers: [{ timerId: "", fireAt: 1 }] }),
        "options.timers[0].timerId",
      );
      await expectInvalid(store.query(junk({ status: "Sleeping" })), "filter.status");
      await expectInvalid(store.query({ status: [] }), "filter.status");
      await expectInvalid(store.query({ startTime: { from: -1 } }), "filter.startTime.from");
      await expectInvalid(store.query({ limit: 0 }), "filter.limit");
      await expectInvalid(
        store.query(junk({ searchAttributes: { a: null } })),
        "filter.searchAttributes.a",
      );
      expect((await store.readHistory("wf")).length).toBe(1);
    });
  });

  describe("closed store", () => {
    test("every operation is refused with StoreClosedError; close is idempotent", async () => {
      const store = f.open();
      await store.append("wf", [started()], 0);
      await store.close();
      await store.close();
      const calls: Array<() => Promise<unknown>> = [
        () => store.append("wf", [scheduled("a")], 1),
        () => store.readHistory("wf"),
        () => store.readHistoryFrom("wf", 1),
        () => store.readRunChain("wf"),
        () => store.describe("wf"),
        () => store.listWorkflowIds(),
        () => store.listActive(),
        () => store.query({}),
        () => store.countByStatus({}),
        () => store.countByStatusAndType({}),
        () => store.scheduleTimer("wf", "t", 1),
        () => store.cancelTimer("wf", "t"),
        () => store.expiredTimers(1),
        () =>
          store.putPackage({ workflowType: "t", contentHash: HASH_A, archive: new Uint8Array() }),
        () => store.getPackage("t", HASH_A),
        () => store.listPackages(),
        () => store.deletePackage("t", HASH_A),
        () => store.putPackageRoute("t", HASH_A),
        () => store.deletePackageRoute("t"),
        () => store.listPackageRoutes(),
      ];
      for (const call of calls) expect(await rejection(call())).toBeInstanceOf(StoreClosedError);
    });

    test("appends issued before close still commit", async () => {
      const store = f.open();
      const pending = store.append("wf", [started()], 0);
      await store.close();
      expect((await pending).head).toBe(1);
    });
  });
}
