/**
 * Exactly-once signals: ids on SignalSent and SignalReceived, idempotent
 * delivery, redelivery of a recorded-but-undelivered send when its sender is
 * loaded again, and old histories (no ids) still decoding and replaying.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  decodeEvent,
  EVENT_FORMAT_VERSION,
  type EventEnvelope,
  encodeEvent,
  validateEvent,
  type WorkflowEvent,
} from "../../engine/events/index.ts";
import { type EventStore, MemoryStore } from "../../engine/store/index.ts";
import { payloadFromText } from "../../engine/terms.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function open(store?: EventStore): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
    ...(store ? { store } : {}),
  });
  return env;
}

type Received = { name: string; payload: string; signalId: string | undefined };

async function received(e: TestEnvironment, id: string): Promise<Received[]> {
  return (await e.engine.history(id)).flatMap((x) =>
    x.event.kind === "SignalReceived"
      ? [
          {
            name: x.event.signalName,
            payload: new TextDecoder().decode(x.event.payload.bytes),
            signalId: x.event.signalId,
          },
        ]
      : [],
  );
}

function started(type: string, input: unknown, runId: string): WorkflowEvent {
  return {
    kind: "WorkflowStarted",
    workflowType: type,
    input: payloadFromText(JSON.stringify(input)),
    runId,
    parentRunId: null,
    packageVersion: "0".repeat(64),
  };
}

function sent(payload: string, signalId?: string): WorkflowEvent {
  return {
    kind: "SignalSent",
    targetWorkflowId: "tgt",
    signalName: "add",
    payload: payloadFromText(payload),
    ...(signalId !== undefined ? { signalId } : {}),
  };
}

/** A store where "snd" recorded its first send and "tgt" has its "done" (plus `extra`). */
async function crashedStore(firstSend: WorkflowEvent, extra: WorkflowEvent[] = []) {
  const store = new MemoryStore({ now: () => 1_700_000_000_000 });
  await store.append(
    "tgt",
    [
      started("sum", null, "run-t"),
      { kind: "SignalReceived", signalName: "done", payload: payloadFromText("null") },
      ...extra,
    ],
    0,
  );
  await store.append("snd", [started("send", { target: "tgt" }, "run-s"), firstSend], 0);
  return store;
}

