/**
 * The secured HTTP API on real loopback sockets (Bun.serve, port 0):
 * tokens, namespace and deploy grants, the anti-leak rule, Host and Origin
 * screening, content types, body and id limits — and that an authorised
 * caller can still do everything.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import {
  type ApiServer,
  InsecureBindError,
  MAX_JSON_BODY_BYTES,
  serveApi,
  TokenConfigError,
  TokenSet,
} from "../../engine/http/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { greeterPackage } from "../deploy/packages.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { chunk, head, LAST_CHUNK, rawRequest } from "./raw.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const FIXTURES = join(import.meta.dir, "../../fixtures/workflows");
const OPS = "ops-token-0123456789";
const ALICE = "alice-token-0123456789";
const BOB = "bob-token-0123456789";
const TOKENS = TokenSet.parse(
  JSON.stringify({
    tokens: [
      { token: OPS, subject: "ops", namespaces: "*", deploy: true },
      { token: ALICE, subject: "alice", namespaces: ["team-a"] },
      { token: BOB, subject: "bob", namespaces: ["team-b", "shared"] },
    ],
  }),
  "test tokens",
);

let d: DeployedEngine;
/** Tokens required. */
let secured: ApiServer;
/** Loopback without tokens (every caller is an operator). */
let open: ApiServer;
/** Loopback without tokens, also answering to Host aion.internal. */
let proxied: ApiServer;

beforeAll(async () => {
  d = await openDeployed({
    store: new MemoryStore(),
    modulesDir: FIXTURES,
    workflows: { counter: { module: "wf_signals", function: "counter" } },
    log: () => {},
  });
  const ctx = { engine: d.engine, deployments: d.deployments, info: { db: ":memory:" } };
  secured = serveApi(ctx, { tokens: TOKENS });
  open = serveApi(ctx);
  proxied = serveApi(ctx, { allowHosts: ["aion.internal"] });
});

afterAll(async () => {
  await Promise.all([secured.stop(), open.stop(), proxied.stop()]);
  await d.engine.shutdown();
});

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
  readonly headers: Headers;
}

/** A request as a well-behaved client sends it: JSON declared, a token when given. */
async function call(
  server: ApiServer,
  method: string,
  path: string,
  o: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (method !== "GET") {
    headers["content-type"] =
      o.body instanceof Uint8Array ? "application/vnd.aion.package" : "application/json";
  }
  const init: RequestInit = { method, headers: { ...headers, ...o.headers } };
  if (o.body instanceof Uint8Array) init.body = o.body;
  else if (o.body !== undefined) init.body = JSON.stringify(o.body);
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: text === "" ? null : JSON.parse(text),
    headers: res.headers,
  };
}

const codeOf = (a: Answer): unknown => (a.json as { error?: { code?: unknown } }).error?.code;

