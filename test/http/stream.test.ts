/**
 * `GET /events/stream`: replay then live, live tail, resume after a dropped
 * connection without gap or duplicate (scenario 7), graceful close 1000,
 * error frames with close 1011 (invalid resume points, denial, anti-leak,
 * lagged), namespace-wide tails, and refused upgrades.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { DeployedEngine } from "../../engine/deploy/index.ts";
import {
  type ApiServer,
  EventHub,
  type StreamSink,
  WorkflowFeed,
} from "../../engine/http/index.ts";
import {
  CONF,
  eventOfFrame,
  OPS,
  openTestEngine,
  post,
  StreamProbe,
  serve,
  TOKENS,
} from "./callers-setup.ts";

setDefaultTimeout(120_000);

let d: DeployedEngine;
let open: ApiServer;
let secured: ApiServer;

beforeAll(async () => {
  d = await openTestEngine();
  open = serve(d);
  secured = serve(d, { tokens: TOKENS });
});

afterAll(async () => {
  await open.stop();
  await secured.stop();
  await d.engine.shutdown();
});

async function start(namespace = "default"): Promise<string> {
  const r = await post(open, "/workflows/start", {
    namespace,
    workflow_type: "counter",
    input: {},
  });
  return (r.json as { workflow_id: string }).workflow_id;
}

async function signal(id: string, payload: string, namespace = "default"): Promise<void> {
  const r = await post(open, "/workflows/signal", {
    namespace,
    workflow_id: id,
    signal_name: "cmd",
    payload,
  });
  expect(r.status).toBe(200);
}

async function head(id: string): Promise<number> {
  return (await d.engine.describe(id)).headSeq;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe("per-workflow streams", () => {
  test("resume 1 replays the history, then follows live appends, then closes 1000", async () => {
    const id = await start();
    await signal(id, "inc");
    const before = await head(id);
    const probe = new StreamProbe(open, {
      per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: 1 },
    });
    await probe.until(() => probe.seqs().length >= before);
    await signal(id, "inc");
    await signal(id, "stop");
    expect(await probe.waitClosed()).toEqual({ code: 1000, reason: "subscription complete" });
    const all = await d.engine.history(id);
    expect(probe.seqs()).toEqual(all.map((e) => e.seq));
    expect(probe.seqs()).toEqual(range(1, all.length));
    expect(probe.types().at(-1)).toBe("WorkflowCompleted");
    // The frame shape of the contract.
    const f = probe.frames[0]!;
    expect(f.namespace).toBe("default");
    expect(f.event).toMatchObject({
      namespace: "default",
      request_id: null,
      payload: { content_type: "application/json" },
    });
    expect(eventOfFrame(f)).toMatchObject({
      type: "WorkflowStarted",
      data: { envelope: { seq: 1, workflow_id: id } },
    });
  });

  test("resume N replays from N; resume head+1 is live only; absent is a live tail", async () => {
    const id = await start();
    await signal(id, "inc");
    const h = await head(id);
    const fromTwo = new StreamProbe(open, {
      per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: 2 },
    });
    const next = new StreamProbe(open, {
      per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: h + 1 },
    });
    const tail = new StreamProbe(open, {
      subscription: { per_workflow: { namespace: "default", workflow_id: id } },
      extra: 1,
    });
    await fromTwo.until(() => fromTwo.seqs().length >= h - 1);
    // The live subscriptions are attached once the server has taken their first frame;
    // a later append reaches all three.
    await waitAttached(3);
    await signal(id, "stop");
    for (const p of [fromTwo, next, tail]) expect((await p.waitClosed()).code).toBe(1000);
    const last = await head(id);
    expect(fromTwo.seqs()).toEqual(range(2, last));
    expect(next.seqs()).toEqual(range(h + 1, last));
    // A live tail starts at the head when its frame is taken (the counter may
    // have recorded its timer since `h`): contiguous from there to the end.
    const t = tail.seqs();
    expect(t[0]!).toBeGreaterThanOrEqual(h + 1);
    expect(t).toEqual(range(t[0]!, last));
  });

  test("scenario 7: a dropped subscriber resumes at last + 1 with no gap and no duplicate", async () => {
    const id = await start();
    await signal(id, "inc");
    const first = new StreamProbe(open, {
      per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: 1 },
    });
    await first.until(() => first.types().includes("SignalReceived"));
    first.close();
    await first.waitClosed();
    const seen = first.seqs();
    // Events recorded while nobody listened.
    await signal(id, "inc");
    await signal(id, "stop");
    const second = new StreamProbe(open, {
      per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: seen.at(-1)! + 1 },
    });
    expect((await second.waitClosed()).code).toBe(1000);
    const joined = [...seen, ...second.seqs()];
    expect(joined).toEqual(range(1, await head(id)));
    const types = [...first.types(), ...second.types()];
    expect(types.filter((t) => t === "SignalReceived").length).toBe(3);
    expect(types[0]).toBe("WorkflowStarted");
  });

  test("a live tail of a workflow that has ended closes 1000 at once", async () => {
    const id = await start();
    await signal(id, "stop");
    await post(open, "/workflows/describe", { namespace: "default", workflow_id: id });
    while ((await d.engine.describe(id)).status === "Running") await d.engine.result(id);
    const p = new StreamProbe(open, { per_workflow: { namespace: "default", workflow_id: id } });
    expect(await p.waitClosed()).toEqual({ code: 1000, reason: "subscription complete" });
    expect(p.seqs()).toEqual([]);
  });

  test("invalid resume points: an error frame, then close 1011 with the code", async () => {
    const id = await start();
    const h = await head(id);
    for (const resume of [0, h + 2, 1.5, "1", -3]) {
      const p = new StreamProbe(open, {
        per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: resume },
      });
      expect(await p.waitClosed()).toEqual({ code: 1011, reason: "invalid_input" });
      expect(p.frames).toHaveLength(1);
      expect(p.frames[0]).toMatchObject({ error: { code: "invalid_input" } });
    }
    for (const bad of [
      "not json",
      { nothing: 1 },
      { per_workflow: { namespace: "default", workflow_id: "x" } },
    ]) {
      const p = new StreamProbe(open, bad);
      expect(await p.waitClosed()).toEqual({ code: 1011, reason: "invalid_input" });
    }
  });

  test("denial and anti-leak on the stream: namespace_denied, not_found", async () => {
    const foreign = await start("elsewhere");
    const auth = { authorization: `Bearer ${CONF}` };
    const denied = new StreamProbe(
      secured,
      { per_workflow: { namespace: "elsewhere", workflow_id: foreign } },
      auth,
    );
    expect(await denied.waitClosed()).toEqual({ code: 1011, reason: "namespace_denied" });
    const frames: string[] = [];
    for (const id of [foreign, "00000000-0000-4000-8000-000000000000"]) {
      // The token as a query parameter, for clients that cannot set headers.
      const p = new StreamProbe(
        secured,
        { per_workflow: { namespace: "conformance", workflow_id: id, resume_from_seq: 0 } },
        {},
        `?access_token=${CONF}`,
      );
      expect(await p.waitClosed()).toEqual({ code: 1011, reason: "not_found" });
      frames.push(JSON.stringify(p.frames));
    }
    expect(frames[0]).toBe(frames[1]!);
    expect(JSON.parse(frames[0]!)).toEqual([
      { error: { code: "not_found", message: "workflow not found in namespace conformance" } },
    ]);
  });

  test("refused upgrades: no token is 401, a foreign Origin 403", async () => {
    const url = `${secured.url}/events/stream`;
    const noToken = await fetch(url, { headers: { upgrade: "websocket", connection: "upgrade" } });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(`${open.url}/events/stream`, {
      headers: { origin: "http://evil.example", upgrade: "websocket", connection: "upgrade" },
    });
    expect(foreign.status).toBe(403);
    const ops = new StreamProbe(
      secured,
      { firehose: { namespace: "x" } },
      { authorization: `Bearer ${OPS}` },
    );
    await waitAttached(1, secured, { authorization: `Bearer ${OPS}` });
    ops.close();
    await ops.waitClosed();
  });
});

describe("namespace-wide streams", () => {
  test("firehose and filtered tails see only their namespace's new events", async () => {
    const old = await start("wide");
    const fire = new StreamProbe(open, { firehose: { namespace: "wide" } });
    const done = new StreamProbe(open, { filtered: { namespace: "wide", status: "Completed" } });
    const typed = new StreamProbe(open, {
      filtered: { namespace: "wide", workflow_type: "stuck", namespace_selector: "wide" },
    });
    await waitAttached(3);
    await start("other");
    const id = await start("wide");
    await signal(id, "stop", "wide");
    await fire.until(() => fire.types().includes("WorkflowCompleted"));
    await done.until(() => done.frames.length >= 1);
    const fireIds = fire.frames.map(
      (f) => (eventOfFrame(f).data.envelope as unknown as { workflow_id: string }).workflow_id,
    );
    expect(new Set(fireIds)).toEqual(new Set([id]));
    expect(fire.seqs()).toEqual(range(1, await head(id)));
    expect(done.types()).toEqual(["WorkflowCompleted"]);
    expect(typed.frames).toEqual([]);
    expect(old).not.toBe(id);
    for (const p of [fire, done, typed]) {
      expect(p.closed).toBeUndefined();
      p.close();
    }
  });
});

/** Resolves once `server` holds at least `n` stream subscriptions (its metrics say so). */
async function waitAttached(
  n: number,
  server = open,
  headers: Record<string, string> = {},
): Promise<void> {
  const scrape = async (): Promise<number> => {
    const text = await (await fetch(`${server.url}/metrics`, { headers })).text();
    return Number(/^aion_stream_subscribers (\d+)$/m.exec(text)?.[1] ?? 0);
  };
  while ((await scrape()) < n) await Bun.sleep(0);
}

describe("slow consumers", () => {
  test("a consumer the socket cannot keep up with gets lagged, then 1011", async () => {
    const id = await start();
    const frames: string[] = [];
    let closed: [number, string] | undefined;
    const sink: StreamSink = {
      // Every frame is queued behind backpressure and nothing drains.
      send: (text) => {
        frames.push(text);
        return -1;
      },
      bufferedAmount: () => 1 << 30,
      close: (code, reason) => {
        closed = [code, reason];
      },
    };
    const hub = new EventHub(d.engine);
    const feed = new WorkflowFeed(d.engine, hub, sink, "default", id, 1, await head(id), {
      maxBufferedBytes: 1024,
      maxQueuedEvents: 100,
      tailIntervalMs: 0,
    });
    feed.start();
    while (closed === undefined) await Bun.sleep(0);
    expect(closed).toEqual([1011, "lagged"]);
    expect(JSON.parse(frames.at(-1)!)).toMatchObject({ error: { code: "lagged" } });
    expect(hub.subscriberCount).toBe(0);
    hub.close();
  });
});
