/**
 * Following a workflow by long-polling its history (`historyAfter`, and
 * `GET /v1/workflows/:id/history?after=&wait=`): the fallback for ids the
 * event stream cannot carry. A poll answers at once when events exist,
 * otherwise wakes on this engine's append, finds other processes' appends
 * by re-reading, returns nothing at once for an ended workflow, and stops
 * when the client goes away.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { DeployedEngine } from "../../engine/deploy/index.ts";
import type { EventEnvelope } from "../../engine/events/index.ts";
import { historyAfter, type PollSource } from "../../engine/http/history-poll.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { type EventStore, MemoryStore } from "../../engine/store/index.ts";
import { completed, started } from "../store/helpers.ts";
import { openTestEngine, serve } from "./callers-setup.ts";

/** Real servers and fetch round trips; the bound only stops a hang. */
setDefaultTimeout(60_000);

/** A wait long enough that only a wake-up, never the deadline, can end it within a test. */
const FOREVER = 3_600_000;

type Listener = (workflowId: string, envelopes: readonly EventEnvelope[]) => void;

/** A store whose empty history reads are announced, and an `onAppended` the test fires by hand. */
function pollSource(store: EventStore): PollSource & {
  readonly listeners: Listener[];
  emptyRead(): Promise<void>;
} {
  const listeners: Listener[] = [];
  let announce: () => void = () => {};
  let empty = new Promise<void>((r) => {
    announce = r;
  });
  const watched = new Proxy(store, {
    get(target, key) {
      if (key !== "readHistoryFrom") {
        // Bound to the store itself: its methods use private fields.
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (id: string, from: number) => {
        const events = await target.readHistoryFrom(id, from);
        if (events.length === 0) announce();
        return events;
      };
    },
  });
  return {
    store: watched,
    listeners,
    onAppended(listener: Listener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    emptyRead: async () => {
      await empty;
      empty = new Promise<void>((r) => {
        announce = r;
      });
    },
  };
}

describe("historyAfter", () => {
  test("events already there are answered at once", async () => {
    const store = new MemoryStore();
    await store.append("order-1", [started()], 0);
    const src = pollSource(store);
    expect((await historyAfter(src, "order-1", 0, FOREVER)).map((e) => e.seq)).toEqual([1]);
    expect(src.listeners).toHaveLength(0);
  });

  test("with nothing new it waits, and this engine's append wakes it", async () => {
    const store = new MemoryStore();
    await store.append("order-1", [started()], 0);
    const src = pollSource(store);
    // Re-reads far apart: only the append notification can end this wait.
    const poll = historyAfter(src, "order-1", 1, FOREVER, undefined, FOREVER);
    await src.emptyRead();
    const { envelopes } = await store.append("order-1", [completed()], 1);
    for (const l of [...src.listeners]) l("other-workflow", []);
    for (const l of [...src.listeners]) l("order-1", envelopes);
    const events = await poll;
    expect(events.map((e) => [e.seq, e.event.kind])).toEqual([[2, "WorkflowCompleted"]]);
    expect(src.listeners).toHaveLength(0);
  });

  test("an append by another process (no notification) is found by re-reading", async () => {
    const store = new MemoryStore();
    await store.append("order-1", [started()], 0);
    const src = pollSource(store);
    const poll = historyAfter(src, "order-1", 1, FOREVER, undefined, 1);
    await src.emptyRead();
    await store.append("order-1", [completed()], 1);
    expect((await poll).map((e) => e.seq)).toEqual([2]);
  });

  test("an ended workflow, or one whose client left, answers with nothing at once", async () => {
    const store = new MemoryStore();
    await store.append("done", [started(), completed()], 0);
    const src = pollSource(store);
    expect(await historyAfter(src, "done", 2, FOREVER, undefined, FOREVER)).toEqual([]);
    await store.append("open", [started()], 0);
    const client = new AbortController();
    const poll = historyAfter(src, "open", 1, FOREVER, client.signal, FOREVER);
    await src.emptyRead();
    client.abort();
    expect(await poll).toEqual([]);
    expect(src.listeners).toHaveLength(0);
  });

  test("a zero wait answers at once", async () => {
    const store = new MemoryStore();
    await store.append("open", [started()], 0);
    expect(await historyAfter(pollSource(store), "open", 1, 0)).toEqual([]);
  });
});

describe("GET /v1/workflows/:id/history?after=&wait=", () => {
  let d: DeployedEngine;
  let server: ApiServer;
  const get = async (path: string): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(server.url + path);
    return { status: res.status, json: await res.json() };
  };
  const seqs = (r: { json: unknown }): number[] =>
    (r.json as { events: { seq: number }[] }).events.map((e) => e.seq);

  beforeAll(async () => {
    d = await openTestEngine();
    server = serve(d);
    await d.engine.start("counter", null, { workflowId: "order 7/b" });
  });
  afterAll(async () => {
    await server.stop();
    await d.engine.shutdown();
  });

  const path = (query = "") => `/v1/workflows/${encodeURIComponent("order 7/b")}/history${query}`;

  test("without `after` the whole history, as before; with it, only what follows", async () => {
    const all = await get(path());
    expect(all.status).toBe(200);
    const head = Math.max(...seqs(all));
    expect(seqs(all)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(seqs(await get(path("?after=0")))).toEqual(seqs(all));
    expect(seqs(await get(path(`?after=${head - 1}`)))).toEqual([head]);
    expect(seqs(await get(path(`?after=${head}`)))).toEqual([]);
  });

  test("a waiting poll answers with the next event; after the end it answers at once", async () => {
    const before = seqs(await get(path()));
    const head = before[before.length - 1]!;
    const poll = get(path(`?after=${head}&wait=60000`));
    await d.engine.signal("order 7/b", "cmd", "inc");
    const woke = await poll;
    expect(woke.status).toBe(200);
    expect(seqs(woke)[0]).toBe(head + 1);
    const kinds = (woke.json as { events: { kind: string }[] }).events.map((e) => e.kind);
    expect(kinds).toContain("SignalReceived");

    await d.engine.signal("order 7/b", "cmd", "stop");
    await d.engine.result("order 7/b");
    const final = Math.max(...seqs(await get(path())));
    // A 60 s wait on an ended workflow would outlast this test's own timeout.
    expect(await get(path(`?after=${final}&wait=60000`))).toEqual({
      status: 200,
      json: { events: [] },
    });
  });

  test("bad `after` or `wait` is a 400 naming it", async () => {
    for (const [q, name] of [
      ["?after=-1", "'after'"],
      ["?after=x", "'after'"],
      ["?after=1&wait=soon", "'wait'"],
    ] as const) {
      const r = await get(path(q));
      expect(r.status).toBe(400);
      expect((r.json as { error: { message: string } }).error.message).toContain(name);
    }
  });
});
