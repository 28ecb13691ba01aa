/**
 * The HTTP/JSON API over an engine with deploys: one function from `Request`
 * to `Response`, independent of the server, so it can be mounted anywhere.
 * Routes are listed in docs/cli.md ("aion serve").
 */
import type { Deployments } from "../deploy/index.ts";
import type { Engine } from "../engine.ts";
import type { WorkflowOutcome } from "../outcome.ts";
import type { WorkflowFilter } from "../store/index.ts";
import { ApiError, describeError } from "./errors.ts";
import { intParam, jsonBody, objectBody, optionalString, parseStatus } from "./request.ts";
import { wireHistory, wireValue } from "./wire.ts";

/** What the API serves. */
export interface ApiContext {
  readonly engine: Engine;
  readonly deployments: Deployments;
  /** Reported by `GET /v1/health` (e.g. the database path). */
  readonly info?: Readonly<Record<string, unknown>>;
}

/** Longest `wait` of a result request, so no request hangs forever. */
export const MAX_RESULT_WAIT_MS = 60_000;

type Handler = (req: Request, url: URL, params: readonly string[]) => Promise<Response>;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** Builds the request handler. */
export function apiHandler(ctx: ApiContext): (req: Request) => Promise<Response> {
  const { engine, deployments } = ctx;
  const routes: [string, RegExp, Handler][] = [
    ["GET", /^\/v1\/health$/, async () => json(200, { ok: true, ...ctx.info })],
    ["GET", /^\/v1\/packages$/, async () => json(200, { versions: await deployments.versions() })],
    [
      "POST",
      /^\/v1\/packages$/,
      async (req, url) => {
        const bytes = new Uint8Array(await req.arrayBuffer());
        const name = url.searchParams.get("name") ?? "upload.aion";
        const activate = url.searchParams.get("activate") !== "false";
        return json(201, await deployments.deploy(bytes, name, { activate }));
      },
    ],
    [
      "POST",
      /^\/v1\/packages\/([^/]+)\/rollback$/,
      async (req, _url, [type]) => {
        const version = optionalString(await objectBody(req), "version");
        return json(200, {
          workflowType: type,
          version: await deployments.rollback(type!, version),
        });
      },
    ],
    [
      "POST",
      /^\/v1\/workflows$/,
      async (req) => {
        const body = await objectBody(req);
        const type = optionalString(body, "type");
        if (type === undefined) throw new ApiError(400, "bad-request", "'type' is required");
        const workflowId = optionalString(body, "id");
        const id = await deployments.start(
          type,
          body.input ?? null,
          workflowId ? { workflowId } : {},
        );
        return json(201, { workflowId: id });
      },
    ],
    [
      "GET",
      /^\/v1\/workflows$/,
      async (_req, url) => {
        const filter: { -readonly [K in keyof WorkflowFilter]: WorkflowFilter[K] } = {};
        const status = url.searchParams.get("status");
        if (status) filter.status = parseStatus(status);
        const type = url.searchParams.get("type");
        if (type) filter.workflowType = type;
        const limit = intParam(url, "limit", 10_000);
        if (limit !== undefined) filter.limit = limit;
        return json(200, { workflows: wireValue(await engine.list(filter)) });
      },
    ],
    [
      "GET",
      /^\/v1\/workflows\/([^/]+)$/,
      async (_req, _url, [id]) => json(200, wireValue(await engine.describe(id!))),
    ],
    [
      "GET",
      /^\/v1\/workflows\/([^/]+)\/history$/,
      async (_req, _url, [id]) => {
        await engine.describe(id!); // 404 for an unknown id rather than an empty list
        return json(200, { events: wireHistory(await engine.history(id!)) });
      },
    ],
    [
      "GET",
      /^\/v1\/workflows\/([^/]+)\/result$/,
      async (_req, url, [id]) => {
        const wait = intParam(url, "wait", MAX_RESULT_WAIT_MS) ?? 0;
        const outcome = await waitFor(engine.result(id!), wait);
        return outcome === undefined
          ? json(202, { workflowId: id, status: "Running" })
          : json(200, { workflowId: id, ...(wireValue(outcome) as object) });
      },
    ],
    [
      "POST",
      /^\/v1\/workflows\/([^/]+)\/signals\/([^/]+)$/,
      async (req, _url, [id, name]) => {
        // An Idempotency-Key makes a retried request deliver the signal once.
        const key = req.headers.get("idempotency-key");
        await engine.signal(id!, name!, await jsonBody(req), key ? { signalId: key } : {});
        return json(202, { workflowId: id, signal: name });
      },
    ],
    [
      "POST",
      /^\/v1\/workflows\/([^/]+)\/queries\/([^/]+)$/,
      async (req, url, [id, name]) => {
        const timeoutMs = intParam(url, "timeout", MAX_RESULT_WAIT_MS);
        const result = await engine.query(
          id!,
          name!,
          await jsonBody(req),
          timeoutMs ? { timeoutMs } : {},
        );
        return json(200, { workflowId: id, query: name, result });
      },
    ],
    [
      "POST",
      /^\/v1\/workflows\/([^/]+)\/(cancel|terminate)$/,
      async (req, _url, [id, action]) => {
        const reason = optionalString(await objectBody(req), "reason");
        if (action === "cancel") await engine.cancel(id!, reason);
        else await engine.terminate(id!, reason);
        return json(200, {
          workflowId: id,
          [action === "cancel" ? "cancelled" : "terminated"]: true,
        });
      },
    ],
  ];
  return async (req) => {
    const url = new URL(req.url);
    try {
      let pathMatched = false;
      for (const [method, pattern, handle] of routes) {
        const m = pattern.exec(url.pathname);
        if (m === null) continue;
        pathMatched = true;
        if (method !== req.method) continue;
        return await handle(req, url, m.slice(1).map(decodeURIComponent));
      }
      throw pathMatched
        ? new ApiError(405, "method-not-allowed", `${req.method} is not allowed on ${url.pathname}`)
        : new ApiError(404, "not-found", `no route ${req.method} ${url.pathname}`);
    } catch (e) {
      const { status, body } = describeError(e);
      return json(status, { error: body });
    }
  };
}

/** The outcome if it arrives within `ms`, else undefined. */
async function waitFor(
  p: Promise<WorkflowOutcome>,
  ms: number,
): Promise<WorkflowOutcome | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
