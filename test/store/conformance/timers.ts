/** Conformance: durable timers. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  AppendConflictError,
  type EventStore,
  UnknownWorkflowError,
} from "../../../engine/store/index.ts";
import {
  completed,
  continued,
  rejection,
  type StoreFactory,
  scheduled,
  started,
} from "../helpers.ts";

export function timerCases(f: StoreFactory): void {
  describe("durable timers", () => {
    let store: EventStore;
    beforeEach(async () => {
      store = f.open();
      await store.append("w1", [started()], 0);
      await store.append("w2", [started()], 0);
    });
    afterEach(() => store.close());

    const brief = (ts: readonly { workflowId: string; timerId: string; fireAt: number }[]) =>
      ts.map((t) => `${t.workflowId}/${t.timerId}@${t.fireAt}`);

    test("expiredTimers returns due timers earliest first, boundary included", async () => {
      await store.scheduleTimer("w1", "late", 300);
      await store.scheduleTimer("w2", "b", 100);
      await store.scheduleTimer("w1", "a", 100);
      await store.scheduleTimer("w1", "early", 50);
      expect(brief(await store.expiredTimers(49))).toEqual([]);
      expect(brief(await store.expiredTimers(100))).toEqual([
        "w1/early@50",
        "w1/a@100",
        "w2/b@100",
      ]);
      expect(brief(await store.expiredTimers(100, 2))).toEqual(["w1/early@50", "w1/a@100"]);
      expect((await store.expiredTimers(1_000)).length).toBe(4);
    });

    test("rescheduling replaces the fire time; cancel disarms", async () => {
      await store.scheduleTimer("w1", "t", 100);
      await store.scheduleTimer("w1", "t", 500);
      expect(brief(await store.expiredTimers(1_000))).toEqual(["w1/t@500"]);
      expect(await store.cancelTimer("w1", "t")).toBe(true);
      expect(await store.cancelTimer("w1", "t")).toBe(false);
      expect(await store.cancelTimer("nobody", "t")).toBe(false);
      expect(await store.expiredTimers(1_000)).toEqual([]);
    });

    test("a timer needs an existing workflow", async () => {
      const error = await rejection(store.scheduleTimer("ghost", "t", 1));
      expect(error).toBeInstanceOf(UnknownWorkflowError);
    });

    test("appending TimerFired or TimerCancelled releases that timer", async () => {
      await store.scheduleTimer("w1", "fired", 10);
      await store.scheduleTimer("w1", "cancelled", 10);
      await store.scheduleTimer("w1", "kept", 10);
      await store.append("w1", [{ kind: "TimerFired", timerId: "fired" }], 1);
      await store.append("w1", [{ kind: "TimerCancelled", timerId: "cancelled" }], 2);
      expect(brief(await store.expiredTimers(10))).toEqual(["w1/kept@10"]);
    });

    test("a run-ending event releases every timer of that workflow only", async () => {
      await store.scheduleTimer("w1", "a", 10);
      await store.scheduleTimer("w1", "b", 20);
      await store.scheduleTimer("w2", "c", 30);
      await store.append("w1", [completed()], 1);
      expect(brief(await store.expiredTimers(100))).toEqual(["w2/c@30"]);
      await store.append("w2", [continued("run-1")], 1);
      expect(await store.expiredTimers(100)).toEqual([]);
    });

    test("timers armed with an append commit with it, or not at all", async () => {
      await store.append("w1", [{ kind: "TimerStarted", timerId: "t", fireAt: 40 }], 1, {
        timers: [{ timerId: "t", fireAt: 40 }],
      });
      expect(brief(await store.expiredTimers(40))).toEqual(["w1/t@40"]);
      const error = await rejection(
        store.append("w1", [scheduled("x")], 1, { timers: [{ timerId: "u", fireAt: 1 }] }),
      );
      expect(error).toBeInstanceOf(AppendConflictError);
      expect(brief(await store.expiredTimers(100))).toEqual(["w1/t@40"]);
    });
  });
}
