/**
 * Conformance: workflow namespaces. A workflow is created in one namespace
 * (default `default`), keeps it across continue-as-new, and visibility
 * queries can be scoped to one namespace.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  DEFAULT_NAMESPACE,
  type EventStore,
  InvalidArgumentError,
} from "../../../engine/store/index.ts";
import { completed, continued, rejection, type StoreFactory, started } from "../helpers.ts";

export function namespaceCases(f: StoreFactory): void {
  describe("namespaces", () => {
    let store: EventStore;
    beforeEach(() => {
      store = f.open();
    });
    afterEach(() => store.close());
    const ids = (xs: readonly { workflowId: string }[]) => xs.map((x) => x.workflowId);

    test("a workflow created without a namespace is in 'default'", async () => {
      expect(DEFAULT_NAMESPACE).toBe("default");
      await store.append("plain", [started()], 0);
      expect((await store.describe("plain"))?.namespace).toBe("default");
    });

    test("the namespace is set at creation and kept across continue-as-new", async () => {
      await store.append("wf", [started("r1")], 0, { namespace: "team-a" });
      // Later appends cannot move it, whatever they pass.
      await store.append("wf", [continued("r1")], 1, { namespace: "team-b" });
      await store.append("wf", [started("r2", { parentRunId: "r1" }), completed()], 2);
      const s = await store.describe("wf");
      expect(s).toMatchObject({ namespace: "team-a", runId: "r2", runCount: 2 });
    });

    test("queries filter by namespace together with the other criteria", async () => {
      await store.append("a1", [started("x")], 0, { namespace: "a" });
      await store.append("a2", [started("y"), completed()], 0, { namespace: "a" });
      await store.append("b1", [started("z")], 0, { namespace: "b" });
      await store.append("d1", [started("w")], 0);
      expect(ids(await store.query({ namespace: "a" }))).toEqual(["a1", "a2"]);
      expect(ids(await store.query({ namespace: "a", status: "Running" }))).toEqual(["a1"]);
      expect(ids(await store.query({ namespace: "b" }))).toEqual(["b1"]);
      expect(ids(await store.query({ namespace: "default" }))).toEqual(["d1"]);
      expect(ids(await store.query({ namespace: "none" }))).toEqual([]);
      expect((await store.query({})).map((s) => s.namespace).sort()).toEqual([
        "a",
        "a",
        "b",
        "default",
      ]);
    });

    test("bad namespaces are refused naming the argument, writing nothing", async () => {
      for (const bad of ["", " a", "a b", "a,b", "-lead", "x".repeat(129), "ü"]) {
        const e = await rejection(store.append("n", [started()], 0, { namespace: bad }));
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe("options.namespace");
        const q = await rejection(store.query({ namespace: bad }));
        expect((q as InvalidArgumentError).argument).toBe("filter.namespace");
      }
      expect(await store.describe("n")).toBeUndefined();
      await store.append("n", [started()], 0, { namespace: `A.b_c-${"9".repeat(122)}` });
      expect((await store.describe("n"))?.namespace).toHaveLength(128);
    });
  });
}
