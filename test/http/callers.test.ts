/**
 * The original callers' API, route by route: shapes, ids, payload
 * envelopes, codes and statuses, plain-text body refusals, the check order,
 * namespace denial and the anti-leak 404, and the server side of the
 * conformance scenarios 1, 3, 4, 5 and 6 (docs/api.md).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { DeployedEngine } from "../../engine/deploy/index.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { waitUntil } from "../wait.ts";
import { CONF, OPS, openTestEngine, post, StreamProbe, serve, TOKENS } from "./callers-setup.ts";

/** Real servers and fetch round trips; the bound only stops a hang. */
setDefaultTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOBODY = "00000000-0000-4000-8000-000000000000";

let d: DeployedEngine;
/** No tokens: every caller is an operator. */
let open: ApiServer;
/** Tokens: `conf` holds only `conformance`. */
let secured: ApiServer;
/** A 1 ms server query deadline, for query_timeout. */
let hasty: ApiServer;

beforeAll(async () => {
  d = await openTestEngine();
  open = serve(d);
  secured = serve(d, { tokens: TOKENS });
  hasty = serve(d, { queryTimeoutMs: 1 });
});

afterAll(async () => {
  await open.stop();
  await secured.stop();
  await hasty.stop();
  await d.engine.shutdown();
});

const asConf = { authorization: `Bearer ${CONF}` };
const asOps = { authorization: `Bearer ${OPS}` };

async function startCounter(server: ApiServer, namespace: string, headers = {}): Promise<string> {
  const r = await post(
    server,
    "/workflows/start",
    { namespace, workflow_type: "counter", input: {} },
    headers,
  );
  expect(r.status).toBe(200);
  return (r.json as { workflow_id: string }).workflow_id;
}

