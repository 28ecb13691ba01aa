/**
 * Namespaces through the engine: a start records its namespace, a
 * continue-as-new chain keeps it, a child inherits its parent's (also a
 * child that itself continues as new), and `list` scopes by it.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function open(): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
  });
  return env;
}

test("start without a namespace uses 'default'", async () => {
  const e = await open();
  const id = await e.engine.start("charge", { amount: 1 }, { workflowId: "plain" });
  await e.run(e.engine.result(id));
  expect((await e.engine.describe("plain")).namespace).toBe("default");
});

test("children inherit the parent's namespace; continue-as-new keeps it", async () => {
  const e = await open();
  await e.engine.start("parent", {}, { workflowId: "p1", namespace: "team-a" });
  await e.engine.start("parent_of_countdown", null, { workflowId: "pc", namespace: "team-b" });
  await e.run(e.engine.result("p1"));
  await e.run(e.engine.result("pc"));
  expect((await e.engine.describe("p1/child-1")).namespace).toBe("team-a");
  const cd = await e.engine.describe("cd-child");
  expect(cd).toMatchObject({ namespace: "team-b", runCount: 3, status: "Completed" });
  const listed = async (namespace: string) =>
    (await e.engine.list({ namespace })).map((s) => s.workflowId);
  expect(await listed("team-a")).toEqual(["p1", "p1/child-1"]);
  expect(await listed("team-b")).toEqual(["pc", "cd-child"]);
  expect(await listed("default")).toEqual([]);
});

test("a bad namespace is refused before anything is recorded", async () => {
  const e = await open();
  await expect(e.engine.start("charge", {}, { workflowId: "x", namespace: "a b" })).rejects.toThrow(
    /namespace/,
  );
  expect(await e.engine.history("x")).toEqual([]);
});
