/**
 * The original callers' `POST /workflows/list` pages by `limit`/`offset`
 * only (the original contract has no cursor and no total), so the route
 * hands the offset to the store, which skips those matches in the database:
 * each request builds just its page of summaries, never the namespace. Run
 * on a SQLite file, with start-time ties and both filters, against the
 * whole list read at once.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { SqliteStore, type WorkflowFilter } from "../../engine/store/index.ts";
import { cancelled, completed, removeDir, started, tempDir } from "../store/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { post, serve } from "./callers-setup.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const NS = "paging";
const COUNT = 45;

let dir: string;
let d: DeployedEngine;
let server: ApiServer;
/** What each `store.query` call asked for and how many summaries it returned. */
const queries: { filter: WorkflowFilter; rows: number }[] = [];

const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

beforeAll(async () => {
  dir = tempDir("aion-callers-offset-");
  let clock = 1_700_000_000_000;
  const store = new SqliteStore(join(dir, "o.db"), { now: () => clock });
  // Ids in an order unlike start order, three per start time (ties broken by
  // id), two types, three statuses, and a second namespace that must not show.
  for (let i = 0; i < COUNT; i++) {
    clock = 1_700_000_000_000 + Math.floor(i / 3) * 1000;
    const id = uuid((i * 17) % COUNT);
    const namespace = i % 5 === 4 ? "other" : NS;
    await store.append(id, [started(`r${i}`, { type: i % 2 === 0 ? "even" : "odd" })], 0, {
      namespace,
    });
    if (i % 3 === 1) await store.append(id, [completed()], 1);
    if (i % 3 === 2) await store.append(id, [cancelled()], 1);
  }
  d = await openDeployed({ store, recover: false, log: () => {} });
  const query = store.query.bind(store);
  store.query = async (filter) => {
    const rows = await query(filter);
    queries.push({ filter, rows: rows.length });
    return rows;
  };
  server = serve(d);
});

afterAll(async () => {
  await server?.stop();
  await d?.engine.shutdown();
  await d?.engine.store.close();
  if (dir) removeDir(dir);
});

/** The listed ids, and how many summaries the store built for the request. */
async function list(filter: Record<string, unknown>): Promise<{ ids: string[]; read: number }> {
  queries.length = 0;
  const r = await post(server, "/workflows/list", { namespace: NS, filter });
  expect(r.status).toBe(200);
  const ids = (r.json as { summaries: { workflow_id: string }[] }).summaries.map(
    (s) => s.workflow_id,
  );
  return { ids, read: queries.reduce((n, q) => n + q.rows, 0) };
}

describe("POST /workflows/list pages by offset", () => {
  test("every limit/offset page is the matching slice, and only it is read", async () => {
    for (const base of [{}, { status: "Completed" }, { workflow_type: "odd" }]) {
      const all = await list(base);
      expect(all.read).toBe(all.ids.length);
      expect(all.ids.length).toBeGreaterThan(5);
      for (const limit of [1, 4, 10]) {
        for (let offset = 0; offset <= all.ids.length + 1; offset += 3) {
          const page = await list({ ...base, limit, offset });
          const want = all.ids.slice(offset, offset + limit);
          expect({ base, limit, offset, ids: page.ids }).toEqual({
            base,
            limit,
            offset,
            ids: want,
          });
          // The store returned the page itself: no skipped rows reach the route.
          expect(page.read).toBe(want.length);
          expect(queries.map((q) => q.filter.offset ?? 0)).toEqual([offset]);
        }
      }
      // An offset without a limit is the rest of the list.
      const rest = await list({ ...base, offset: 2 });
      expect(rest.ids).toEqual(all.ids.slice(2));
      expect(rest.read).toBe(all.ids.length - 2);
    }
  });

  test("the whole list is the namespace's workflows, oldest first", async () => {
    const all = await list({});
    const stored = await d.engine.list({ namespace: NS });
    expect(all.ids).toEqual(stored.map((s) => s.workflowId));
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect(all.ids.length).toBe(COUNT - Math.floor(COUNT / 5));
  });

  test("limit 0 and offsets past any namespace answer an empty page without a store read", async () => {
    for (const filter of [{ limit: 0 }, { limit: 0, offset: 3 }, { offset: 2 ** 60, limit: 5 }]) {
      const page = await list(filter);
      expect({ filter, page }).toEqual({ filter, page: { ids: [], read: 0 } });
      expect(queries).toEqual([]);
    }
    // A limit beyond 2^53 is no limit.
    const huge = await list({ limit: 2 ** 60, offset: 1 });
    expect(huge.ids).toEqual((await list({})).ids.slice(1));
  });
});