describe("POST /workflows/*", () => {
  test("scenario 1 (happy path): start, signal, query, list, describe, cancel, subscribe", async () => {
    const ns = "conformance";
    const started = await post(open, "/workflows/start", {
      namespace: ns,
      workflow_type: "counter",
      input: { a: 1 },
    });
    expect(started.status).toBe(200);
    expect(started.type).toStartWith("application/json");
    const { workflow_id: id, run_id: runId } = started.json as {
      workflow_id: string;
      run_id: string;
    };
    expect(id).toMatch(UUID);
    expect(runId).toMatch(UUID);
    expect(Object.keys(started.json as object).sort()).toEqual(["run_id", "workflow_id"]);

    const sig = await post(open, "/workflows/signal", {
      namespace: ns,
      workflow_id: id,
      signal_name: "cmd",
      payload: "inc",
    });
    expect(sig).toMatchObject({ status: 200, json: {} });

    await waitUntil("the counter reached 1", async () => {
      const q = await post(open, "/workflows/query", {
        namespace: ns,
        workflow_id: id,
        query_name: "state",
      });
      expect(q.status).toBe(200);
      return JSON.stringify(q.json) === JSON.stringify({ result: 1 });
    });
    // The run id may be given, and "" means the latest run.
    for (const run_id of [runId, "", null]) {
      const q = await post(open, "/workflows/query", {
        namespace: ns,
        workflow_id: id,
        run_id,
        query_name: "state",
      });
      expect(q.json).toEqual({ result: 1 });
    }

    const list = await post(open, "/workflows/list", { namespace: ns });
    expect(list.status).toBe(200);
    const summaries = (list.json as { summaries: Record<string, unknown>[] }).summaries;
    const mine = summaries.find((s) => s.workflow_id === id);
    expect(mine).toMatchObject({
      workflow_type: "counter",
      status: "Running",
      ended_at: null,
      parent: null,
    });
    expect(mine).not.toHaveProperty("run_id");
    expect(Date.parse(String(mine!.started_at))).toBeGreaterThan(0);

    const desc = await post(open, "/workflows/describe", {
      namespace: ns,
      workflow_id: id,
      include_history: true,
    });
    expect(desc.status).toBe(200);
    const { summary, history } = desc.json as {
      summary: Record<string, unknown>;
      history: Record<string, unknown>[];
    };
    expect(summary.status).toBe("Running");
    expect(history[0]).toMatchObject({
      type: "WorkflowStarted",
      data: { envelope: { seq: 1, workflow_id: id }, workflow_type: "counter", run_id: runId },
    });
    const input = (history[0]!.data as { input: { content_type: string; bytes: number[] } }).input;
    expect(input.content_type).toBe("Json");
    expect(JSON.parse(new TextDecoder().decode(Uint8Array.from(input.bytes)))).toEqual({ a: 1 });
    expect(history.map((e) => e.type)).toContain("SignalReceived");
    const plain = await post(open, "/workflows/describe", { namespace: ns, workflow_id: id });
    expect((plain.json as { history: unknown[] }).history).toEqual([]);

    const cancel = await post(open, "/workflows/cancel", { namespace: ns, workflow_id: id });
    expect(cancel).toMatchObject({ status: 200, json: {} });
    const after = await post(open, "/workflows/describe", { namespace: ns, workflow_id: id });
    expect((after.json as { summary: { status: string; ended_at: string } }).summary).toMatchObject(
      {
        status: "Cancelled",
      },
    );
    expect((after.json as { summary: { ended_at: unknown } }).summary.ended_at).toBeString();

    const probe = new StreamProbe(open, {
      per_workflow: { namespace: ns, workflow_id: { uuid: id }, resume_from_seq: 1 },
    });
    expect(await probe.waitClosed()).toEqual({ code: 1000, reason: "subscription complete" });
    expect(probe.types()[0]).toBe("WorkflowStarted");
    expect(probe.types()).toContain("SignalReceived");
    expect(probe.types().at(-1)).toBe("WorkflowCancelled");
  });

  test("a raw {content_type, bytes} payload is taken as the JSON it holds", async () => {
    const bytes = [...new TextEncoder().encode('{"x":[1,2]}')];
    const r = await post(open, "/workflows/start", {
      namespace: "default",
      workflow_type: "counter",
      input: { content_type: "Json", bytes },
    });
    expect(r.status).toBe(200);
    const id = (r.json as { workflow_id: string }).workflow_id;
    const h = await d.engine.history(id);
    const first = h[0]!.event;
    expect(first.kind === "WorkflowStarted" && new TextDecoder().decode(first.input.bytes)).toBe(
      '{"x":[1,2]}',
    );
    const bad = await post(open, "/workflows/start", {
      namespace: "default",
      workflow_type: "counter",
      input: { content_type: "application/octet-stream", bytes: [1] },
    });
    expect(bad).toMatchObject({ status: 400, json: { code: "invalid_input" } });
  });

  test("errors: codes, statuses and the {code, message} body", async () => {
    const id = await startCounter(open, "default");
    const cases: [string, unknown, number, string][] = [
      [
        "/workflows/describe",
        { namespace: "default", workflow_id: "not-a-uuid" },
        400,
        "invalid_input",
      ],
      [
        "/workflows/describe",
        { namespace: "default", workflow_id: id, run_id: "nope" },
        400,
        "invalid_input",
      ],
      [
        "/workflows/start",
        { namespace: "default", workflow_type: "no-such-type", input: {} },
        404,
        "not_found",
      ],
      ["/workflows/start", { namespace: "default", workflow_type: "counter" }, 500, "backend"],
      [
        "/workflows/signal",
        { namespace: "default", workflow_id: id, signal_name: "cmd" },
        500,
        "backend",
      ],
      [
        "/workflows/list",
        { namespace: "default", filter: { status: "running" } },
        400,
        "invalid_input",
      ],
      [
        "/workflows/list",
        { namespace: "default", filter: { started_after: "yesterday" } },
        400,
        "invalid_input",
      ],
      [
        "/workflows/describe",
        { namespace: "default", workflow_id: id, run_id: NOBODY },
        404,
        "not_found",
      ],
    ];
    for (const [path, body, status, code] of cases) {
      const r = await post(open, path, body);
      expect({ path, status: r.status, code: (r.json as { code?: string })?.code }).toEqual({
        path,
        status,
        code,
      });
      expect(Object.keys(r.json as object).sort()).toEqual(["code", "message"]);
    }
    // A run that has ended: signal and cancel 412, query 200 {"error": not_running}.
    await post(open, "/workflows/cancel", {
      namespace: "default",
      workflow_id: id,
      reason: "test",
    });
    const ended = await d.engine.history(id);
    expect(ended.at(-1)!.event).toMatchObject({ kind: "WorkflowCancelled", reason: "test" });
    const sig = await post(open, "/workflows/signal", {
      namespace: "default",
      workflow_id: id,
      signal_name: "cmd",
      payload: "inc",
    });
    expect(sig).toMatchObject({ status: 412, json: { code: "not_running" } });
    const again = await post(open, "/workflows/cancel", { namespace: "default", workflow_id: id });
    expect(again).toMatchObject({ status: 412, json: { code: "not_running" } });
    const q = await post(open, "/workflows/query", {
      namespace: "default",
      workflow_id: id,
      query_name: "state",
    });
    expect(q).toMatchObject({ status: 200, json: { error: { code: "not_running" } } });
  });

  test("query replies: unknown_query, query_failed, and query_timeout under the server deadline (scenario 3)", async () => {
    const id = await startCounter(open, "default");
    const unknown = await post(open, "/workflows/query", {
      namespace: "default",
      workflow_id: id,
      query_name: "nope",
    });
    expect(unknown).toMatchObject({ status: 200, json: { error: { code: "unknown_query" } } });
    const boom = await post(open, "/workflows/query", {
      namespace: "default",
      workflow_id: id,
      query_name: "boom",
    });
    expect(boom).toMatchObject({ status: 200, json: { error: { code: "query_failed" } } });
    const stuck = await post(hasty, "/workflows/start", {
      namespace: "default",
      workflow_type: "stuck",
      input: null,
    });
    const sid = (stuck.json as { workflow_id: string }).workflow_id;
    const slow = await post(hasty, "/workflows/query", {
      namespace: "default",
      workflow_id: sid,
      query_name: "state",
    });
    expect(slow).toMatchObject({ status: 200, json: { error: { code: "query_timeout" } } });
    expect(Object.keys(slow.json as object)).toEqual(["error"]);
  });

  test("body failures are plain text: 415, 400, 422", async () => {
    const noType = await fetch(`${open.url}/workflows/list`, {
      method: "POST",
      body: '{"namespace":"default"}',
    });
    expect(noType.status).toBe(415);
    expect(noType.headers.get("content-type")).toStartWith("text/plain");
    const cases: [string, number][] = [
      ["{not json", 400],
      ["[1,2]", 422],
      ['{"workflow_type":"counter","input":{}}', 422],
      [
        '{"namespace":"default","workflow_id":{"uuid":"00000000-0000-4000-8000-000000000000"}}',
        422,
      ],
      ['{"namespace":7,"workflow_id":"00000000-0000-4000-8000-000000000000"}', 422],
      ['{"namespace":"default","filter":{"limit":-1}}', 422],
    ];
    for (const [body, status] of cases) {
      const path = body.includes("filter")
        ? "/workflows/list"
        : body.includes("workflow_type")
          ? "/workflows/start"
          : "/workflows/describe";
      const r = await post(open, path, body);
      expect({ body, status: r.status }).toEqual({ body, status });
      expect(r.type).toStartWith("text/plain");
      expect(
        r.json === undefined || typeof r.json !== "object" || !("code" in (r.json as object)),
      ).toBe(true);
    }
  });

  test("list: status, type, time and limit/offset filters; unknown keys ignored", async () => {
    const ns = "listing";
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await startCounter(open, ns));
    await post(open, "/workflows/cancel", { namespace: ns, workflow_id: ids[0] });
    const ids0 = async (filter: unknown): Promise<string[]> => {
      const r = await post(open, "/workflows/list", { namespace: ns, filter });
      expect(r.status).toBe(200);
      return (r.json as { summaries: { workflow_id: string }[] }).summaries.map(
        (s) => s.workflow_id,
      );
    };
    expect((await ids0({})).sort()).toEqual([...ids].sort());
    expect(await ids0({ status: "Cancelled" })).toEqual([ids[0]!]);
    expect((await ids0({ status: "Running", whatever: 1 })).sort()).toEqual(
      [ids[1]!, ids[2]!].sort(),
    );
    expect(await ids0({ status: "Paused" })).toEqual([]);
    expect(await ids0({ workflow_type: "stuck" })).toEqual([]);
    expect(await ids0({ started_before: "2000-01-01T00:00:00Z" })).toEqual([]);
    expect((await ids0({ started_after: "2000-01-01T00:00:00+00:00" })).length).toBe(3);
    const all = await ids0({});
    expect(await ids0({ limit: 2 })).toEqual(all.slice(0, 2));
    expect(await ids0({ limit: 2, offset: 2 })).toEqual(all.slice(2));
  });
});

