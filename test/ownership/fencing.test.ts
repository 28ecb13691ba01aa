/**
 * Ownership in one process: two engines on one database, as two engine
 * processes would be. Leases are driven by manual clocks (one per engine, so
 * one can be frozen while the other's time runs on); workflows run on real
 * time. Waits are on the condition itself (test/wait.ts), never on a sleep.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../engine/index.ts";
import { shardOf } from "../../engine/ownership/shards.ts";
import { type EventStore, MemoryStore, SqliteStore } from "../../engine/store/index.ts";
import { ManualClock } from "../../vm/index.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "../engine/helpers.ts";
import { waitUntil } from "../wait.ts";

// Real timers and SQLite commits on a loaded machine; the bound only stops a hang.
setDefaultTimeout(60_000);

const engines: Engine[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SHARDS = 4;
const LEASE = 1_000;

async function open(
  store: EventStore,
  ownership: Parameters<typeof Engine.open>[0] extends infer O
    ? O extends { ownership?: infer X }
      ? X
      : never
    : never,
): Promise<Engine> {
  const engine = await Engine.open({
    store,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
    ownership,
  });
  engines.push(engine);
  return engine;
}

/** Ids that fall into each shard, `perShard` of each. */
function idsByShard(perShard: number): string[][] {
  const out: string[][] = Array.from({ length: SHARDS }, () => []);
  for (let i = 0; out.some((l) => l.length < perShard); i++) {
    const id = `wf-${i}`;
    const l = out[shardOf(id, SHARDS)]!;
    if (l.length < perShard) l.push(id);
  }
  return out;
}

/** Advances a lease clock one poll at a time until `ready` holds. */
async function pump(clock: ManualClock, what: string, ready: () => boolean | Promise<boolean>) {
  await waitUntil(what, async () => {
    if (await ready()) return true;
    clock.advance(50);
    return false;
  });
}