describe("authentication", () => {
  test("a missing or unknown token is 401 with a Bearer challenge", async () => {
    for (const token of [undefined, "wrong-token-0123456789", "", OPS.slice(0, -1)]) {
      const r = await call(secured, "GET", "/v1/workflows", token === undefined ? {} : { token });
      expect([token, r.status, codeOf(r)]).toEqual([token, 401, "unauthenticated"]);
      expect(r.headers.get("www-authenticate")).toBe('Bearer realm="aion"');
    }
    const lower = await call(secured, "GET", "/v1/whoami", {
      headers: { authorization: `bearer ${ALICE}` },
    });
    expect(lower.json).toEqual({ subject: "alice", namespaces: ["team-a"], deploy: false });
  });

  test("unknown routes are 401 before 404, so they cannot be probed", async () => {
    expect((await call(secured, "GET", "/v2/nothing")).status).toBe(401);
    expect((await call(secured, "GET", "/v2/nothing", { token: BOB })).status).toBe(404);
  });

  test("health is open but shows details only to token holders", async () => {
    expect((await call(secured, "GET", "/v1/health")).json).toEqual({ ok: true, auth: "bearer" });
    expect((await call(secured, "GET", "/v1/health", { token: BOB })).json).toEqual({
      ok: true,
      db: ":memory:",
    });
    expect((await call(open, "GET", "/v1/health")).json).toEqual({ ok: true, db: ":memory:" });
  });

  test("x-aion-namespaces narrows a token's grants, never widens them", async () => {
    const narrowed = await call(secured, "GET", "/v1/whoami", {
      token: OPS,
      headers: { "x-aion-namespaces": " team-b , other" },
    });
    expect(narrowed.json).toEqual({
      subject: "ops",
      namespaces: ["other", "team-b"],
      deploy: true,
    });
    const widened = await call(secured, "GET", "/v1/whoami", {
      token: ALICE,
      headers: { "x-aion-namespaces": "team-a,team-b" },
    });
    expect(widened.json).toMatchObject({ namespaces: ["team-a"] });
    const denied = await call(secured, "GET", "/v1/workflows?namespace=team-a", {
      token: OPS,
      headers: { "x-aion-namespaces": "team-b" },
    });
    expect([denied.status, codeOf(denied)]).toEqual([403, "namespace_denied"]);
  });

  test("without tokens every caller is an operator labelled by x-aion-subject", async () => {
    const who = await call(open, "GET", "/v1/whoami", { headers: { "x-aion-subject": "me" } });
    expect(who.json).toEqual({ subject: "me", namespaces: "*", deploy: true });
  });
});