describe("identity, namespaces and the check order", () => {
  test("scenario 5: start and list in a namespace not granted are 403 namespace_denied", async () => {
    for (const [path, body] of [
      [
        "/workflows/start",
        { namespace: "conformance-denied", workflow_type: "counter", input: {} },
      ],
      ["/workflows/list", { namespace: "conformance-denied" }],
      ["/workflows/list", { namespace: "" }],
    ] as const) {
      const r = await post(secured, path, body, asConf);
      expect(r.status).toBe(403);
      expect(r.json).toMatchObject({ code: "namespace_denied" });
      expect((r.json as { message: string }).message).toContain("not authorized for namespace");
    }
    // x-aion-namespaces narrows: ops restricted to one namespace is denied another.
    const narrowed = await post(
      secured,
      "/workflows/list",
      { namespace: "conformance" },
      { ...asOps, "x-aion-namespaces": "other" },
    );
    expect(narrowed.status).toBe(403);
    const ok = await post(secured, "/workflows/list", { namespace: "conformance" }, asConf);
    expect(ok.status).toBe(200);
  });

  test("a missing or wrong token is 401 with an empty body", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-0123456789" },
    ];
    for (const headers of attempts) {
      const r = await post(secured, "/workflows/list", { namespace: "conformance" }, headers);
      expect(r.status).toBe(401);
      expect(r.text).toBe("");
    }
  });

  test("scenarios 4 and 6: unknown and foreign workflows get byte-identical 404s", async () => {
    const foreign = await startCounter(secured, "elsewhere", asOps);
    const replies: string[] = [];
    for (const workflow_id of [foreign, NOBODY]) {
      for (const [path, extra] of [
        ["/workflows/describe", {}],
        ["/workflows/signal", { signal_name: "cmd", payload: "inc" }],
        ["/workflows/query", { query_name: "state" }],
        ["/workflows/cancel", {}],
      ] as const) {
        const r = await post(
          secured,
          path,
          { namespace: "conformance", workflow_id, ...extra },
          asConf,
        );
        expect(r.status).toBe(404);
        replies.push(`${r.status} ${r.type} ${r.text}`);
      }
    }
    expect(new Set(replies).size).toBe(1);
    expect(JSON.parse(replies[0]!.split(" ").slice(2).join(" "))).toEqual({
      code: "not_found",
      message: "workflow not found in namespace conformance",
    });
    // Nothing happened to the foreign workflow.
    const h = await d.engine.history(foreign);
    expect(h.map((e) => e.event.kind)).toEqual(["WorkflowStarted"]);
  });

  test("auth -> body -> ids -> grant -> ownership", async () => {
    // No token and a broken body: 401 first.
    expect((await post(secured, "/workflows/describe", "{broken", {})).status).toBe(401);
    // A token and a broken body: the body's 400 before anything else.
    expect((await post(secured, "/workflows/describe", "{broken", asConf)).status).toBe(400);
    // A bad id in a denied namespace: the id's 400 before the grant's 403.
    const badId = await post(
      secured,
      "/workflows/describe",
      { namespace: "denied", workflow_id: "x" },
      asConf,
    );
    expect(badId).toMatchObject({ status: 400, json: { code: "invalid_input" } });
    // An unknown workflow in a denied namespace: the grant's 403 before the 404.
    const denied = await post(
      secured,
      "/workflows/describe",
      { namespace: "denied", workflow_id: NOBODY },
      asConf,
    );
    expect(denied).toMatchObject({ status: 403, json: { code: "namespace_denied" } });
  });

  test("Host and Origin screening still apply", async () => {
    const r = await post(
      open,
      "/workflows/list",
      { namespace: "default" },
      { origin: "http://evil.example" },
    );
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: "origin_denied" });
  });
});

test("a start while the engine shuts down is 503 backend", async () => {
  const draining = await openTestEngine();
  const server = serve(draining);
  try {
    await draining.engine.shutdown();
    const r = await post(server, "/workflows/start", {
      namespace: "default",
      workflow_type: "counter",
      input: {},
    });
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ code: "backend" });
  } finally {
    await server.stop();
  }
});
