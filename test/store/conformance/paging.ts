/**
 * Conformance: keyset paging of visibility queries (`order`, `after`),
 * offset paging (`offset`), and the grouped counts (`countByStatus`,
 * `countByStatusAndType`). Every store must page through the same matches in
 * the same order, and count exactly what `query` returns.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  WORKFLOW_STATUSES,
  type WorkflowEvent,
  type WorkflowStatus,
} from "../../../engine/events/index.ts";
import {
  type EventStore,
  InvalidArgumentError,
  type QueryCursor,
  type StatusTypeCount,
  type WorkflowFilter,
  type WorkflowSummary,
} from "../../../engine/store/index.ts";
import {
  attrs,
  cancelled,
  completed,
  continued,
  failed,
  manualClock,
  prng,
  rejection,
  type StoreFactory,
  started,
  timedOut,
} from "../helpers.ts";

const ids = (xs: readonly { workflowId: string }[]): string[] => xs.map((x) => x.workflowId);

/** Every match of `filter`, one page of `size` at a time, each page after the last row of the previous. */
async function walk(store: EventStore, filter: WorkflowFilter, size: number): Promise<string[]> {
  const seen: string[] = [];
  let after: QueryCursor | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page: readonly WorkflowSummary[] = await store.query({
      ...filter,
      limit: size,
      ...(after ? { after } : {}),
    });
    if (page.length === 0) return seen;
    expect(page.length).toBeLessThanOrEqual(size);
    seen.push(...ids(page));
    const last = page[page.length - 1]!;
    after = { startTime: last.startTime, workflowId: last.workflowId };
  }
  throw new Error("paging did not end");
}

/** What each workflow of the fixture ends with (undefined: still running). */
const ENDINGS: readonly (WorkflowEvent | undefined)[] = [
  undefined,
  completed(),
  failed(),
  cancelled(),
  timedOut(),
  continued("r"),
];

const TYPES = ["t1", "t2", "T2"] as const;

/** Code-unit order, the order the contract sorts types in. */
const byUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The (status, type) groups of `summaries`, as `countByStatusAndType` must list them. */
function groupsOf(summaries: readonly WorkflowSummary[]): StatusTypeCount[] {
  const groups = new Map<string, { status: WorkflowStatus; workflowType: string; count: number }>();
  for (const s of summaries) {
    const key = JSON.stringify([s.status, s.workflowType]);
    const g = groups.get(key);
    if (g === undefined)
      groups.set(key, { status: s.status, workflowType: s.workflowType, count: 1 });
    else g.count++;
  }
  return [...groups.values()].sort(
    (a, b) => byUnits(a.status, b.status) || byUnits(a.workflowType, b.workflowType),
  );
}

