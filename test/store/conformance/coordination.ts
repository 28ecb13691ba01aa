/** Conformance: shard leases, fenced appends, the inbox and activity task queues. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  type ActivityTask,
  type EventStore,
  FencedError,
  InvalidArgumentError,
} from "../../../engine/store/index.ts";
import { completed, rejection, type StoreFactory, started } from "../helpers.ts";

const task = (id: string, over: Partial<ActivityTask> = {}): ActivityTask => ({
  taskId: id,
  queue: "default",
  activityType: "greet",
  shard: 1,
  workflowId: "w1",
  activityId: id,
  attempt: 1,
  input: '{"name":"Ada"}',
  config: "{}",
  createdAt: 10,
  ...over,
});

export function coordinationCases(f: StoreFactory): void {
  describe("shard leases and fencing", () => {
    let store: EventStore;
    beforeEach(() => {
      store = f.open();
    });
    afterEach(() => store.close());

    test("a free shard is acquired with token 1; a live lease keeps others out", async () => {
      const a = await store.coordination.acquireLeases({
        owner: "A",
        shards: [0, 1],
        now: 100,
        ttlMs: 50,
      });
      expect(a.map((l) => [l.shard, l.owner, l.token, l.expiresAt])).toEqual([
        [0, "A", 1, 150],
        [1, "A", 1, 150],
      ]);
      expect(
        await store.coordination.acquireLeases({
          owner: "B",
          shards: [0, 1, 2],
          now: 149,
          ttlMs: 50,
        }),
      ).toEqual([{ shard: 2, owner: "B", token: 1, expiresAt: 199, endpoint: null }]);
      // The holder acquiring again keeps its token (an idempotent re-acquisition).
      const again = await store.coordination.acquireLeases({
        owner: "A",
        shards: [0],
        now: 120,
        ttlMs: 50,
      });
      expect(again.map((l) => l.token)).toEqual([1]);
    });

    test("an expired lease goes to the next owner with a higher token", async () => {
      await store.coordination.acquireLeases({
        owner: "A",
        shards: [3],
        now: 0,
        ttlMs: 10,
        endpoint: "http://a",
      });
      const b = await store.coordination.acquireLeases({
        owner: "B",
        shards: [3],
        now: 10,
        ttlMs: 10,
      });
      expect(b).toEqual([{ shard: 3, owner: "B", token: 2, expiresAt: 20, endpoint: null }]);
      // A's renewal finds the token moved on: the lease is lost.
      expect(
        await store.coordination.renewLeases({
          owner: "A",
          leases: [{ shard: 3, token: 1 }],
          now: 11,
          ttlMs: 10,
        }),
      ).toEqual([]);
      expect(
        (await store.coordination.listLeases()).map((l) => [l.shard, l.owner, l.token]),
      ).toEqual([[3, "B", 2]]);
    });

    test("renewal extends; release lets the next owner in at once with a higher token", async () => {
      await store.coordination.acquireLeases({ owner: "A", shards: [5], now: 0, ttlMs: 10 });
      const renewed = await store.coordination.renewLeases({
        owner: "A",
        leases: [{ shard: 5, token: 1 }],
        now: 8,
        ttlMs: 10,
      });
      expect(renewed.map((l) => l.expiresAt)).toEqual([18]);
      expect(
        await store.coordination.acquireLeases({ owner: "B", shards: [5], now: 15, ttlMs: 10 }),
      ).toEqual([]);
      await store.coordination.releaseLeases("A", [{ shard: 5, token: 1 }]);
      const b = await store.coordination.acquireLeases({
        owner: "B",
        shards: [5],
        now: 15,
        ttlMs: 10,
      });
      expect(b.map((l) => [l.owner, l.token])).toEqual([["B", 2]]);
      // A stale release changes nothing.
      await store.coordination.releaseLeases("A", [{ shard: 5, token: 1 }]);
      expect((await store.coordination.listLeases())[0]!.expiresAt).toBe(25);
    });

    test("force takes a live lease and bumps the token", async () => {
      await store.coordination.acquireLeases({ owner: "A", shards: [0], now: 0, ttlMs: 1_000 });
      const b = await store.coordination.acquireLeases({
        owner: "B",
        shards: [0],
        now: 1,
        ttlMs: 1_000,
        force: true,
      });
      expect(b.map((l) => [l.owner, l.token])).toEqual([["B", 2]]);
    });

    test("an append with a stale token is refused whole; the current token appends", async () => {
      await store.coordination.acquireLeases({ owner: "A", shards: [2], now: 0, ttlMs: 10 });
      await store.append("w1", [started()], 0, { fence: { shard: 2, token: 1 } });
      await store.coordination.acquireLeases({ owner: "B", shards: [2], now: 10, ttlMs: 10 });
      const error = await rejection(
        store.append("w1", [completed()], 1, {
          fence: { shard: 2, token: 1 },
          timers: [{ timerId: "t", fireAt: 5 }],
        }),
      );
      expect(error).toBeInstanceOf(FencedError);
      expect(error).toMatchObject({ code: "fenced", shard: 2, token: 1, currentToken: 2 });
      expect((await store.readHistory("w1")).length).toBe(1);
      expect(await store.expiredTimers(100)).toEqual([]);
      expect((await store.describe("w1"))?.status).toBe("Running");
      await store.append("w1", [completed()], 1, { fence: { shard: 2, token: 2 } });
      expect((await store.describe("w1"))?.status).toBe("Completed");
    });

    test("a fence on a shard that never had a lease is refused; an unfenced append is not checked", async () => {
      const error = await rejection(
        store.append("w1", [started()], 0, { fence: { shard: 9, token: 1 } }),
      );
      expect(error).toMatchObject({ code: "fenced", currentToken: 0 });
      await store.append("w1", [started()], 0);
      expect((await store.readHistory("w1")).length).toBe(1);
    });

    test("bad lease arguments are refused by name", async () => {
      for (const [bad, argument] of [
        [{ owner: "A", shards: [-1], now: 0, ttlMs: 1 }, "request.shards[0]"],
        [{ owner: "", shards: [0], now: 0, ttlMs: 1 }, "request.owner"],
        [{ owner: "A", shards: [0], now: 0, ttlMs: 0 }, "request.ttlMs"],
      ] as const) {
        const error = await rejection(store.coordination.acquireLeases(bad));
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect(error).toMatchObject({ argument });
      }
      const error = await rejection(
        store.append("w1", [started()], 0, { fence: { shard: 0, token: 0 } }),
      );
      expect(error).toMatchObject({ argument: "options.fence.token" });
    });
  });

  describe("inbox", () => {
    let store: EventStore;
    beforeEach(() => {
      store = f.open();
    });
    afterEach(() => store.close());

    const entry = (id: string, shard: number, createdAt: number) => ({
      entryId: id,
      shard,
      workflowId: `w-${id}`,
      kind: "signal" as const,
      body: '{"name":"go"}',
      createdAt,
    });

    test("entries are idempotent, pending by shard in creation order, answered once", async () => {
      expect(await store.coordination.inboxPut(entry("b", 1, 20))).toBe(true);
      expect(await store.coordination.inboxPut(entry("a", 1, 20))).toBe(true);
      expect(await store.coordination.inboxPut(entry("c", 2, 5))).toBe(true);
      expect(await store.coordination.inboxPut({ ...entry("a", 1, 99), body: "other" })).toBe(
        false,
      );
      expect((await store.coordination.inboxPending([1], 10)).map((e) => e.entryId)).toEqual([
        "a",
        "b",
      ]);
      expect((await store.coordination.inboxPending([1, 2], 2)).map((e) => e.entryId)).toEqual([
        "c",
        "a",
      ]);
      expect(await store.coordination.inboxPending([], 10)).toEqual([]);
      expect(await store.coordination.inboxReply("a", '{"ok":true}')).toBe(true);
      expect(await store.coordination.inboxReply("a", '{"ok":false}')).toBe(false);
      expect(await store.coordination.inboxReply("ghost", "{}")).toBe(false);
      expect(await store.coordination.inboxGet("a")).toEqual({
        ...entry("a", 1, 20),
        reply: '{"ok":true}',
      });
      expect((await store.coordination.inboxPending([1], 10)).map((e) => e.entryId)).toEqual(["b"]);
      expect(await store.coordination.inboxDelete("a")).toBe(true);
      expect(await store.coordination.inboxDelete("a")).toBe(false);
      expect(await store.coordination.inboxGet("a")).toBeUndefined();
    });

    test("a bad kind is refused by name", async () => {
      const error = await rejection(
        store.coordination.inboxPut({ ...entry("x", 1, 1), kind: "explode" as "signal" }),
      );
      expect(error).toMatchObject({ code: "invalid-argument", argument: "entry.kind" });
    });
  });

  describe("activity task queues", () => {
    let store: EventStore;
    beforeEach(() => {
      store = f.open();
    });
    afterEach(() => store.close());

    test("a task waits until a worker of its type claims it; idempotent enqueue", async () => {
      expect(await store.coordination.taskEnqueue(task("t1"))).toBe(true);
      expect(await store.coordination.taskEnqueue(task("t1", { input: "changed" }))).toBe(false);
      expect(
        await store.coordination.taskEnqueue(task("t2", { activityType: "charge", createdAt: 5 })),
      ).toBe(true);
      const none = await store.coordination.taskClaim({
        worker: "W",
        activityTypes: ["other"],
        now: 0,
        claimMs: 10,
        limit: 5,
      });
      expect(none).toEqual([]);
      const got = await store.coordination.taskClaim({
        worker: "W",
        activityTypes: ["greet", "charge"],
        now: 0,
        claimMs: 10,
        limit: 5,
      });
      expect(got.map((t) => [t.taskId, t.claimedBy, t.claimExpiresAt, t.claims])).toEqual([
        ["t2", "W", 10, 1],
        ["t1", "W", 10, 1],
      ]);
      // Claimed: nobody else gets it while the claim lives.
      expect(
        await store.coordination.taskClaim({
          worker: "V",
          activityTypes: ["greet"],
          now: 9,
          claimMs: 10,
          limit: 5,
        }),
      ).toEqual([]);
    });

    test("a lapsed claim re-dispatches; the old worker's heartbeat and completion are refused", async () => {
      await store.coordination.taskEnqueue(task("t1"));
      await store.coordination.taskClaim({
        worker: "W",
        activityTypes: ["greet"],
        now: 0,
        claimMs: 10,
        limit: 1,
      });
      expect(await store.coordination.taskHeartbeat("t1", "W", 5, 10)).toBe(true);
      expect(
        await store.coordination.taskClaim({
          worker: "V",
          activityTypes: ["greet"],
          now: 14,
          claimMs: 10,
          limit: 1,
        }),
      ).toEqual([]);
      const again = await store.coordination.taskClaim({
        worker: "V",
        activityTypes: ["greet"],
        now: 15,
        claimMs: 10,
        limit: 1,
      });
      expect(again.map((t) => [t.claimedBy, t.claims])).toEqual([["V", 2]]);
      expect(await store.coordination.taskHeartbeat("t1", "W", 16, 10)).toBe(false);
      expect(await store.coordination.taskComplete("t1", "W", '{"ok":true,"text":"1"}')).toBe(
        false,
      );
      expect(await store.coordination.taskComplete("t1", "V", '{"ok":true,"text":"2"}')).toBe(true);
      expect(await store.coordination.taskComplete("t1", "V", '{"ok":true,"text":"3"}')).toBe(
        false,
      );
      expect((await store.coordination.taskGet("t1"))?.result).toBe('{"ok":true,"text":"2"}');
      // Finished: no longer claimable, listed for its shard's owner.
      expect(
        await store.coordination.taskClaim({
          worker: "X",
          activityTypes: ["greet"],
          now: 99,
          claimMs: 10,
          limit: 1,
        }),
      ).toEqual([]);
      expect((await store.coordination.taskResults([1], 10)).map((t) => t.taskId)).toEqual(["t1"]);
      expect(await store.coordination.taskResults([2], 10)).toEqual([]);
      expect(await store.coordination.taskDelete("t1")).toBe(true);
      expect(await store.coordination.taskGet("t1")).toBeUndefined();
    });

    test("queues filter claims; an unclaimed-only delete spares a claimed task", async () => {
      await store.coordination.taskEnqueue(task("t1", { queue: "gpu" }));
      await store.coordination.taskEnqueue(task("t2"));
      const got = await store.coordination.taskClaim({
        worker: "W",
        activityTypes: ["greet"],
        queues: ["gpu"],
        now: 0,
        claimMs: 10,
        limit: 5,
      });
      expect(got.map((t) => t.taskId)).toEqual(["t1"]);
      expect(await store.coordination.taskDelete("t1", true)).toBe(false);
      expect(await store.coordination.taskDelete("t2", true)).toBe(true);
    });
  });
}

export function memberCases(f: StoreFactory): void {
  describe("members", () => {
    let store: EventStore;
    beforeEach(() => {
      store = f.open();
    });
    afterEach(() => store.close());

    test("announced members are listed until they expire or leave", async () => {
      await store.coordination.announceMember({
        owner: "B",
        expiresAt: 20,
        endpoint: null,
        activityTypes: [],
      });
      await store.coordination.announceMember({
        owner: "A",
        expiresAt: 10,
        endpoint: "http://a",
        activityTypes: ["greet"],
      });
      expect(await store.coordination.listMembers(5)).toEqual([
        { owner: "A", expiresAt: 10, endpoint: "http://a", activityTypes: ["greet"] },
        { owner: "B", expiresAt: 20, endpoint: null, activityTypes: [] },
      ]);
      expect((await store.coordination.listMembers(10)).map((m) => m.owner)).toEqual(["B"]);
      await store.coordination.announceMember({
        owner: "A",
        expiresAt: 30,
        endpoint: null,
        activityTypes: [],
      });
      expect((await store.coordination.listMembers(10)).map((m) => m.owner)).toEqual(["A", "B"]);
      await store.coordination.removeMember("B");
      expect((await store.coordination.listMembers(0)).map((m) => m.owner)).toEqual(["A"]);
    });
  });
}