describe("fencing", () => {
  test("a second engine on the same file fences the first out: it stops its runs, no zombie", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aion-own-"));
    dirs.push(dir);
    const db = join(dir, "a.db");
    const a = await open(new SqliteStore(db), { shardCount: SHARDS });
    await a.start("sum", null, { workflowId: "s" });
    await a.signal("s", "add", 2);
    expect(a.residentIds()).toEqual(["s"]);
    // The second process takes every shard by force (the embedded default).
    const b = await open(new SqliteStore(db), { shardCount: SHARDS });
    expect(b.residentIds()).toEqual(["s"]);
    // The first still believes it owns the shard: its append is refused, its run stops.
    await a.signal("s", "add", 3);
    expect(a.residentIds()).toEqual([]);
    expect(a.ownership.shards).not.toContain(shardOf("s", SHARDS));
    // The signal went to the owner through the inbox, and exactly once.
    const received = (await b.history("s")).filter((e) => e.event.kind === "SignalReceived");
    expect(received.map((e) => e.event.kind === "SignalReceived" && e.event.signalName)).toEqual([
      "add",
      "add",
    ]);
    await b.signal("s", "add", 0);
    await b.signal("s", "done", null);
    expect(await b.result("s")).toMatchObject({ status: "Completed", result: 5 });
    // Nothing of the first engine ever landed after the takeover.
    const seqs = (await b.history("s")).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  test("an append carrying a stale token never reaches the history", async () => {
    const store = new MemoryStore();
    const clockA = new ManualClock(1_000_000);
    const a = await open(store, {
      mode: "shared",
      ownerId: "A",
      shardCount: SHARDS,
      leaseMs: LEASE,
      pollMs: 50,
      clock: clockA,
    });
    expect(a.ownership.shards).toEqual([0, 1, 2, 3]);
    await a.start("charge", { amount: 1 }, { workflowId: "c" });
    await a.result("c");
    // Another process takes the shard by force: the first's next append is fenced out.
    const shard = shardOf("s2", SHARDS);
    await a.start("sum", null, { workflowId: "s2" });
    await store.coordination.acquireLeases({
      owner: "X",
      shards: [shard],
      now: clockA.wallNow(),
      ttlMs: 3_600_000,
      force: true,
    });
    const head = (await store.describe("s2"))!.headSeq;
    // Refused by the fence; then left in the inbox for X, which never answers.
    const signalling = a.signal("s2", "add", 1);
    signalling.catch(() => {});
    await pump(
      clockA,
      "the forwarded signal to time out",
      () => Bun.peek.status(signalling) !== "pending",
    );
    await expect(signalling).rejects.toMatchObject({ code: "owner-unavailable" });
    expect((await store.describe("s2"))!.headSeq).toBe(head);
    expect((await store.coordination.inboxPending([shard], 10)).map((e) => e.kind)).toEqual([
      "signal",
    ]);
    expect(a.residentIds()).not.toContain("s2");
  }, 60_000);
});

describe("shared ownership", () => {
  test("two engines split the shards; calls reach the owner through the inbox", async () => {
    const store = new MemoryStore();
    const clock = new ManualClock(1_000_000);
    const common = {
      mode: "shared" as const,
      shardCount: SHARDS,
      leaseMs: LEASE,
      pollMs: 50,
      clock,
    };
    const a = await open(store, { ...common, ownerId: "A" });
    const ids = idsByShard(1).map((l) => l[0]!);
    for (const id of ids) await a.start("sum", null, { workflowId: id });
    const b = await open(store, { ...common, ownerId: "B" });
    expect(b.ownership.shards).toEqual([]);
    // A sees B at its next lease round, gives back its excess; B takes it and recovers it.
    await pump(
      clock,
      "the shards to split two and two",
      () => a.ownership.shards.length === 2 && b.ownership.shards.length === 2,
    );
    const onB = ids.filter((id) => b.ownership.shards.includes(shardOf(id, SHARDS)));
    await pump(clock, "B to recover its workflows", () => b.residentIds().length === 2);
    expect([...b.residentIds()].sort()).toEqual(onB.sort());
    expect([...a.residentIds()].sort()).toEqual(ids.filter((id) => !onB.includes(id)).sort());
    // Calls made on the process that does not own the workflow are carried out by its owner.
    for (const id of ids) {
      const caller = onB.includes(id) ? a : b;
      const signalling = (async () => {
        await caller.signal(id, "add", 4, { signalId: `four-${id}` });
        await caller.signal(id, "add", 4, { signalId: `four-${id}` });
        await caller.signal(id, "add", 0);
        await caller.signal(id, "done", null);
      })();
      await pump(clock, `the signals to ${id}`, () => Bun.peek.status(signalling) !== "pending");
      await signalling;
    }
    for (const id of ids) {
      const outcome = a.result(id);
      await pump(clock, `the result of ${id}`, () => Bun.peek.status(outcome) !== "pending");
      expect(await outcome).toMatchObject({ status: "Completed", result: 4 });
    }
  });

  test("a frozen owner's shards move to the live one after the lease time, and resume by replay", async () => {
    const store = new MemoryStore();
    const clockA = new ManualClock(1_000_000);
    const clockB = new ManualClock(1_000_000);
    const common = { mode: "shared" as const, shardCount: SHARDS, leaseMs: LEASE, pollMs: 50 };
    const a = await open(store, { ...common, ownerId: "A", clock: clockA });
    const ids = idsByShard(1).map((l) => l[0]!);
    for (const id of ids) await a.start("sum", null, { workflowId: id });
    for (const id of ids) await a.signal(id, "add", 1);
    // A stops renewing (its clock stands still, as a hung or killed process's would).
    const b = await open(store, { ...common, ownerId: "B", clock: clockB });
    await pump(
      clockB,
      "B to take over all four shards",
      () => b.ownership.shards.length === SHARDS,
    );
    expect(clockB.now()).toBeGreaterThanOrEqual(LEASE);
    await pump(clockB, "B to resume every workflow", () => b.residentIds().length === ids.length);
    // A wakes up: its first append is refused, it stops the run, the call goes to B.
    const late = a.signal(ids[0]!, "add", 100);
    // (A's clock runs again too: it waits for B's reply on it.)
    await pump(clockB, "A's late signal to reach B", () => {
      clockA.advance(50);
      return Bun.peek.status(late) !== "pending";
    });
    await late;
    expect(a.residentIds()).not.toContain(ids[0]);
    expect(a.ownership.shards).not.toContain(shardOf(ids[0]!, SHARDS));
    for (const id of ids) {
      await b.signal(id, "add", 0);
      await b.signal(id, "done", null);
      expect(await b.result(id)).toMatchObject({
        status: "Completed",
        result: id === ids[0] ? 101 : 1,
      });
    }
    // Histories are intact: one start, one end, dense seqs.
    for (const id of ids) {
      const kinds = (await store.readHistory(id)).map((e) => e.event.kind);
      expect(kinds.filter((k) => k === "WorkflowStarted")).toHaveLength(1);
      expect(kinds.filter((k) => k === "WorkflowCompleted")).toHaveLength(1);
    }
  });
});

describe("forwarded queries", () => {
  test("a query on another process's workflow is answered by its owner, errors included", async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const owner = await open(store, {
      mode: "shared",
      ownerId: "O",
      shardCount: SHARDS,
      pollMs: 50,
      clock,
    });
    const id = await owner.start("counter", null, { workflowId: "counted" });
    const caller = await open(store, {
      mode: "client",
      ownerId: "C",
      shardCount: SHARDS,
      pollMs: 50,
      clock,
    });
    // The owner (alone, so every shard) drains its inbox on its poll.
    const ask = (name: string, payload: unknown = null) => {
      const q = caller.query(id, name, payload, { timeoutMs: 2_000 });
      q.catch(() => {});
      return q;
    };
    const settle = async <T>(p: Promise<T>) => {
      await pump(clock, `the query on ${id}`, () => Bun.peek.status(p) !== "pending");
      return p;
    };
    expect(await settle(ask("echo", { a: 1 }))).toEqual({ a: 1 });
    await expect(settle(ask("missing"))).rejects.toMatchObject({ code: "unknown-query" });
    await expect(settle(ask("boom"))).rejects.toMatchObject({ code: "query-failed" });
  });

  test("a query nobody answers is 'not resident anywhere' after its timeout", async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const caller = await open(store, {
      mode: "client",
      ownerId: "C",
      shardCount: SHARDS,
      pollMs: 50,
      clock,
    });
    await caller.start("counter", null, { workflowId: "lonely" });
    // An owner that holds the shard but never drains its inbox (a hung process).
    await store.coordination.acquireLeases({
      owner: "hung",
      shards: [shardOf("lonely", SHARDS)],
      now: clock.wallNow(),
      ttlMs: 3_600_000,
    });
    const q = caller.query("lonely", "echo", 1, { timeoutMs: 500 });
    q.catch(() => {});
    await pump(clock, "the query to time out", () => Bun.peek.status(q) !== "pending");
    await expect(q).rejects.toMatchObject({ code: "not-resident" });
    // The unanswered entry was withdrawn: nothing is left for a late owner to run.
    expect(await store.coordination.inboxPending([shardOf("lonely", SHARDS)], 10)).toEqual([]);
  });
});

describe("client mode", () => {
  test("with no live owner a call runs under a borrowed lease, released right after", async () => {
    const store = new MemoryStore();
    const c = await open(store, { mode: "client", ownerId: "C", shardCount: SHARDS });
    expect(c.ownership.shards).toEqual([]);
    await c.start("sum", null, { workflowId: "s" });
    expect(c.residentIds()).toEqual([]);
    const lease = (await store.coordination.listLeases()).find(
      (l) => l.shard === shardOf("s", SHARDS),
    )!;
    expect(lease).toMatchObject({ owner: "C", token: 1, expiresAt: 0 });
    // A worker that joins later takes the shard (token 2) and runs the workflow.
    const w = await open(store, { mode: "shared", ownerId: "W", shardCount: SHARDS, pollMs: 50 });
    expect(w.residentIds()).toEqual(["s"]);
    expect(
      (await store.coordination.listLeases()).find((l) => l.shard === shardOf("s", SHARDS))!.token,
    ).toBe(2);
    await c.signal("s", "add", 0);
    await c.signal("s", "done", null);
    expect(await c.result("s")).toMatchObject({ status: "Completed", result: 0 });
  });
});
