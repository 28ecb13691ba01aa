import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  QueryFailedError,
  QueryTimeoutError,
  UnknownQueryError,
  UnknownWorkflowError,
} from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, FIXTURES, refusal, WORKFLOWS } from "./helpers.ts";

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
  });
  return env;
}

describe("signals", () => {
  test("signals are buffered per name and consumed in order", async () => {
    const e = await open();
    const id = await e.engine.start("sum");
    await e.engine.signal(id, "done", "x");
    await e.engine.signal(id, "add", 2);
    await e.engine.signal(id, "add", 3);
    await e.engine.signal(id, "add", 0);
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: 5 });
  });

  test("send_signal records SignalSent and delivers", async () => {
    const e = await open();
    const target = await e.engine.start("sum", null, { workflowId: "target" });
    await e.engine.signal(target, "done", null);
    const sender = await e.engine.start("send", { target });
    expect(await e.run(e.engine.result(sender))).toMatchObject({
      status: "Completed",
      result: "sent",
    });
    expect(await e.run(e.engine.result(target))).toMatchObject({ status: "Completed", result: 5 });
    const kinds = (await e.engine.history(sender)).map((x) => x.event.kind);
    expect(kinds.filter((k) => k === "SignalSent")).toHaveLength(2);
  });

  test("the wake marker wakes a raw receive", async () => {
    const e = await open();
    const id = await e.engine.start("raw_wake");
    await e.settle();
    await e.engine.signal(id, "go", { go: 1 });
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: { go: 1 },
    });
  });

  test("signals to unknown or finished workflows are refused", async () => {
    const e = await open();
    await expect(e.engine.signal("nope", "x")).rejects.toBeInstanceOf(UnknownWorkflowError);
    const id = await e.engine.start("basic", { name: "x" });
    await e.run(e.engine.result(id));
    await expect(e.engine.signal(id, "x")).rejects.toMatchObject({ code: "already-terminal" });
  });
});

describe("queries", () => {
  test("the query pump answers at awaits, while parked and after replay", async () => {
    const e = await open();
    const id = await e.engine.start("counter");
    await e.settle();
    expect(await e.run(e.engine.query(id, "state"))).toBe(0);
    await e.engine.signal(id, "cmd", "inc");
    await e.engine.signal(id, "cmd", "inc");
    await e.settle();
    // Parked in sleep: answered there, the sleep is re-entered, not restarted.
    expect(await e.run(e.engine.query(id, "state"))).toBe(1);
    expect(await e.run(e.engine.query(id, "echo", { a: 1 }))).toEqual({ a: 1 });
    // Settled before asserting: see `refusal` for why not `expect(...).rejects`.
    expect(await refusal(e.run(e.engine.query(id, "boom")))).toBeInstanceOf(QueryFailedError);
    expect(await refusal(e.run(e.engine.query(id, "missing")))).toBeInstanceOf(UnknownQueryError);
    await e.advance(50);
    e.engine.evict(id);
    // Replayed from history before it can answer.
    expect(await e.run(e.engine.query(id, "state"))).toBe(2);
    await e.engine.signal(id, "cmd", "stop");
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: 2 });
    const kinds = (await e.engine.history(id)).map((x) => x.event.kind);
    expect(kinds.filter((k) => k === "TimerStarted")).toHaveLength(2);
  });

  test("a query times out when the workflow never reaches an await", async () => {
    const e = await open();
    const id = await e.engine.start("stuck");
    await e.settle();
    const q = e.run(e.engine.query(id, "state", null, { timeoutMs: 100 }));
    expect(await refusal(q)).toBeInstanceOf(QueryTimeoutError);
  });

  test("dispatch_query asks another workflow and records nothing", async () => {
    const e = await open();
    const target = await e.engine.start("counter", null, { workflowId: "counted" });
    await e.settle();
    const asker = await e.engine.start("asker", { target });
    expect(await e.run(e.engine.result(asker))).toMatchObject({ status: "Completed", result: 0 });
    const kinds = (await e.engine.history(asker)).map((x) => x.event.kind);
    expect(kinds).toEqual(["WorkflowStarted", "WorkflowCompleted"]);
  });

  test("recording natives are refused while a query is serviced", async () => {
    const e = await open();
    const id = await e.engine.start("guard");
    await e.settle();
    expect(await e.run(e.engine.query(id, "sneaky"))).toBe("answered");
    await e.engine.signal(id, "go", "go");
    expect(await e.run(e.engine.result(id))).toMatchObject({
      status: "Completed",
      result: ["query_servicing:sleep", "query_servicing:dispatch_query"],
    });
  });
});