describe("signal ids", () => {
  test("send_signal records an id per send, and the target records the same ids", async () => {
    const e = await open();
    const target = await e.engine.start("sum", null, { workflowId: "tgt" });
    await e.engine.signal(target, "done", null);
    const sender = await e.engine.start("send", { target }, { workflowId: "snd" });
    expect(await e.run(e.engine.result(sender))).toMatchObject({ result: "sent" });
    expect(await e.run(e.engine.result(target))).toMatchObject({ result: 5 });
    const history = await e.engine.history(sender);
    const runId = history[0]!.event.kind === "WorkflowStarted" ? history[0]!.event.runId : "";
    const ids = history.flatMap((x) => (x.event.kind === "SignalSent" ? [x.event.signalId] : []));
    expect(ids).toEqual([`snd/${runId}/signal-1`, `snd/${runId}/signal-2`]);
    expect(await received(e, target)).toEqual([
      { name: "done", payload: "null", signalId: undefined },
      { name: "add", payload: "5", signalId: ids[0] },
      { name: "add", payload: "0", signalId: ids[1] },
    ]);
  });

  test("a client signal with a signalId is recorded once", async () => {
    const e = await open();
    const id = await e.engine.start("sum");
    await e.engine.signal(id, "add", 4, { signalId: "k-1" });
    await e.engine.signal(id, "add", 4, { signalId: "k-1" });
    e.engine.evictIdle(0);
    await e.settle();
    // Not resident: the store's history answers.
    await e.engine.signal(id, "add", 4, { signalId: "k-1" });
    await e.engine.signal(id, "add", 0);
    await e.engine.signal(id, "done", null);
    expect(await e.run(e.engine.result(id))).toMatchObject({ result: 4 });
    expect((await received(e, id)).filter((s) => s.signalId === "k-1")).toHaveLength(1);
  });

  test("a recorded but undelivered send is delivered when its sender is loaded", async () => {
    const e = await open(await crashedStore(sent("5", "snd/run-s/signal-1")));
    expect(await e.run(e.engine.result("snd"))).toMatchObject({ result: "sent" });
    expect(await e.run(e.engine.result("tgt"))).toMatchObject({ result: 5 });
    expect((await received(e, "tgt")).map((s) => s.signalId)).toEqual([
      undefined,
      "snd/run-s/signal-1",
      "snd/run-s/signal-2",
    ]);
    // Recovery again: nothing left to deliver, nothing duplicated.
    const before = await e.engine.history("tgt");
    await e.engine.recover();
    await e.settle();
    expect(await e.engine.history("tgt")).toEqual(before);
  });

  test("a send the target already recorded is not delivered again", async () => {
    const store = await crashedStore(sent("5", "snd/run-s/signal-1"), [
      {
        kind: "SignalReceived",
        signalName: "add",
        payload: payloadFromText("5"),
        signalId: "snd/run-s/signal-1",
      },
    ]);
    const e = await open(store);
    expect(await e.run(e.engine.result("snd"))).toMatchObject({ result: "sent" });
    expect(await e.run(e.engine.result("tgt"))).toMatchObject({ result: 5 });
    expect((await received(e, "tgt")).map((s) => s.payload)).toEqual(["null", "5", "0"]);
  });

  test("an old history without ids replays; its last send is not redelivered", async () => {
    const e = await open(await crashedStore(sent("5")));
    expect(await e.run(e.engine.result("snd"))).toMatchObject({ result: "sent" });
    // Only the live send reached the target (the old one was at most once).
    expect(await e.run(e.engine.result("tgt"))).toMatchObject({ result: 0 });
    expect((await received(e, "tgt")).map((s) => s.signalId)).toEqual([
      undefined,
      "snd/run-s/signal-2",
    ]);
  });

  test("cancelling a sender waits for its pending delivery", async () => {
    let open_ = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const memory = new MemoryStore({ now: () => 1_700_000_000_000 });
    // Deliveries to "tgt" hang until released: the sender sits between record and delivery.
    const store = new Proxy(memory, {
      get(target, prop, receiver) {
        if (prop === "append") {
          return async (...args: Parameters<MemoryStore["append"]>) => {
            if (!open_ && args[1].some((x) => x.kind === "SignalReceived" && x.signalId))
              await gate;
            return target.append(...args);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const e = await open(store);
    await e.engine.start("sum", null, { workflowId: "tgt" });
    await e.engine.signal("tgt", "done", null);
    const sender = await e.engine.start("send", { target: "tgt" }, { workflowId: "snd" });
    await e.settle();
    let settled = false;
    const cancelling = e.engine.cancel(sender, "stop").finally(() => {
      settled = true;
    });
    await e.settle();
    expect(settled).toBe(false);
    const kinds = (await e.engine.history(sender)).map((x) => x.event.kind);
    expect(kinds).toEqual(["WorkflowStarted", "SignalSent"]);
    open_ = true;
    release();
    await e.run(cancelling);
    expect(await e.run(e.engine.result(sender))).toMatchObject({ status: "Cancelled" });
    const sends = (await e.engine.history(sender)).flatMap((x) =>
      x.event.kind === "SignalSent" ? [x.event.signalId] : [],
    );
    const got = (await received(e, "tgt")).filter((s) => s.name === "add");
    // Every recorded send reached the target before the sender ended.
    expect(sends.length).toBeGreaterThan(0);
    expect(got.map((s) => s.signalId)).toEqual(sends);
  });
});

test("cancelling a never-loaded sender delivers its last send first", async () => {
  const store = await crashedStore(sent("5", "snd/run-s/signal-1"));
  env = await TestEnvironment.create({
    store,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    recover: false,
    log: () => {},
  });
  await env.engine.cancel("snd", "stop");
  expect(env.engine.residentIds()).not.toContain("snd");
  expect(await env.engine.result("snd")).toMatchObject({ status: "Cancelled" });
  expect((await env.engine.history("tgt")).map((x) => x.event)).toContainEqual({
    kind: "SignalReceived",
    signalName: "add",
    payload: payloadFromText("5"),
    signalId: "snd/run-s/signal-1",
  });
});

describe("signal ids in the event codec", () => {
  const envelope = (event: WorkflowEvent): EventEnvelope => ({
    seq: 3,
    recordedAt: 1_700_000_000_000,
    workflowId: "w",
    event,
  });

  test("with and without an id, both round-trip; absent stays absent", () => {
    for (const event of [sent("1"), sent("1", "w/r/signal-1")]) {
      const back = decodeEvent(encodeEvent(envelope(event)));
      expect(back).toEqual(envelope(event));
      expect("signalId" in back.event).toBe("signalId" in event);
      expect(validateEvent(event)).toBe(event);
    }
  });

  test("a row written before ids existed decodes; a malformed id does not", () => {
    const forge = (event: unknown, tail: Uint8Array): Uint8Array => {
      const h = new TextEncoder().encode(
        JSON.stringify({ seq: 1, recordedAt: 5, workflowId: "w", event }),
      );
      const out = new Uint8Array(5 + h.byteLength + tail.byteLength + 4);
      const view = new DataView(out.buffer);
      out[0] = EVENT_FORMAT_VERSION;
      view.setUint32(1, h.byteLength);
      out.set(h, 5);
      out.set(tail, 5 + h.byteLength);
      const end = out.byteLength - 4;
      view.setUint32(end, Bun.hash.crc32(out.subarray(0, end)));
      return out;
    };
    const bytes = new TextEncoder().encode("7");
    const old = {
      kind: "SignalReceived",
      signalName: "s",
      payload: ["application/json", 1],
    };
    expect(decodeEvent(forge(old, bytes)).event).toEqual({
      kind: "SignalReceived",
      signalName: "s",
      payload: { contentType: "application/json", bytes },
    });
    expect(() => decodeEvent(forge({ ...old, signalId: 3 }, bytes))).toThrow(/signalId/);
    expect(() => decodeEvent(forge({ ...old, signalId: null }, bytes))).toThrow(/signalId/);
    expect(() => validateEvent({ ...sent("1"), signalId: 3 })).toThrow(/signalId/);
  });
});
