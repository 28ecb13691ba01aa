/**
 * Visibility at scale on SQLite: 100,000 workflows (bulk-written in one
 * transaction, see bulk-workflows.ts), and proof that neither a page nor the
 * per-status counts read the whole table. The proof is structural, not a
 * stopwatch: SQLite's own query plan for every page shape is an index seek
 * with the order taken from the index (no scan, no sort), the counts come
 * from one covering index, and the console's list answer is shown to fetch
 * at most `limit + 1` summaries from the store at any depth, in either
 * direction. The metrics scrape's count per (status, type) walks one
 * covering index in group order (no table reads, no sort), and an offset
 * page (the original callers' list) returns only its own rows.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { WORKFLOW_STATUSES, type WorkflowStatus } from "../../engine/events/index.ts";
import { encodePageToken } from "../../engine/http/page-token.ts";
import { uiWorkflowPage, type VisibilityReader } from "../../engine/http/ui/list.ts";
import { SqliteStore, type WorkflowFilter } from "../../engine/store/index.ts";
import { buildGroupedCount, buildQuery } from "../../engine/store/sqlite/query-sql.ts";
import { type BulkWorkflow, fillWorkflows } from "./bulk-workflows.ts";
import { removeDir, tempDir } from "./helpers.ts";

/** Filling and reading a real file on a shared machine; the bound only stops a hang. */
setDefaultTimeout(120_000);

const COUNT = 100_000;
const PAGE = 50;

/** Row i: every tenth in `small`, the rest in `big`; statuses in turn; three per start time. */
function rowOf(i: number): BulkWorkflow {
  return {
    workflowId: `wf-${i}`,
    namespace: i % 10 === 0 ? "small" : "big",
    workflowType: i % 2 === 0 ? "even" : "odd",
    status: WORKFLOW_STATUSES[i % WORKFLOW_STATUSES.length]!,
    startTime: 1_700_000_000_000 + Math.floor(i / 3),
  };
}

/** What the store must return: `big`'s rows newest first (start time, then id, descending). */
function newestFirst(rows: readonly BulkWorkflow[]): BulkWorkflow[] {
  return [...rows].sort((a, b) =>
    a.startTime !== b.startTime
      ? b.startTime - a.startTime
      : a.workflowId < b.workflowId
        ? 1
        : a.workflowId > b.workflowId
          ? -1
          : 0,
  );
}

let dir: string;
let path: string;
let store: SqliteStore;
const big: BulkWorkflow[] = [];
const bigCounts = Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])) as Record<
  WorkflowStatus,
  number
>;
let bigNewest: BulkWorkflow[];

beforeAll(async () => {
  dir = tempDir("aion-scale-");
  path = join(dir, "scale.db");
  await fillWorkflows(path, COUNT, (i) => {
    const row = rowOf(i);
    if (row.namespace === "big") {
      big.push(row);
      bigCounts[row.status]++;
    }
    return row;
  });
  bigNewest = newestFirst(big);
  store = new SqliteStore(path);
});

afterAll(async () => {
  await store?.close();
  if (dir) removeDir(dir);
});

/** SQLite's plan for `filter` as the store would run it, one detail line per step. */
function planOf(db: Database, built: { sql: string; params: (string | number)[] }): string[] {
  return db
    .query<{ detail: string }, (string | number)[]>(`EXPLAIN QUERY PLAN ${built.sql}`)
    .all(...built.params)
    .map((r) => r.detail);
}

const deep = (n: number) => ({
  startTime: bigNewest[n]!.startTime,
  workflowId: bigNewest[n]!.workflowId,
});

/** Page shapes the console asks for: first page, deep pages both ways, one status, one type. */
function pageFilters(): WorkflowFilter[] {
  return [
    { namespace: "big", order: "desc", limit: PAGE + 1 },
    { namespace: "big", order: "desc", limit: PAGE + 1, after: deep(80_000) },
    { namespace: "big", order: "asc", limit: PAGE + 1, after: deep(80_000) },
    { namespace: "big", status: "Failed", order: "desc", limit: PAGE + 1, after: deep(60_000) },
    { namespace: "big", workflowType: "odd", order: "desc", limit: PAGE + 1 },
  ];
}

/** Checks every page and count plan on a connection of its own, as SQLite would run them. */
function expectIndexedPlans(): void {
  const db = new Database(path, { readonly: true });
  try {
    for (const filter of pageFilters()) {
      const plan = planOf(db, buildQuery(filter));
      // One step: a seek into an index (SEARCH, not SCAN) that also gives the order.
      expect({ filter, plan }).toEqual({
        filter,
        plan: [expect.stringMatching(/^SEARCH workflows USING INDEX workflows_by_namespace/)],
      });
    }
    for (const filter of [{ namespace: "big" }, { namespace: "big", startTime: { from: 1 } }]) {
      expect(planOf(db, buildGroupedCount(filter, ["status"]))).toEqual([
        "SEARCH workflows USING COVERING INDEX workflows_by_namespace_status (namespace=?)",
      ]);
    }
    // The metrics scrape: every workflow, per (status, type). One pass over
    // a covering index, already in group order: no table, no temp b-tree.
    expect(planOf(db, buildGroupedCount({}, ["status", "workflow_type"]))).toEqual([
      "SCAN workflows USING COVERING INDEX workflows_by_status_type",
    ]);
    // An offset page walks the index in list order and stops after the page.
    expect(
      planOf(db, buildQuery({ namespace: "big", order: "desc", limit: PAGE, offset: 70_000 })),
    ).toEqual([expect.stringMatching(/^SEARCH workflows USING INDEX workflows_by_namespace /)]);
  } finally {
    db.close();
  }
}

