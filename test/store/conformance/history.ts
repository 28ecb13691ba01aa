/** Conformance: appends, reads, optimistic concurrency. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { jsonPayload, type WorkflowEvent } from "../../../engine/events/index.ts";
import { AppendConflictError, type EventStore } from "../../../engine/store/index.ts";
import {
  completed,
  manualClock,
  oneOfEveryKind,
  rejection,
  type StoreFactory,
  scheduled,
  started,
  text,
} from "../helpers.ts";

export function historyCases(f: StoreFactory): void {
  describe("history", () => {
    let store: EventStore;
    const clock = manualClock();
    beforeEach(() => {
      clock.set(1_000);
      store = f.open({ now: clock.now });
    });
    afterEach(() => store.close());

    test("append to a new workflow assigns dense seqs from 1 and stamps the clock", async () => {
      const result = await store.append("wf", [started(), scheduled("a")], 0);
      expect(result.head).toBe(2);
      expect(result.envelopes.map((e) => [e.seq, e.recordedAt, e.workflowId])).toEqual([
        [1, 1_000, "wf"],
        [2, 1_000, "wf"],
      ]);
      clock.advance(5);
      const next = await store.append("wf", [scheduled("b")], 2);
      expect(next.head).toBe(3);
      expect(next.envelopes[0]?.recordedAt).toBe(1_005);
      const history = await store.readHistory("wf");
      expect(history.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(history).toEqual([...result.envelopes, ...next.envelopes]);
    });

    test("recordedAt option overrides the clock", async () => {
      const r = await store.append("wf", [started()], 0, { recordedAt: 77 });
      expect(r.envelopes[0]?.recordedAt).toBe(77);
      expect((await store.readHistory("wf"))[0]?.recordedAt).toBe(77);
    });

    test("every event kind round-trips through the store", async () => {
      const events = oneOfEveryKind();
      await store.append("wf", events, 0);
      const history = await store.readHistory("wf");
      expect(history.map((e) => e.event)).toEqual(events);
    });

    test("unknown workflow reads as an empty history", async () => {
      expect(await store.readHistory("nobody")).toEqual([]);
      expect(await store.readHistoryFrom("nobody", 1)).toEqual([]);
    });

    test("readHistoryFrom returns the suffix from a seq", async () => {
      await store.append("wf", [started(), scheduled("a"), scheduled("b"), scheduled("c")], 0);
      expect((await store.readHistoryFrom("wf", 1)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect((await store.readHistoryFrom("wf", 3)).map((e) => e.seq)).toEqual([3, 4]);
      expect((await store.readHistoryFrom("wf", 4)).map((e) => e.seq)).toEqual([4]);
      expect(await store.readHistoryFrom("wf", 5)).toEqual([]);
    });

    test("a stale expectedSeq is a typed conflict and writes nothing", async () => {
      await store.append("wf", [started(), scheduled("a")], 0);
      const before = await store.describe("wf");
      for (const stale of [0, 1, 3, 99]) {
        const batch = stale === 0 ? [started("r2")] : [scheduled("x"), completed()];
        const error = await rejection(store.append("wf", batch, stale));
        expect(error).toBeInstanceOf(AppendConflictError);
        const conflict = error as AppendConflictError;
        expect(conflict.code).toBe("conflict");
        expect(conflict.workflowId).toBe("wf");
        expect(conflict.expectedSeq).toBe(stale);
        expect(conflict.actualSeq).toBe(2);
      }
      expect((await store.readHistory("wf")).length).toBe(2);
      expect(await store.describe("wf")).toEqual(before);
    });

    test("expecting a head on an unknown workflow conflicts with actual 0", async () => {
      const error = await rejection(store.append("new", [scheduled("a")], 3));
      expect(error).toBeInstanceOf(AppendConflictError);
      expect((error as AppendConflictError).actualSeq).toBe(0);
      expect(await store.readHistory("new")).toEqual([]);
      expect(await store.listWorkflowIds()).toEqual([]);
    });

    test("concurrent appends at the same head: exactly one wins", async () => {
      await store.append("wf", [started()], 0);
      const attempts = Array.from({ length: 6 }, (_, i) =>
        store.append("wf", [scheduled(`a${i}`), scheduled(`b${i}`)], 1),
      );
      const settled = await Promise.allSettled(attempts);
      const winners = settled.filter((s) => s.status === "fulfilled");
      const losers = settled.filter((s) => s.status === "rejected");
      expect(winners.length).toBe(1);
      for (const l of losers) expect(l.reason).toBeInstanceOf(AppendConflictError);
      expect((await store.readHistory("wf")).length).toBe(3);
    });

    test("chained appends to one workflow issued together apply in order", async () => {
      const a = store.append("wf", [started()], 0);
      const b = store.append("wf", [scheduled("a")], 1);
      const c = store.append("wf", [scheduled("b")], 2);
      expect((await Promise.all([a, b, c])).map((r) => r.head)).toEqual([1, 2, 3]);
    });

    test("concurrent appends to many workflows all succeed", async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `wf-${String(i).padStart(2, "0")}`);
      await Promise.all(ids.map((id) => store.append(id, [started(), scheduled("a")], 0)));
      expect(await store.listWorkflowIds()).toEqual(ids);
      for (const id of ids) expect((await store.readHistory(id)).length).toBe(2);
    });

    test("stored events do not alias caller buffers", async () => {
      const input = jsonPayload({ v: 1 });
      const event: WorkflowEvent = { ...started(), input };
      const result = await store.append("wf", [event], 0);
      input.bytes.fill(0x20);
      const read = await store.readHistory("wf");
      const first = read[0]?.event;
      if (first?.kind !== "WorkflowStarted") throw new Error("expected WorkflowStarted");
      expect(text(first.input)).toBe('{"v":1}');
      first.input.bytes.fill(0x20);
      const again = (await store.readHistory("wf"))[0]?.event;
      if (again?.kind !== "WorkflowStarted") throw new Error("expected WorkflowStarted");
      expect(text(again.input)).toBe('{"v":1}');
      expect(result.head).toBe(1);
    });

    test("listWorkflowIds lists every history, sorted", async () => {
      for (const id of ["b", "a", "c"]) await store.append(id, [started()], 0);
      expect(await store.listWorkflowIds()).toEqual(["a", "b", "c"]);
    });
  });
}
