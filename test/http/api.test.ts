import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import { type ApiServer, serveApi } from "../../engine/http/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { greeterPackage, reservedPackage } from "../deploy/packages.ts";
import { waitUntil } from "../wait.ts";

/**
 * A real server, real timers and fetch round trips: milliseconds when idle,
 * much longer on a loaded machine; the bound only stops a hang.
 */
setDefaultTimeout(120_000);

const FIXTURES = join(import.meta.dir, "../../fixtures/workflows");

let d: DeployedEngine;
let server: ApiServer;

beforeAll(async () => {
  d = await openDeployed({
    store: new MemoryStore(),
    modulesDir: FIXTURES,
    workflows: { counter: { module: "wf_signals", function: "counter" } },
    // Queries are answered in milliseconds; the 5 s default could still run
    // out on a loaded machine, and the test is not about query deadlines.
    queryTimeoutMs: 120_000,
    log: () => {},
  });
  server = serveApi({ engine: d.engine, deployments: d.deployments, info: { db: ":memory:" } });
});

afterAll(async () => {
  await server.stop();
  await d.engine.shutdown();
});

/** The value at `path` inside parsed JSON (undefined where it does not exist). */
function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const k of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  // Mutating requests declare their body (docs/security.md): JSON, or a package.
  const type = body instanceof Uint8Array ? "application/vnd.aion.package" : "application/json";
  const init: RequestInit = {
    method,
    headers: method === "GET" ? headers : { "content-type": type, ...headers },
  };
  if (body instanceof Uint8Array) init.body = body;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(server.url + path, init);
  return { status: res.status, json: await res.json() };
}

describe("the HTTP API", () => {
  test("health, deploy, start, signal, result, describe, history, list", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await call("GET", "/v1/health")).toEqual({
      status: 200,
      json: { ok: true, db: ":memory:" },
    });

    const v1 = greeterPackage(1);
    const dep = await call("POST", "/v1/packages?name=greeter.aion", v1.bytes);
    expect(dep.status).toBe(201);
    expect(dep.json).toMatchObject({
      version: v1.version,
      workflowTypes: ["greeter"],
      activated: true,
    });

    const started = await call("POST", "/v1/workflows", {
      type: "greeter",
      input: { name: "ann" },
      id: "g1",
    });
    expect(started).toEqual({ status: 201, json: { workflowId: "g1" } });
    expect((await call("GET", "/v1/workflows/g1/result")).status).toBe(202);
    expect((await call("POST", "/v1/workflows/g1/signals/go", { now: true })).status).toBe(202);
    // Long-poll well past any load-induced delay; it answers as soon as g1 ends.
    const result = await call("GET", "/v1/workflows/g1/result?wait=60000");
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({
      status: "Completed",
      result: { greeting: "Hello, ann", version: 1 },
    });

    const described = await call("GET", "/v1/workflows/g1");
    expect(described.json).toMatchObject({
      workflowId: "g1",
      workflowType: "greeter",
      status: "Completed",
    });
    const history = await call("GET", "/v1/workflows/g1/history");
    expect(at(history.json, "events", 0)).toMatchObject({
      seq: 1,
      kind: "WorkflowStarted",
      input: { name: "ann" },
      packageVersion: v1.version,
    });
    expect(
      (at(history.json, "events") as { kind: string; payload?: unknown }[]).some(
        (e: { kind: string; payload?: unknown }) =>
          e.kind === "SignalReceived" && JSON.stringify(e.payload) === '{"now":true}',
      ),
    ).toBe(true);
    const listed = await call("GET", "/v1/workflows?status=completed&type=greeter");
    expect(
      (at(listed.json, "workflows") as { workflowId: string }[]).map(
        (w: { workflowId: string }) => w.workflowId,
      ),
    ).toEqual(["g1"]);
    const versions = await call("GET", "/v1/packages");
    expect(at(versions.json, "versions")).toHaveLength(1);
  });

  test("queries, cancel and terminate", async () => {
    const a = await call("POST", "/v1/workflows", { type: "counter", id: "c1" });
    expect(a.status).toBe(201);
    // A retried request with the same Idempotency-Key is delivered once.
    const retried = { "Idempotency-Key": "client-retry-1" };
    await call("POST", "/v1/workflows/c1/signals/cmd", "inc", retried);
    await call("POST", "/v1/workflows/c1/signals/cmd", "inc", retried);
    const signals = (await d.engine.history("c1")).filter((e) => e.event.kind === "SignalReceived");
    expect(signals).toHaveLength(1);
    // The counter counts an "inc" before it records the timer that follows it:
    // once that timer is in the history, the count a query sees is final.
    await waitUntil("c1 to take its inc", async () =>
      (await d.engine.history("c1")).some((e) => e.event.kind === "TimerStarted"),
    );
    const reply = await call("POST", "/v1/workflows/c1/queries/state");
    expect(reply).toEqual({ status: 200, json: { workflowId: "c1", query: "state", result: 1 } });
    expect(at((await call("POST", "/v1/workflows/c1/queries/nope")).json, "error", "code")).toBe(
      "unknown-query",
    );
    expect(await call("POST", "/v1/workflows/c1/cancel", { reason: "enough" })).toEqual({
      status: 200,
      json: { workflowId: "c1", cancelled: true },
    });
    const again = await call("POST", "/v1/workflows/c1/terminate", {});
    expect(again.status).toBe(409);
    expect(at(again.json, "error", "code")).toBe("already-terminal");
    await call("POST", "/v1/workflows", { type: "counter", id: "c2" });
    expect((await call("POST", "/v1/workflows/c2/terminate", { reason: "stop" })).status).toBe(200);
    expect((await call("GET", "/v1/workflows/c2/result")).json).toMatchObject({
      status: "Failed",
      error: { message: "terminated:stop" },
    });
  });

  test("errors are JSON with proper status codes", async () => {
    const cases: [string, string, unknown, number, string][] = [
      ["GET", "/v1/workflows/missing", undefined, 404, "unknown-workflow"],
      ["GET", "/v1/workflows/missing/history", undefined, 404, "unknown-workflow"],
      ["POST", "/v1/workflows", { type: "nope" }, 404, "unknown-workflow-type"],
      ["POST", "/v1/workflows", { input: 1 }, 400, "bad-request"],
      ["POST", "/v1/workflows", { type: "greeter", input: { name: "" } }, 422, "invalid-input"],
      [
        "POST",
        "/v1/workflows",
        { type: "greeter", input: { name: "x" }, id: "g1" },
        409,
        "duplicate-workflow",
      ],
      ["POST", "/v1/packages", reservedPackage(), 422, "reserved-module"],
      ["POST", "/v1/packages", new Uint8Array([1, 2]), 422, "invalid-package"],
      ["POST", "/v1/packages/nope/rollback", {}, 404, "no-package"],
      ["GET", "/v1/workflows?status=weird", undefined, 400, "bad-request"],
      ["DELETE", "/v1/workflows", undefined, 405, "method-not-allowed"],
      ["GET", "/v2/nothing", undefined, 404, "not-found"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await call(method, path, body);
      expect([method, path, r.status, at(r.json, "error", "code")]).toEqual([
        method,
        path,
        status,
        code,
      ]);
    }
    const bad = await fetch(`${server.url}/v1/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad-json");
    const invalid = await call("POST", "/v1/workflows", { type: "greeter", input: {} });
    expect(at(invalid.json, "error", "details", "problems", 0)).toMatchObject({
      path: "$",
      keyword: "required",
    });
  });
});
