/**
 * The console's server side (engine/http/ui/): the page and its files under
 * a strict CSP, only when `ui` is on; the paged list with its counts,
 * filters and the API's authentication and namespace rules.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { DeployedEngine } from "../../engine/deploy/index.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { CONF, OPS, openTestEngine, serve, TOKENS } from "../http/callers-setup.ts";

/** A real server and fetch round trips; the bound only stops a hang. */
setDefaultTimeout(120_000);

let d: DeployedEngine;
let withUi: ApiServer;
let withoutUi: ApiServer;
/** Started oldest first: c0..c6 in `default`, c7 in `conformance`. */
const ids: string[] = [];

const get = (server: ApiServer, path: string, token?: string, host?: string) =>
  fetch(server.url + path, {
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(host ? { host } : {}),
    },
  });

interface Page {
  workflows: { workflowId: string; status: string }[];
  total: number;
  counts: Record<string, number>;
  offset: number;
  limit: number;
  next: string | null;
  prev: string | null;
}
const page = async (path: string, token = OPS): Promise<Page> => {
  const res = await get(withUi, path, token);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

beforeAll(async () => {
  d = await openTestEngine();
  withUi = serve(d, { tokens: TOKENS, ui: true });
  withoutUi = serve(d, {});
  for (let i = 0; i < 8; i++) {
    ids.push(
      await d.engine.start("counter", null, {
        workflowId: `c${i}`,
        namespace: i === 7 ? "conformance" : "default",
        searchAttributes: { region: i % 2 === 0 ? "eu" : "us", tier: i },
      }),
    );
  }
  await d.engine.terminate("c1", "test");
  await d.engine.cancel("c2", "test");
});

afterAll(async () => {
  await withUi.stop();
  await withoutUi.stop();
  await d.engine.shutdown();
});

describe("the console's files", () => {
  test("the page is served with a self-only CSP and no token; scripts and styles too", async () => {
    const res = await get(withUi, "/ui");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/html");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const html = await res.text();
    expect(html).toContain('src="/ui/app.js"');
    expect(html).not.toMatch(/<script>|style=/);
    const js = await get(withUi, "/ui/app.js");
    expect(js.headers.get("content-type")).toStartWith("text/javascript");
    // Bundled: no module imports left for the browser to fetch.
    expect(await js.text()).not.toMatch(/\bimport\s*["{]/);
    expect((await get(withUi, "/ui/app.css")).headers.get("content-type")).toStartWith("text/css");
  });

  test("off unless asked for; foreign Host names and mutations are refused", async () => {
    expect((await get(withoutUi, "/ui")).status).toBe(404);
    expect((await get(withUi, "/ui", undefined, "evil.example")).status).toBe(403);
    const post = await fetch(`${withUi.url}/ui`, { method: "POST" });
    expect(post.status).toBe(405);
    expect((await get(withUi, "/ui/nothing", OPS)).status).toBe(404);
  });
});

describe("GET /ui/api/workflows", () => {
  test("needs a token, and a grant for the namespace", async () => {
    const anon = await get(withUi, "/ui/api/workflows");
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toContain("Bearer");
    const denied = await get(withUi, "/ui/api/workflows?namespace=default", CONF);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe(
      "namespace_denied",
    );
    const own = await page("/ui/api/workflows?namespace=conformance", CONF);
    expect(own.workflows.map((w) => w.workflowId)).toEqual(["c7"]);
  });

  test("pages newest first, with the total and counts of every status", async () => {
    const first = await page("/ui/api/workflows?limit=3");
    expect(first.workflows.map((w) => w.workflowId)).toEqual(["c6", "c5", "c4"]);
    expect(first.total).toBe(7);
    expect(first.counts).toMatchObject({ Running: 5, Cancelled: 1, Completed: 0 });
    expect(Object.values(first.counts).reduce((a, b) => a + b, 0)).toBe(7);
    const last = await page("/ui/api/workflows?limit=3&offset=6");
    expect(last.workflows.map((w) => w.workflowId)).toEqual(["c0"]);
    const beyond = await page("/ui/api/workflows?limit=3&offset=50");
    expect(beyond.workflows).toEqual([]);
    expect(beyond.total).toBe(7);
  });

  test("pages by cursor: `next` goes older, `prev` newer, the newest page is full", async () => {
    const ids = (p: Page) => p.workflows.map((w) => w.workflowId);
    const first = await page("/ui/api/workflows?limit=3");
    expect(first.prev).toBeNull();
    const second = await page(`/ui/api/workflows?limit=3&cursor=${first.next}`);
    expect(ids(second)).toEqual(["c3", "c2", "c1"]);
    expect(second.total).toBe(7);
    expect(second.counts.Running).toBe(5);
    const third = await page(`/ui/api/workflows?limit=3&cursor=${second.next}`);
    expect(ids(third)).toEqual(["c0"]);
    expect(third.next).toBeNull();
    const back = await page(`/ui/api/workflows?limit=3&cursor=${third.prev}`);
    expect(ids(back)).toEqual(["c3", "c2", "c1"]);
    // Fewer than a page newer than c3: the newest page, whole, with no `prev`.
    const top = await page(`/ui/api/workflows?limit=3&cursor=${back.prev}`);
    expect(ids(top)).toEqual(["c6", "c5", "c4"]);
    expect(top.prev).toBeNull();
    // A status page walks only that status.
    const running = await page("/ui/api/workflows?limit=2&status=Running");
    expect(ids(running)).toEqual(["c6", "c5"]);
    const more = await page(`/ui/api/workflows?limit=2&status=Running&cursor=${running.next}`);
    expect(ids(more)).toEqual(["c4", "c3"]);
    // Offsets still work, and hand out a cursor to carry on from.
    const byOffset = await page("/ui/api/workflows?limit=3&offset=3");
    expect(ids(byOffset)).toEqual(["c3", "c2", "c1"]);
    expect(byOffset.next).toBe(second.next);
  });

  test("filters by status, type, start time and search attributes", async () => {
    const cancelled = await page("/ui/api/workflows?status=cancelled");
    expect(cancelled.workflows.map((w) => w.workflowId)).toEqual(["c2"]);
    expect(cancelled.total).toBe(1);
    // Counts ignore the status filter, so every chip keeps its number.
    expect(cancelled.counts.Running).toBe(5);
    expect((await page("/ui/api/workflows?type=stuck")).total).toBe(0);
    const eu = await page("/ui/api/workflows?attr=region=eu");
    expect(eu.workflows.map((w) => w.workflowId)).toEqual(["c6", "c4", "c2", "c0"]);
    const typed = await page("/ui/api/workflows?attr=region=eu&attr=tier=4");
    expect(typed.workflows.map((w) => w.workflowId)).toEqual(["c4"]);
    // A quoted value is a string: it does not match the number 4.
    expect((await page('/ui/api/workflows?attr=tier="4"')).total).toBe(0);
    const future = Date.now() + 3_600_000;
    expect((await page(`/ui/api/workflows?startedAfter=${future}`)).total).toBe(0);
    expect((await page(`/ui/api/workflows?startedBefore=${future}`)).total).toBe(7);
  });

  test("bad parameters are 400 naming the parameter", async () => {
    for (const [q, what] of [
      ["status=Sleeping", "unknown status"],
      ["limit=-1", "'limit'"],
      ["attr=novalue", "NAME=VALUE"],
      ["startedAfter=soon", "'startedAfter'"],
      ["namespace=bad%20name", "namespace"],
      ["cursor=nonsense", "'cursor'"],
      [`cursor=${Buffer.from("[1,2,3,4]").toString("base64url")}`, "'cursor'"],
      [`offset=3&cursor=${Buffer.from('[1,"desc",1,"c1"]').toString("base64url")}`, "either"],
    ] as const) {
      const res = await get(withUi, `/ui/api/workflows?${q}`, OPS);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(what);
    }
  });
});
