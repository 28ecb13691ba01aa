/**
 * `GET /v1/workflows` paged by cursor: with `limit`, the answer's `next`
 * token continues after the page's last row; following it visits every
 * workflow once, in the same order as one unpaged answer. Without a limit
 * or a cursor the answer is what it always was (plus `next: null`).
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { DeployedEngine } from "../../engine/deploy/index.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { openTestEngine, serve } from "./callers-setup.ts";

/** A real server and fetch round trips; the bound only stops a hang. */
setDefaultTimeout(60_000);

let d: DeployedEngine;
let server: ApiServer;

interface Listing {
  workflows: { workflowId: string }[];
  next: string | null;
}

const list = async (query: string): Promise<{ status: number; json: unknown }> => {
  const res = await fetch(`${server.url}/v1/workflows?${query}`);
  return { status: res.status, json: await res.json() };
};
const ids = (r: { json: unknown }): string[] =>
  (r.json as Listing).workflows.map((w) => w.workflowId);

beforeAll(async () => {
  d = await openTestEngine();
  server = serve(d);
  for (const id of ["p3", "p1", "p4", "p0", "p2", "q9"]) {
    await d.engine.start("counter", null, { workflowId: id });
  }
  await d.engine.start("counter", null, { workflowId: "elsewhere", namespace: "other" });
});

afterAll(async () => {
  await server.stop();
  await d.engine.shutdown();
});

test("without a cursor or limit the answer is every workflow, as before", async () => {
  const all = await list("");
  expect(all.status).toBe(200);
  expect(ids(all).sort()).toEqual(["p0", "p1", "p2", "p3", "p4", "q9"]);
  expect((all.json as Listing).next).toBeNull();
});

test("following `next` visits every workflow once, in the unpaged order", async () => {
  const whole = ids(await list(""));
  for (const size of [1, 2, 4]) {
    const seen: string[] = [];
    let query = `limit=${size}`;
    for (let pages = 0; pages < 20; pages++) {
      const r = await list(query);
      expect(r.status).toBe(200);
      const page = ids(r);
      expect(page.length).toBeLessThanOrEqual(size);
      seen.push(...page);
      const next = (r.json as Listing).next;
      if (next === null) break;
      query = `limit=${size}&cursor=${next}`;
    }
    expect(seen).toEqual(whole);
  }
  // A status filter pages the same way and stays in its namespace.
  const running = await list("status=Running&limit=10");
  expect(ids(running)).toEqual(whole);
  expect((running.json as Listing).next).toBeNull();
});

test("a damaged cursor is a 400 naming it", async () => {
  const good = (await list("limit=1")).json as Listing;
  for (const bad of ["x", "!!!", `${good.next}AA`, Buffer.from("[1]").toString("base64url")]) {
    const r = await list(`limit=1&cursor=${encodeURIComponent(bad)}`);
    expect(r.status).toBe(400);
    expect((r.json as { error: { message: string } }).error.message).toContain("'cursor'");
  }
});