export function pagingCases(f: StoreFactory): void {
  describe("keyset paging and counts per status", () => {
    let store: EventStore;
    const clock = manualClock();

    beforeEach(async () => {
      store = f.open({ now: clock.now });
      // 36 workflows: few distinct start times (many ties broken by id), ids
      // whose order differs from start order, two namespaces, three types
      // (two differing only in case, which a case-folding collation would
      // merge or interleave), and every status.
      const random = prng(18);
      for (let i = 0; i < 36; i++) {
        const id = `${"kqzabm"[i % 6]}${String.fromCharCode(97 + Math.floor(random() * 26))}-${i}`;
        clock.set(100 * (1 + Math.floor(random() * 4)));
        await store.append(id, [started("r", { type: TYPES[i % 3]! }), attrs({ tier: i % 3 })], 0, {
          namespace: i % 4 === 0 ? "b" : "a",
        });
        const ending = ENDINGS[Math.floor(random() * ENDINGS.length)];
        clock.advance(50);
        if (ending !== undefined) await store.append(id, [ending], 2);
      }
    });
    afterEach(() => store.close());

    const FILTERS: readonly WorkflowFilter[] = [
      {},
      { namespace: "a" },
      { status: "Running" },
      { namespace: "a", status: ["Completed", "Failed"] },
      { workflowType: "t1", searchAttributes: { tier: 0 } },
      { startTime: { from: 200, to: 400 } },
    ];

    test("pages walked with `after` return every match once, in order, both ways", async () => {
      for (const filter of FILTERS) {
        const asc = ids(await store.query(filter));
        const desc = ids(await store.query({ ...filter, order: "desc" }));
        expect(desc).toEqual([...asc].reverse());
        expect(ids(await store.query({ ...filter, order: "asc" }))).toEqual(asc);
        for (const size of [3, 7]) {
          expect(await walk(store, filter, size)).toEqual(asc);
          expect(await walk(store, { ...filter, order: "desc" }, size)).toEqual(desc);
        }
      }
      // The fixture really has ties and many pages.
      expect((await store.query({})).length).toBe(36);
      const starts = new Set((await store.query({})).map((s) => s.startTime));
      expect(starts.size).toBeLessThan(5);
    });

    test("a cursor need not name a stored workflow; ties break by id", async () => {
      const all = await store.query({});
      const mid = all[17]!;
      const tieBreak = all.filter((s) => s.startTime === mid.startTime);
      expect(tieBreak.length).toBeGreaterThan(1);
      // Just before `mid` in id order, at the same start time (no such id is stored).
      const before = { startTime: mid.startTime, workflowId: mid.workflowId.slice(0, -1) };
      expect(all.some((s) => s.workflowId === before.workflowId)).toBe(false);
      const i = all.findIndex(
        (s) =>
          s.startTime > before.startTime ||
          (s.startTime === before.startTime && s.workflowId > before.workflowId),
      );
      expect(all[i]!.startTime).toBe(mid.startTime);
      expect(ids(await store.query({ after: before, limit: 2 }))).toEqual(ids(all.slice(i, i + 2)));
      // Between two start times: everything later, nothing of the earlier time.
      const gap = { startTime: 250, workflowId: "~" };
      expect(ids(await store.query({ after: gap }))).toEqual(
        ids(all.filter((s) => s.startTime > 250)),
      );
      expect(ids(await store.query({ after: gap, order: "desc" }))).toEqual(
        ids(all.filter((s) => s.startTime <= 250)).reverse(),
      );
      // Past either end: nothing.
      const last = all[all.length - 1]!;
      expect(await store.query({ after: last })).toEqual([]);
      expect(await store.query({ after: all[0]!, order: "desc" })).toEqual([]);
    });

    test("countByStatus counts what query returns, per status, ignoring paging", async () => {
      for (const filter of FILTERS) {
        const expected = Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])) as Record<
          WorkflowStatus,
          number
        >;
        for (const s of await store.query(filter)) expected[s.status]++;
        expect(await store.countByStatus(filter)).toEqual(expected);
        const paging: WorkflowFilter = {
          ...filter,
          limit: 1,
          order: "desc",
          after: { startTime: 0, workflowId: "a" },
        };
        expect(await store.countByStatus(paging)).toEqual(expected);
      }
      const counts = await store.countByStatus({});
      expect(Object.keys(counts).sort()).toEqual([...WORKFLOW_STATUSES].sort());
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(36);
      // The fixture has more than one status, so a wrong grouping would show.
      expect(Object.values(counts).filter((n) => n > 0).length).toBeGreaterThan(3);
    });

    test("countByStatusAndType counts what query returns, per status and type, ignoring paging", async () => {
      for (const filter of FILTERS) {
        const expected = groupsOf(await store.query(filter));
        expect(await store.countByStatusAndType(filter)).toEqual(expected);
        const paging: WorkflowFilter = {
          ...filter,
          limit: 1,
          offset: 3,
          order: "desc",
          after: { startTime: 0, workflowId: "a" },
        };
        expect(await store.countByStatusAndType(paging)).toEqual(expected);
        // It agrees with the per-status count it refines.
        const perStatus = await store.countByStatus(filter);
        for (const status of WORKFLOW_STATUSES) {
          const sum = expected.filter((g) => g.status === status).reduce((n, g) => n + g.count, 0);
          expect({ status, n: sum }).toEqual({ status, n: perStatus[status] });
        }
      }
      const all = await store.countByStatusAndType({});
      expect(all.reduce((n, g) => n + g.count, 0)).toBe(36);
      // Every type is its own group, "T2" apart from "t2", and sorted by code units.
      expect(new Set(all.map((g) => g.workflowType))).toEqual(new Set(TYPES));
      expect(all.length).toBeGreaterThan(TYPES.length * 3);
      const running = all.filter((g) => g.status === "Running").map((g) => g.workflowType);
      expect(running).toEqual([...running].sort(byUnits));
      for (const g of all) expect(g.count).toBeGreaterThan(0);
    });

    test("countByStatusAndType of nothing is an empty list", async () => {
      expect(await store.countByStatusAndType({ namespace: "nobody" })).toEqual([]);
      expect(await store.countByStatusAndType({ workflowType: "t1", status: "Running" })).toEqual(
        groupsOf(await store.query({ workflowType: "t1", status: "Running" })),
      );
      const fresh = f.open();
      try {
        expect(await fresh.countByStatusAndType({})).toEqual([]);
      } finally {
        await fresh.close();
      }
    });

    test("offset skips that many matches in either order, with or without limit and after", async () => {
      for (const filter of FILTERS) {
        for (const order of ["asc", "desc"] as const) {
          const all = ids(await store.query({ ...filter, order }));
          for (const offset of [0, 1, 5, all.length - 1, all.length, all.length + 3]) {
            const at = { ...filter, order, offset };
            expect(ids(await store.query(at))).toEqual(all.slice(offset));
            expect(ids(await store.query({ ...at, limit: 4 }))).toEqual(
              all.slice(offset, offset + 4),
            );
          }
        }
      }
      // After a cursor, the offset counts from the cursor.
      const all = await store.query({});
      const cursor = { startTime: all[9]!.startTime, workflowId: all[9]!.workflowId };
      expect(ids(await store.query({ after: cursor, offset: 2, limit: 3 }))).toEqual(
        ids(all.slice(12, 15)),
      );
    });

    test("countByStatus of nothing is zero for every status", async () => {
      const none = await store.countByStatus({ namespace: "nobody" });
      expect(none).toEqual(Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])) as typeof none);
      const fresh = f.open();
      try {
        expect(await fresh.countByStatus({})).toEqual(none);
      } finally {
        await fresh.close();
      }
    });

    test("bad order, cursor or offset is refused, naming the field", async () => {
      const junk = <T>(value: unknown): T => value as T;
      const cases: [WorkflowFilter, string][] = [
        [junk({ order: "sideways" }), "filter.order"],
        [junk({ after: "c1" }), "filter.after"],
        [junk({ after: null }), "filter.after"],
        [{ after: { startTime: -1, workflowId: "a" } }, "filter.after.startTime"],
        [junk({ after: { startTime: 1.5, workflowId: "a" } }), "filter.after.startTime"],
        [{ after: { startTime: 1, workflowId: "" } }, "filter.after.workflowId"],
        [junk({ after: { startTime: 1 } }), "filter.after.workflowId"],
        [{ offset: -1 }, "filter.offset"],
        [{ offset: 1.5 }, "filter.offset"],
        [junk({ offset: "2" }), "filter.offset"],
        [{ offset: 2 ** 53 }, "filter.offset"],
      ];
      for (const [filter, argument] of cases) {
        const calls = [
          () => store.query(filter),
          () => store.countByStatus(filter),
          () => store.countByStatusAndType(filter),
        ];
        for (const call of calls) {
          const error = await rejection(call());
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect((error as InvalidArgumentError).argument).toBe(argument);
        }
      }
      const bad = await rejection(store.countByStatus(junk({ status: "Sleeping" })));
      expect((bad as InvalidArgumentError).argument).toBe("filter.status");
      const badType = await rejection(store.countByStatusAndType(junk({ status: "Sleeping" })));
      expect((badType as InvalidArgumentError).argument).toBe("filter.status");
    });
  });
}