describe(`visibility over ${COUNT.toLocaleString("en")} workflows`, () => {
  test("counts per status come from one covering index, and are right", async () => {
    expect(await store.countByStatus({ namespace: "big" })).toEqual(bigCounts);
    const all = await store.countByStatus({});
    expect(Object.values(all).reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(await store.countByStatus({ namespace: "big", status: "Failed" })).toEqual({
      ...Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])),
      Failed: bigCounts.Failed,
    } as typeof all);
  });

  test("the metrics scrape's count per status and type is right", async () => {
    const expected = new Map<string, number>();
    for (let i = 0; i < COUNT; i++) {
      const row = rowOf(i);
      const key = `${row.status} ${row.workflowType}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const groups = await store.countByStatusAndType({});
    expect(new Map(groups.map((g) => [`${g.status} ${g.workflowType}`, g.count]))).toEqual(
      expected,
    );
    expect(groups.map((g) => g.status)).toEqual([...groups.map((g) => g.status)].sort());
  });

  test("an offset page returns only its rows, the ones at that depth", async () => {
    const ids = (xs: readonly { workflowId: string }[]) => xs.map((x) => x.workflowId);
    const page = await store.query({
      namespace: "big",
      order: "desc",
      limit: PAGE,
      offset: 70_000,
    });
    expect(ids(page)).toEqual(ids(bigNewest.slice(70_000, 70_000 + PAGE)));
  });

  test("pages are index seeks (no scan, no sort), the scrape's count one covering-index pass, with statistics or without", () => {
    expectIndexedPlans();
    // Planner statistics (what `PRAGMA optimize` gathers over time) must not change the plans.
    const db = new Database(path);
    try {
      db.run("ANALYZE");
    } finally {
      db.close();
    }
    expectIndexedPlans();
  });

  test("pages at any depth hold the right workflows", async () => {
    const ids = (xs: readonly { workflowId: string }[]) => xs.map((x) => x.workflowId);
    const want = (from: number) => ids(bigNewest.slice(from, from + PAGE));
    expect(ids(await store.query({ namespace: "big", order: "desc", limit: PAGE }))).toEqual(
      want(0),
    );
    const after = deep(80_000);
    expect(ids(await store.query({ namespace: "big", order: "desc", limit: PAGE, after }))).toEqual(
      want(80_001),
    );
    expect(ids(await store.query({ namespace: "big", order: "asc", limit: PAGE, after }))).toEqual(
      ids(bigNewest.slice(80_000 - PAGE, 80_000).reverse()),
    );
  });

  test("the console's list answer reads one page of summaries from the store, at any depth", async () => {
    let read = 0;
    const counting: VisibilityReader = {
      query: async (filter) => {
        const rows = await store.query(filter);
        read += rows.length;
        return rows;
      },
      countByStatus: (filter) => store.countByStatus(filter),
    };
    const ask = async (query: string) => {
      read = 0;
      const url = new URL(`http://127.0.0.1/ui/api/workflows?namespace=big&limit=${PAGE}${query}`);
      const answer = await uiWorkflowPage(counting, url, "big");
      expect(read).toBeLessThanOrEqual(PAGE + 1);
      expect(answer.total).toBe(big.length);
      expect(answer.counts).toEqual(bigCounts);
      return answer;
    };
    const ids = (a: { workflows: unknown[] }) =>
      a.workflows.map((w) => (w as { workflowId: string }).workflowId);
    const first = await ask("");
    expect(ids(first)).toEqual(bigNewest.slice(0, PAGE).map((w) => w.workflowId));
    const second = await ask(`&cursor=${first.next}`);
    expect(ids(second)).toEqual(bigNewest.slice(PAGE, 2 * PAGE).map((w) => w.workflowId));
    // A page deep in the list, as a `next` token from the 80,000th row would reach it.
    const far = await ask(`&cursor=${encodePageToken("desc", deep(79_999))}`);
    expect(ids(far)).toEqual(bigNewest.slice(80_000, 80_000 + PAGE).map((w) => w.workflowId));
    const back = await ask(`&cursor=${far.prev}`);
    expect(ids(back)).toEqual(bigNewest.slice(80_000 - PAGE, 80_000).map((w) => w.workflowId));
    // The oldest page says there is none after it.
    const last = await ask(`&cursor=${encodePageToken("desc", deep(big.length - 11))}`);
    expect(ids(last)).toHaveLength(10);
    expect(last.next).toBeNull();
  });
});