describe("namespaces and grants", () => {
  test("deploying needs the deploy grant; then each namespace runs its own workflows", async () => {
    const pkg = greeterPackage(1).bytes;
    const refused = await call(secured, "POST", "/v1/packages?name=g.aion", {
      token: ALICE,
      body: pkg,
    });
    expect([refused.status, codeOf(refused)]).toEqual([403, "deploy_denied"]);
    const rollback = await call(secured, "POST", "/v1/packages/greeter/rollback", {
      token: BOB,
      body: {},
    });
    expect([rollback.status, codeOf(rollback)]).toEqual([403, "deploy_denied"]);
    expect((await call(secured, "GET", "/v1/packages", { token: ALICE })).json).toEqual({
      versions: [],
    });
    const deployed = await call(secured, "POST", "/v1/packages?name=g.aion", {
      token: OPS,
      body: pkg,
    });
    expect(deployed.status).toBe(201);

    // Alice works in team-a: start, signal, result, describe, history, list.
    const start = await call(secured, "POST", "/v1/workflows?namespace=team-a", {
      token: ALICE,
      body: { type: "greeter", input: { name: "ann" }, id: "a-1" },
    });
    expect(start).toMatchObject({ status: 201, json: { workflowId: "a-1" } });
    const signal = await call(secured, "POST", "/v1/workflows/a-1/signals/go?namespace=team-a", {
      token: ALICE,
      body: { now: true },
    });
    expect(signal.status).toBe(202);
    const result = await call(
      secured,
      "GET",
      "/v1/workflows/a-1/result?wait=5000&namespace=team-a",
      {
        token: ALICE,
      },
    );
    expect(result).toMatchObject({ status: 200, json: { status: "Completed" } });
    const described = await call(secured, "GET", "/v1/workflows/a-1?namespace=team-a", {
      token: ALICE,
    });
    expect(described.json).toMatchObject({ workflowId: "a-1", namespace: "team-a" });
    const history = await call(secured, "GET", "/v1/workflows/a-1/history?namespace=team-a", {
      token: ALICE,
    });
    expect((history.json as { events: unknown[] }).events.length).toBeGreaterThan(2);

    // Bob starts in team-b; lists never cross namespaces.
    await call(secured, "POST", "/v1/workflows?namespace=team-b", {
      token: BOB,
      body: { type: "counter", id: "b-1" },
    });
    const ids = async (token: string, ns: string) =>
      (
        (await call(secured, "GET", `/v1/workflows?namespace=${ns}`, { token })).json as {
          workflows: { workflowId: string; namespace: string }[];
        }
      ).workflows.map((w) => `${w.namespace}/${w.workflowId}`);
    expect(await ids(ALICE, "team-a")).toEqual(["team-a/a-1"]);
    expect(await ids(BOB, "team-b")).toEqual(["team-b/b-1"]);
    expect(await ids(OPS, "default")).toEqual([]);

    // Query and cancel in team-b by its owner.
    const query = await call(secured, "POST", "/v1/workflows/b-1/queries/state?namespace=team-b", {
      token: BOB,
    });
    expect(query.status).toBe(200);
    const cancel = await call(secured, "POST", "/v1/workflows/b-1/cancel?namespace=team-b", {
      token: BOB,
      body: { reason: "done" },
    });
    expect(cancel.json).toEqual({ workflowId: "b-1", cancelled: true });
  });

  test("a namespace without a grant is 403 namespace_denied, on every route", async () => {
    const cases: [string, string, unknown][] = [
      ["POST", "/v1/workflows?namespace=team-b", { type: "counter" }],
      ["GET", "/v1/workflows?namespace=team-b", undefined],
      ["GET", "/v1/workflows", undefined],
      ["GET", "/v1/workflows/b-1?namespace=team-b", undefined],
      ["POST", "/v1/workflows/b-1/signals/cmd?namespace=team-b", "inc"],
      ["POST", "/v1/workflows/b-1/terminate?namespace=team-b", {}],
    ];
    for (const [method, path, body] of cases) {
      const r = await call(secured, method, path, { token: ALICE, body });
      expect([method, path, r.status, codeOf(r)]).toEqual([method, path, 403, "namespace_denied"]);
      expect((r.json as { error: { message: string } }).error.message).toContain("alice");
    }
  });

  test("a foreign workflow is answered exactly like a missing one (byte-identical 404)", async () => {
    // b-1 exists in team-b; Bob also holds 'shared', where neither b-1 nor nope-1 lives.
    const routes: [string, string, unknown][] = [
      ["GET", "", undefined],
      ["GET", "/history", undefined],
      ["GET", "/result", undefined],
      ["POST", "/signals/cmd", "inc"],
      ["POST", "/queries/state", null],
      ["POST", "/cancel", {}],
      ["POST", "/terminate", {}],
    ];
    for (const [method, suffix, body] of routes) {
      const foreign = await call(secured, method, `/v1/workflows/a-1${suffix}?namespace=team-b`, {
        token: BOB,
        body,
      });
      const missing = await call(
        secured,
        method,
        `/v1/workflows/nope-1${suffix}?namespace=team-b`,
        {
          token: BOB,
          body,
        },
      );
      const elsewhere = await call(secured, method, `/v1/workflows/b-1${suffix}?namespace=shared`, {
        token: BOB,
        body,
      });
      expect([suffix, foreign.status]).toEqual([suffix, 404]);
      expect(foreign.text).toBe(missing.text);
      expect(foreign.text).toBe(
        '{"error":{"code":"unknown-workflow","message":"workflow not found in namespace team-b"}}',
      );
      expect(elsewhere.text).toBe(
        '{"error":{"code":"unknown-workflow","message":"workflow not found in namespace shared"}}',
      );
    }
    // Nothing was done to the foreign workflow.
    const a1 = await call(secured, "GET", "/v1/workflows/a-1?namespace=team-a", { token: ALICE });
    expect(a1.json).toMatchObject({ status: "Completed" });
  });

  test("bad namespace names are 400", async () => {
    for (const ns of ["", "a%20b", "-x", "a,b"]) {
      const r = await call(secured, "GET", `/v1/workflows?namespace=${ns}`, { token: OPS });
      expect([ns, r.status, codeOf(r)]).toEqual([ns, 400, "bad-request"]);
    }
  });
});

