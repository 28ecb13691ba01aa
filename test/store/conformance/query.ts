/** Conformance: visibility queries and search attributes. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { EventStore } from "../../../engine/store/index.ts";
import {
  attrs,
  completed,
  continued,
  failed,
  manualClock,
  type StoreFactory,
  started,
} from "../helpers.ts";

export function queryCases(f: StoreFactory): void {
  describe("visibility queries", () => {
    let store: EventStore;
    const clock = manualClock();
    const ids = (xs: readonly { workflowId: string }[]) => xs.map((x) => x.workflowId);

    beforeEach(async () => {
      store = f.open({ now: clock.now });
      // a: checkout, started 100, completed 150
      // b: checkout, started 200, running
      // c: refund,   started 300, failed 350
      // d: refund,   started 300, running
      clock.set(100);
      await store.append("a", [started("ra"), attrs({ region: "eu", tier: 1, vip: true })], 0);
      clock.set(150);
      await store.append("a", [completed()], 2);
      clock.set(200);
      await store.append("b", [started("rb"), attrs({ region: "us", tier: 2, vip: false })], 0);
      clock.set(300);
      await store.append(
        "c",
        [started("rc", { type: "refund" }), attrs({ region: "eu", tier: "1" })],
        0,
      );
      await store.append("d", [started("rd", { type: "refund" })], 0);
      clock.set(350);
      await store.append("c", [failed()], 2);
    });
    afterEach(() => store.close());

    test("an empty filter returns everything by start time then id", async () => {
      expect(ids(await store.query({}))).toEqual(["a", "b", "c", "d"]);
    });

    test("by status, one or several", async () => {
      expect(ids(await store.query({ status: "Running" }))).toEqual(["b", "d"]);
      expect(ids(await store.query({ status: ["Completed", "Failed"] }))).toEqual(["a", "c"]);
      expect(ids(await store.query({ status: "TimedOut" }))).toEqual([]);
    });

    test("by workflow type", async () => {
      expect(ids(await store.query({ workflowType: "refund" }))).toEqual(["c", "d"]);
      expect(ids(await store.query({ workflowType: "nope" }))).toEqual([]);
    });

    test("by start-time range: from inclusive, to exclusive", async () => {
      expect(ids(await store.query({ startTime: { from: 200 } }))).toEqual(["b", "c", "d"]);
      expect(ids(await store.query({ startTime: { to: 300 } }))).toEqual(["a", "b"]);
      expect(ids(await store.query({ startTime: { from: 100, to: 201 } }))).toEqual(["a", "b"]);
    });

    test("by close-time range matches closed workflows only", async () => {
      expect(ids(await store.query({ closeTime: {} }))).toEqual(["a", "c"]);
      expect(ids(await store.query({ closeTime: { from: 151 } }))).toEqual(["c"]);
      expect(ids(await store.query({ closeTime: { to: 350 } }))).toEqual(["a"]);
    });

    test("by search attributes, type-exact", async () => {
      expect(ids(await store.query({ searchAttributes: { region: "eu" } }))).toEqual(["a", "c"]);
      expect(ids(await store.query({ searchAttributes: { tier: 1 } }))).toEqual(["a"]);
      expect(ids(await store.query({ searchAttributes: { tier: "1" } }))).toEqual(["c"]);
      expect(ids(await store.query({ searchAttributes: { vip: false } }))).toEqual(["b"]);
      expect(ids(await store.query({ searchAttributes: { vip: 1 } }))).toEqual([]);
      expect(ids(await store.query({ searchAttributes: { region: "eu", tier: 1 } }))).toEqual([
        "a",
      ]);
    });

    test("criteria combine and limit caps the result", async () => {
      expect(ids(await store.query({ status: "Running", workflowType: "checkout" }))).toEqual([
        "b",
      ]);
      expect(ids(await store.query({ limit: 2 }))).toEqual(["a", "b"]);
      expect(
        ids(
          await store.query({
            searchAttributes: { region: "eu" },
            status: "Failed",
            startTime: { from: 300 },
          }),
        ),
      ).toEqual(["c"]);
    });

    test("attribute updates overwrite, remove and survive continue-as-new", async () => {
      await store.append("b", [attrs({ region: "apac", vip: null })], 2);
      let b = await store.describe("b");
      expect(b?.searchAttributes).toEqual({ region: "apac", tier: 2 });
      expect(ids(await store.query({ searchAttributes: { region: "us" } }))).toEqual([]);
      expect(ids(await store.query({ searchAttributes: { vip: false } }))).toEqual([]);
      expect(ids(await store.query({ searchAttributes: { region: "apac" } }))).toEqual(["b"]);
      clock.set(500);
      await store.append("b", [continued("rb"), started("rb2", { parentRunId: "rb" })], 3);
      b = await store.describe("b");
      expect(b).toMatchObject({
        runId: "rb2",
        startTime: 500,
        searchAttributes: { region: "apac", tier: 2 },
      });
      expect(
        ids(await store.query({ searchAttributes: { tier: 2 }, startTime: { from: 500 } })),
      ).toEqual(["b"]);
    });

    test("summaries returned by query match describe", async () => {
      for (const s of await store.query({})) expect(await store.describe(s.workflowId)).toEqual(s);
      expect(await store.describe("missing")).toBeUndefined();
    });
  });
}
