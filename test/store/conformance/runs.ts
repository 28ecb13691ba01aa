/** Conformance: run chains, status projection and visibility consistency. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { projectRuns, projectStatus, type WorkflowEvent } from "../../../engine/events/index.ts";
import { type EventStore, UnknownWorkflowError } from "../../../engine/store/index.ts";
import {
  attrs,
  cancelled,
  completed,
  continued,
  failed,
  manualClock,
  prng,
  rejection,
  type StoreFactory,
  scheduled,
  started,
  timedOut,
} from "../helpers.ts";

export function runCases(f: StoreFactory): void {
  describe("run chains and visibility", () => {
    let store: EventStore;
    const clock = manualClock();
    beforeEach(() => {
      clock.set(1_000);
      store = f.open({ now: clock.now });
    });
    afterEach(() => store.close());

    test("a single run", async () => {
      await store.append("wf", [started("r1"), scheduled("a")], 0);
      expect(await store.readRunChain("wf")).toEqual([
        {
          runId: "r1",
          parentRunId: null,
          workflowType: "checkout",
          packageVersion: "a".repeat(64),
          status: "Running",
          startSeq: 1,
          endSeq: 2,
          startedAt: 1_000,
          closedAt: null,
        },
      ]);
    });

    test("continue-as-new chains runs under one id", async () => {
      await store.append("wf", [started("r1"), scheduled("a")], 0);
      clock.set(2_000);
      await store.append("wf", [continued("r1", "checkout-v2")], 2);
      clock.set(3_000);
      await store.append("wf", [started("r2", { parentRunId: "r1", type: "checkout-v2" })], 3);
      clock.set(4_000);
      await store.append("wf", [scheduled("b"), completed()], 4);
      const chain = await store.readRunChain("wf");
      expect(
        chain.map((r) => [r.runId, r.parentRunId, r.status, r.startSeq, r.endSeq, r.closedAt]),
      ).toEqual([
        ["r1", null, "ContinuedAsNew", 1, 3, 2_000],
        ["r2", "r1", "Completed", 4, 6, 4_000],
      ]);
      expect(chain[1]?.workflowType).toBe("checkout-v2");
      const summary = await store.describe("wf");
      expect(summary).toMatchObject({
        runId: "r2",
        workflowType: "checkout-v2",
        status: "Completed",
        startTime: 3_000,
        closeTime: 4_000,
        headSeq: 6,
        runCount: 2,
      });
    });

    test("a continue-as-new without its successor stays ContinuedAsNew, not active", async () => {
      await store.append("wf", [started("r1"), continued("r1")], 0);
      await store.append("live", [started("x")], 0);
      expect((await store.describe("wf"))?.status).toBe("ContinuedAsNew");
      expect(await store.listActive()).toEqual(["live"]);
      const stranded = await store.query({ status: "ContinuedAsNew" });
      expect(stranded.map((s) => s.workflowId)).toEqual(["wf"]);
      await store.append("wf", [started("r2", { parentRunId: "r1" })], 2);
      expect(await store.listActive()).toEqual(["live", "wf"]);
    });

    test("readRunChain of an unknown workflow is a typed error", async () => {
      const error = await rejection(store.readRunChain("ghost"));
      expect(error).toBeInstanceOf(UnknownWorkflowError);
      expect((error as UnknownWorkflowError).workflowId).toBe("ghost");
    });

    test("each terminal event projects its status and close time", async () => {
      const cases: Array<[string, WorkflowEvent, string]> = [
        ["c", completed(), "Completed"],
        ["f", failed(), "Failed"],
        ["x", cancelled(), "Cancelled"],
        ["t", timedOut(), "TimedOut"],
      ];
      for (const [id, terminal, status] of cases) {
        clock.set(10);
        await store.append(id, [started()], 0);
        clock.set(20);
        await store.append(id, [terminal], 1);
        expect(await store.describe(id)).toMatchObject({ status, startTime: 10, closeTime: 20 });
      }
      expect(await store.listActive()).toEqual([]);
    });

    test("visibility always agrees with the projection of the history", async () => {
      const random = prng(42);
      const ids = ["w0", "w1", "w2", "w3", "w4"];
      const state = new Map<string, { head: number; run: number }>();
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      for (let step = 0; step < 120; step++) {
        clock.advance(1 + Math.floor(random() * 10));
        const id = pick(ids);
        const s = state.get(id);
        const batch: WorkflowEvent[] = [];
        let run = s?.run ?? 0;
        if (s === undefined) batch.push(started(`${id}-r0`));
        const n = 1 + Math.floor(random() * 3);
        for (let i = 0; i < n; i++) {
          const roll = random();
          if (roll < 0.5) batch.push(scheduled(`a${step}-${i}`));
          else if (roll < 0.6) batch.push(attrs({ k: pick(["x", "y"]), n: step }));
          else if (roll < 0.7) batch.push(pick([completed(), failed(), cancelled(), timedOut()]));
          else if (roll < 0.8) batch.push(continued(`${id}-r${run}`));
          else if (roll < 0.9) batch.push(continued("someone-else"));
          else {
            run++;
            batch.push(started(`${id}-r${run}`, { parentRunId: `${id}-r${run - 1}` }));
          }
        }
        const result = await store.append(id, batch, s?.head ?? 0);
        state.set(id, { head: result.head, run });
        const history = await store.readHistory(id);
        const runs = projectRuns(history);
        const last = runs[runs.length - 1]!;
        const summary = await store.describe(id);
        expect(summary).toMatchObject({
          status: projectStatus(history)!,
          headSeq: history.length,
          runCount: runs.length,
          runId: last.runId,
          workflowType: last.workflowType,
          startTime: last.startedAt,
          closeTime: last.closedAt,
        });
        expect(await store.readRunChain(id)).toEqual(runs);
      }
      const running: string[] = [];
      for (const id of ids) {
        if (projectStatus(await store.readHistory(id)) === "Running") running.push(id);
      }
      expect(await store.listActive()).toEqual(running);
    });
  });
}