describe("host and origin (DNS rebinding, CSRF)", () => {
  test("a foreign Host is refused; loopback names and allow-listed names pass", async () => {
    const ask = (server: ApiServer, host: string) =>
      rawRequest(server.port, head("GET", "/v1/whoami", { Host: host }));
    for (const host of [
      "evil.example",
      "evil.example:80",
      `attacker.test:${open.port}`,
      "127.0.0.2",
    ]) {
      const r = await ask(open, host);
      expect([host, r.status, JSON.parse(r.body).error.code]).toEqual([host, 403, "host_denied"]);
    }
    for (const host of [
      `localhost:${open.port}`,
      `127.0.0.1:${open.port}`,
      `[::1]:${open.port}`,
      "LOCALHOST",
    ]) {
      expect([host, (await ask(open, host)).status]).toEqual([host, 200]);
    }
    expect((await ask(open, "aion.internal")).status).toBe(403);
    expect((await ask(proxied, "aion.internal:443")).status).toBe(200);
    expect((await ask(proxied, "evil.example")).status).toBe(403);
    // The secured server checks Host too (it is on loopback), before the token.
    const r = await rawRequest(
      secured.port,
      head("GET", "/v1/whoami", { Host: "evil.example", Authorization: `Bearer ${OPS}` }),
    );
    expect(r.status).toBe(403);
  });

  test("a cross-origin text/plain POST is refused and changes nothing", async () => {
    await call(open, "POST", "/v1/workflows", { body: { type: "counter", id: "csrf-target" } });
    const evil = { origin: "http://evil.example" };
    const form = await fetch(`${open.url}/v1/workflows/csrf-target/cancel`, {
      method: "POST",
      headers: { ...evil, "content-type": "text/plain" },
      body: '{"reason":"x"}',
    });
    expect(form.status).toBe(403);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe("origin_denied");
    // The same without Origin (a non-browser, or an old browser): the content type refuses it.
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]) {
      const r = await fetch(`${open.url}/v1/workflows/csrf-target/cancel`, {
        method: "POST",
        headers: { "content-type": type },
        body: '{"reason":"x"}',
      });
      expect([type, r.status]).toEqual([type, 415]);
    }
    const bare = await fetch(`${open.url}/v1/workflows/csrf-target/cancel`, { method: "POST" });
    expect(bare.status).toBe(415);
    const still = await call(open, "GET", "/v1/workflows/csrf-target");
    expect(still.json).toMatchObject({ status: "Running" });
  });

  test("a foreign Origin is refused even with JSON; same-origin and absent pass", async () => {
    for (const origin of ["http://evil.example", "null", `http://localhost:${open.port + 1}`]) {
      const r = await call(open, "POST", "/v1/workflows", {
        body: { type: "counter" },
        headers: { origin },
      });
      expect([origin, r.status, codeOf(r)]).toEqual([origin, 403, "origin_denied"]);
    }
    const same = await call(open, "POST", "/v1/workflows", {
      body: { type: "counter", id: "same-origin" },
      headers: { origin: open.url },
    });
    expect(same.status).toBe(201);
    // GETs are not screened for Origin (they change nothing).
    expect(
      (await call(open, "GET", "/v1/workflows", { headers: { origin: "http://evil.example" } }))
        .status,
    ).toBe(200);
  });

  test("a package upload needs the package content type", async () => {
    const r = await fetch(`${open.url}/v1/packages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: greeterPackage(2).bytes,
    });
    expect(r.status).toBe(415);
  });
});

describe("limits", () => {
  const big = MAX_JSON_BODY_BYTES + 1;

  test("a declared Content-Length over 2 MiB is 413 before the body is read", async () => {
    const r = await rawRequest(
      open.port,
      head("POST", "/v1/workflows", {
        Host: "localhost",
        "Content-Type": "application/json",
        "Content-Length": String(big),
      }),
    );
    expect([r.status, JSON.parse(r.body).error.code]).toEqual([413, "body_too_large"]);
  });

  test("a chunked body without Content-Length is counted and cut at 2 MiB", async () => {
    const piece = new Uint8Array(256 * 1024).fill(0x20);
    const parts: Uint8Array[] = [];
    for (let sent = 0; sent < big; sent += piece.byteLength) parts.push(chunk(piece));
    const r = await rawRequest(
      open.port,
      head("POST", "/v1/workflows", {
        Host: "localhost",
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
      }),
      [...parts, LAST_CHUNK],
    );
    expect([r.status, JSON.parse(r.body).error.code]).toEqual([413, "body_too_large"]);
    // Just under the limit is read in full (and then judged on its content).
    const small = await rawRequest(
      open.port,
      head("POST", "/v1/workflows", {
        Host: "localhost",
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
      }),
      [
        chunk(new TextEncoder().encode('{"type":')),
        chunk(new TextEncoder().encode('"counter","id":"chunked"}')),
        LAST_CHUNK,
      ],
    );
    expect(small.status).toBe(201);
  });

  test("bad ids and names are 400", async () => {
    const long = "x".repeat(1025);
    const cases: [string, string, unknown][] = [
      ["GET", `/v1/workflows/${long}`, undefined],
      ["GET", "/v1/workflows/a%01b", undefined],
      ["GET", "/v1/workflows/a%7Fb", undefined],
      ["GET", "/v1/workflows/%E0%A4%A", undefined],
      ["POST", "/v1/workflows/csrf-target/signals/a%0Ab", null],
      ["POST", "/v1/workflows", { type: "counter", id: long }],
      ["POST", "/v1/workflows", { type: "counter", id: "line\nbreak" }],
      ["POST", "/v1/workflows", { type: "counter", id: "" }],
      ["POST", "/v1/workflows", { type: "count\u0000er" }],
    ];
    for (const [method, path, body] of cases) {
      const r = await call(open, method, path, { body });
      expect([path.slice(0, 40), r.status, codeOf(r)]).toEqual([
        path.slice(0, 40),
        400,
        "bad-request",
      ]);
    }
    // 1,024 characters is still fine (and simply unknown).
    expect((await call(open, "GET", `/v1/workflows/${"x".repeat(1024)}`)).status).toBe(404);
  });
});

describe("configuration", () => {
  test("a non-loopback bind without tokens is refused before binding", () => {
    const ctx = { engine: d.engine, deployments: d.deployments };
    for (const host of ["0.0.0.0", "::", "192.0.2.1", "example.com"]) {
      expect(() => serveApi(ctx, { host, port: 0 })).toThrow(InsecureBindError);
    }
    // With tokens it is allowed (not bound here: tested through the policy alone).
    const s = serveApi(ctx, { host: "127.0.0.1", tokens: TOKENS });
    expect(s.security.loopback).toBe(true);
    return s.stop();
  });

  test("token files are checked and errors name the entry", () => {
    const bad: [unknown, string][] = [
      [[], "$"],
      [{ tokens: [] }, "tokens"],
      [{ tokens: [{ token: "short", namespaces: "*" }] }, "tokens[0].token"],
      [{ tokens: [{ token: "has a space 0123456", namespaces: "*" }] }, "tokens[0].token"],
      [{ tokens: [{ token: OPS, namespaces: [] }] }, "tokens[0].namespaces"],
      [{ tokens: [{ token: OPS, namespaces: ["ok", "not ok"] }] }, "tokens[0].namespaces[1]"],
      [{ tokens: [{ token: OPS, namespaces: "*", deploy: "yes" }] }, "tokens[0].deploy"],
      [{ tokens: [{ token: OPS, namespaces: "*", admin: true }] }, "tokens[0].admin"],
      [
        {
          tokens: [
            { token: OPS, namespaces: "*" },
            { token: OPS, namespaces: ["a"] },
          ],
        },
        "tokens[1].token",
      ],
    ];
    for (const [doc, path] of bad) {
      let error: unknown;
      try {
        TokenSet.parse(JSON.stringify(doc), "f.json");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TokenConfigError);
      expect([path, (error as TokenConfigError).path]).toEqual([path, path]);
      expect((error as Error).message.startsWith(`f.json: ${path}: `)).toBe(true);
    }
    expect(() => TokenSet.parse("{nope", "f.json")).toThrow(/f\.json: \$: not JSON/);
  });
});
