import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../engine/store/index.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { turns } from "../wait.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-engine-dur-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (store: string, extra: Parameters<typeof TestEnvironment.create>[0] = {}) =>
  TestEnvironment.create({
    store,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
    ...extra,
  });

describe("on SqliteStore", () => {
  test("end to end: saga, collect, continue-as-new", async () => {
    const env = await open(join(dir, "e2e.db"));
    const ids = [
      await env.engine.start("saga"),
      await env.engine.start("collect"),
      await env.engine.start("countdown", 1),
    ];
    for (const id of ids) expect((await env.run(env.engine.result(id))).status).toBe("Completed");
    expect((await env.engine.list({ status: "Completed" })).length).toBeGreaterThanOrEqual(4);
    await env.shutdown();
  });

  test("a restarted engine resumes; recovery run twice changes nothing", async () => {
    const db = join(dir, "restart.db");
    const a = await open(db);
    const id = await a.engine.start("sleeper", { ms: 86_400_000 }, { workflowId: "long-sleep" });
    const child = await a.engine.start("parent", {}, { workflowId: "par" });
    await a.settle();
    await a.shutdown();
    const b = await open(db, { startTime: 1_700_000_000_000 });
    const before = await b.engine.history(id);
    const again = await b.engine.recover();
    expect(again.failed).toEqual([]);
    await b.settle();
    expect(await b.engine.history(id)).toEqual(before);
    expect(await b.run(b.engine.result(id))).toMatchObject({
      status: "Completed",
      result: "slept",
    });
    expect(await b.run(b.engine.result(child))).toMatchObject({ status: "Completed" });
    await b.shutdown();
  });

  test("shutdown closes the epoch: nothing appends afterwards", async () => {
    const db = join(dir, "epoch.db");
    const env = await open(db);
    let release: () => void = () => {};
    env.engine.activity("charge", () => new Promise((r) => (release = () => r({ late: true }))));
    const id = await env.engine.start("charge", { amount: 1 });
    await env.settle();
    const store = env.engine.store;
    const head = (await store.describe(id))!.headSeq;
    const closing = env.engine.shutdown();
    release();
    await closing;
    // Give a (wrongly) late append every chance to land before looking: the
    // released activity's continuation would be queued on the event loop.
    await turns(20);
    const b = await open(db);
    expect((await b.engine.store.describe(id))!.headSeq).toBeGreaterThanOrEqual(head);
    // The aborted attempt recorded nothing after the epoch closed.
    const kinds = (await b.engine.history(id)).map((e) => e.event.kind);
    expect(kinds).not.toContain("ActivityCompleted");
    await expect(env.engine.signal(id, "x")).rejects.toMatchObject({ code: "engine-shut-down" });
    await b.shutdown();
  });
});

describe("residency", () => {
  test("an evicted workflow is rehydrated by an activity result, a signal and a query", async () => {
    const env = await TestEnvironment.create({
      modulesDir: FIXTURES,
      workflows: WORKFLOWS,
      activities: ACTIVITIES,
    });
    let release: (v: unknown) => void = () => {};
    env.engine.activity("charge", () => new Promise((r) => (release = r)));
    const id = await env.engine.start("charge", { amount: 1 });
    await env.settle();
    expect(env.engine.evict(id)).toBe(true);
    release({ paid: true });
    expect(await env.run(env.engine.result(id))).toMatchObject({ result: { paid: true } });
    const counter = await env.engine.start("counter");
    await env.settle();
    expect(env.engine.evictIdle(0)).toBe(1);
    await env.engine.signal(counter, "cmd", "inc");
    await env.advance(20);
    expect(env.engine.evict(counter)).toBe(true);
    expect(await env.run(env.engine.query(counter, "state"))).toBe(1);
    expect(env.engine.residentIds()).toContain(counter);
    await env.shutdown();
  });
});

describe("recovery details", () => {
  test("a raw receive of the wake marker replays after a restart", async () => {
    const db = join(dir, "raw.db");
    const a = await open(db);
    const id = await a.engine.start("raw_wake");
    await a.settle();
    await a.engine.signal(id, "go", "went");
    await a.settle();
    await a.shutdown();
    const b = await open(db);
    expect(await b.run(b.engine.result(id))).toMatchObject({ status: "Completed", result: "went" });
    await b.shutdown();
  });

  test("a workflow timeout survives a restart", async () => {
    const db = join(dir, "timeout.db");
    const a = await open(db);
    const id = await a.engine.start("sum", null, { timeoutMs: 3_600_000 });
    await a.settle();
    await a.shutdown();
    const b = await open(db);
    expect(await b.run(b.engine.result(id))).toEqual({ status: "TimedOut", timeoutMs: 3_600_000 });
    await b.shutdown();
  });

  test("a child whose start keeps failing stays armed until the epoch closes", async () => {
    const src = await open(join(dir, "child-src.db"));
    const parent = await src.engine.start("parent", {}, { workflowId: "pp" });
    await src.run(src.engine.result(parent));
    const history = await src.engine.history(parent);
    await src.shutdown();
    // A store where the child was recorded but never started (a crash right after the record)...
    const db = join(dir, "child-retry.db");
    const store = new SqliteStore(db);
    const upToChild = history.slice(
      0,
      history.findIndex((e) => e.event.kind === "ChildWorkflowStarted") + 1,
    );
    for (const e of upToChild) await store.append(parent, [e.event], e.seq - 1);
    await store.close();
    // ...and an engine that does not know the child's type: the start retries, armed.
    const { child: _child, ...withoutChild } = WORKFLOWS;
    const c = await open(db, { workflows: withoutChild });
    await c.advance(100);
    expect(c.engine.armedChildRetries).toBe(1);
    expect(await c.engine.store.readHistory("pp/child-1")).toEqual([]);
    await c.shutdown();
    expect(c.engine.armedChildRetries).toBe(0);
    // With the type registered again, recovery starts the recorded child and the parent finishes.
    const d = await open(db);
    expect(await d.run(d.engine.result(parent))).toMatchObject({ status: "Completed" });
    expect((await d.engine.history(parent)).map((e) => e.event.kind)).toEqual(
      history.map((e) => e.event.kind),
    );
    await d.shutdown();
  });
});
