/**
 * The original callers' routes (`POST /workflows/{start,signal,query,cancel,
 * list,describe}`), mounted beside `/v1` on the same server. Request and
 * reply shapes, codes and statuses are the original server's
 * (docs/api.md, "The original callers' API"); identity is this server's
 * tokens and namespaces (docs/security.md). Each request is checked in the
 * original's order: Host/Origin screening, authentication (401), the body
 * (415/413/400/422, plain text), ids (400), the namespace grant (403),
 * workflow ownership (404, the same bytes for unknown and foreign ids).
 */
import type { Deployments } from "../../deploy/index.ts";
import type { Engine } from "../../engine.ts";
import type { WorkflowStatus } from "../../events/index.ts";
import { NAMESPACE_PATTERN, type WorkflowFilter } from "../../store/index.ts";
import { type Caller, mayUseNamespace } from "../caller.ts";
import { ApiError } from "../errors.ts";
import { jsonText } from "../json-text.ts";
import { authenticate, type HttpSecurity, screen } from "../security.ts";
import {
  type Body,
  checkRunId,
  checkWorkflowId,
  optionalBool,
  optionalString,
  payloadOf,
  readCallerBody,
  requiredString,
} from "./body.ts";
import { BodyRejection, CallerApiError, toWireError, workflowNotFound } from "./errors.ts";
import { parseRfc3339, WIRE_STATUSES, wireEvent, wireSummary } from "./wire.ts";

/** What the original routes serve. */
export interface CallerApiContext {
  readonly engine: Engine;
  readonly deployments: Deployments;
  readonly security: HttpSecurity;
  /** Server-side deadline of queries (the original's `runtime.query_timeout_ms`). Default 10000. */
  readonly queryTimeoutMs?: number;
}

/** Default server deadline of a query. */
export const DEFAULT_CALLER_QUERY_TIMEOUT_MS = 10_000;

/** The paths this API answers. */
export const CALLER_ROUTE_PATHS: ReadonlySet<string> = new Set([
  "/workflows/start",
  "/workflows/signal",
  "/workflows/query",
  "/workflows/cancel",
  "/workflows/list",
  "/workflows/describe",
]);

function jsonResponse(status: number, body: unknown): Response {
  return new Response(jsonText(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The checked target of a workflow-addressed request. */
interface Target {
  readonly namespace: string;
  readonly workflowId: string;
  /** The requested run when it is not the latest one. */
  readonly olderRun: boolean;
}

/** @throws CallerApiError namespace_denied */
function checkGrant(caller: Caller, namespace: string): void {
  if (namespace !== "" && NAMESPACE_PATTERN.test(namespace) && mayUseNamespace(caller, namespace)) {
    return;
  }
  throw new CallerApiError(
    "namespace_denied",
    `subject ${caller.subject} not authorized for namespace ${namespace}; ` +
      "add it to the bearer token's namespaces (x-aion-namespaces can only narrow them)",
  );
}

/**
 * Ownership: the workflow exists in `namespace`, and `runId` (when given) is
 * one of its runs. @throws CallerApiError not_found (anti-leak)
 */
async function checkOwner(
  engine: Engine,
  namespace: string,
  workflowId: string,
  runId: string | undefined,
): Promise<Target> {
  const d = await engine.store.describe(workflowId);
  if (d === undefined || d.namespace !== namespace) throw workflowNotFound(namespace);
  if (runId === undefined || runId === d.runId) {
    return { namespace, workflowId, olderRun: false };
  }
  const chain = await engine.store.readRunChain(workflowId);
  if (!chain.some((r) => r.runId === runId)) throw workflowNotFound(namespace);
  return { namespace, workflowId, olderRun: true };
}

/** The fields every workflow-addressed request carries, typed (422) then checked (400). */
function addressed(body: Body): { namespace: string; workflowId: string; runId?: string } {
  const namespace = requiredString(body, "namespace");
  const workflowId = requiredString(body, "workflow_id");
  const runId = optionalString(body, "run_id");
  return { namespace, workflowId, ...(runId !== undefined ? { runId } : {}) };
}

function notRunning(workflowId: string): CallerApiError {
  return new CallerApiError("not_running", `workflow ${workflowId}: the requested run has ended`);
}

/** Codes a query answers inside a 200 body rather than as an HTTP error. */
const QUERY_REPLY_CODES = new Set([
  "unknown_query",
  "query_timeout",
  "not_running",
  "query_failed",
]);

/** A list filter's optional non-negative integer. @throws BodyRejection 422 */
function count(filter: Body, key: string): number | undefined {
  const v = filter[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new BodyRejection(
      422,
      `Failed to deserialize the JSON body into the target type: filter.${key}: expected a non-negative integer`,
    );
  }
  return v;
}

/** A list filter's time bound. @throws CallerApiError invalid_input */
function time(filter: Body, key: string): number | undefined {
  const raw = optionalString(filter, key);
  if (raw === undefined) return undefined;
  const ms = parseRfc3339(raw);
  if (ms === undefined) {
    throw new CallerApiError(
      "invalid_input",
      `filter.${key}: '${raw.slice(0, 64)}' is not RFC 3339`,
    );
  }
  return ms;
}

/** `[after, before]` as the store's half-open range (after is exclusive). */
function range(
  after: number | undefined,
  before: number | undefined,
): { from?: number; to?: number } {
  return {
    ...(after !== undefined ? { from: after + 1 } : {}),
    ...(before !== undefined ? { to: before } : {}),
  };
}

type Handler = (ctx: CallerApiContext, caller: Caller, body: Body) => Promise<Response>;

const HANDLERS: Readonly<Record<string, Handler>> = {
  "/workflows/start": async (ctx, caller, body) => {
    const namespace = requiredString(body, "namespace");
    const type = requiredString(body, "workflow_type");
    optionalString(body, "routing_key");
    optionalString(body, "task_queue");
    checkGrant(caller, namespace);
    if (!("input" in body)) throw new CallerApiError("backend", "start request without input");
    if (type === "") throw new CallerApiError("invalid_input", "workflow_type is empty");
    const input = payloadOf(body.input, "input");
    const id = await ctx.deployments.start(type, input, { namespace });
    const first = await ctx.engine.store.readHistoryFrom(id, 1);
    const started = first.find((e) => e.event.kind === "WorkflowStarted");
    const runId = started?.event.kind === "WorkflowStarted" ? started.event.runId : "";
    return jsonResponse(200, { workflow_id: id, run_id: runId });
  },

  "/workflows/signal": async (ctx, caller, body) => {
    const a = addressed(body);
    const name = requiredString(body, "signal_name");
    checkWorkflowId(a.workflowId);
    const runId = checkRunId(a.runId);
    checkGrant(caller, a.namespace);
    const t = await checkOwner(ctx.engine, a.namespace, a.workflowId, runId);
    if (!("payload" in body)) throw new CallerApiError("backend", "signal request without payload");
    if (t.olderRun) throw notRunning(t.workflowId);
    await ctx.engine.signal(t.workflowId, name, payloadOf(body.payload, "payload"));
    return jsonResponse(200, {});
  },

  "/workflows/query": async (ctx, caller, body) => {
    const a = addressed(body);
    const name = requiredString(body, "query_name");
    checkWorkflowId(a.workflowId);
    const runId = checkRunId(a.runId);
    checkGrant(caller, a.namespace);
    const t = await checkOwner(ctx.engine, a.namespace, a.workflowId, runId);
    try {
      if (t.olderRun) throw notRunning(t.workflowId);
      const status = (await ctx.engine.store.describe(t.workflowId))?.status;
      if (status !== "Running") throw notRunning(t.workflowId);
      const result = await ctx.engine.query(t.workflowId, name, null, {
        timeoutMs: ctx.queryTimeoutMs ?? DEFAULT_CALLER_QUERY_TIMEOUT_MS,
      });
      return jsonResponse(200, { result });
    } catch (e) {
      const w = toWireError(e);
      if (QUERY_REPLY_CODES.has(w.code)) return jsonResponse(200, { error: w.body });
      throw w;
    }
  },

  "/workflows/cancel": async (ctx, caller, body) => {
    const a = addressed(body);
    const reason = optionalString(body, "reason") ?? "";
    checkWorkflowId(a.workflowId);
    const runId = checkRunId(a.runId);
    checkGrant(caller, a.namespace);
    const t = await checkOwner(ctx.engine, a.namespace, a.workflowId, runId);
    if (t.olderRun) throw notRunning(t.workflowId);
    await ctx.engine.cancel(t.workflowId, reason);
    return jsonResponse(200, {});
  },

  "/workflows/list": async (ctx, caller, body) => {
    const namespace = requiredString(body, "namespace");
    const raw = body.filter ?? {};
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new BodyRejection(
        422,
        "Failed to deserialize the JSON body into the target type: filter: expected an object",
      );
    }
    const f = raw as Body;
    const type = optionalString(f, "workflow_type");
    const status = optionalString(f, "status");
    const limit = count(f, "limit");
    const offset = count(f, "offset") ?? 0;
    const started = range(time(f, "started_after"), time(f, "started_before"));
    const closed = range(time(f, "closed_after"), time(f, "closed_before"));
    if (status !== undefined && !(WIRE_STATUSES as readonly string[]).includes(status)) {
      throw new CallerApiError(
        "invalid_input",
        `filter.status '${status.slice(0, 64)}' is not one of ${WIRE_STATUSES.join(", ")}`,
      );
    }
    checkGrant(caller, namespace);
    // No workflow here is ever Paused.
    if (status === "Paused") return jsonResponse(200, { summaries: [] });
    const filter: WorkflowFilter = {
      namespace,
      ...(type !== undefined ? { workflowType: type } : {}),
      ...(status !== undefined ? { status: status as WorkflowStatus } : {}),
      ...(Object.keys(started).length > 0 ? { startTime: started } : {}),
      ...(Object.keys(closed).length > 0 ? { closeTime: closed } : {}),
      ...(limit !== undefined ? { limit: Math.min(limit, Number.MAX_SAFE_INTEGER) } : {}),
      // The contract pages by offset only (no cursor): the store skips the
      // first `offset` matches in the database and returns just the page,
      // so a request reads `offset + limit` index entries and builds
      // `limit` summaries, never the whole namespace.
      ...(offset > 0 ? { offset } : {}),
    };
    // limit 0 asks for nothing (the store's limit is at least 1), and no
    // namespace holds more than 2^53 workflows to skip.
    if (limit === 0 || offset > Number.MAX_SAFE_INTEGER) {
      return jsonResponse(200, { summaries: [] });
    }
    const page = await ctx.engine.list(filter);
    return jsonResponse(200, { summaries: page.map((s) => wireSummary(s)) });
  },

  "/workflows/describe": async (ctx, caller, body) => {
    const a = addressed(body);
    const includeHistory = optionalBool(body, "include_history") ?? false;
    checkWorkflowId(a.workflowId);
    const runId = checkRunId(a.runId);
    checkGrant(caller, a.namespace);
    const t = await checkOwner(ctx.engine, a.namespace, a.workflowId, runId);
    const d = await ctx.engine.describe(t.workflowId);
    const history =
      includeHistory || d.status === "Failed" ? await ctx.engine.history(t.workflowId) : [];
    let failureReason: string | undefined;
    if (d.status === "Failed") {
      const last = history[history.length - 1]?.event;
      if (last?.kind === "WorkflowFailed") failureReason = last.error.message;
    }
    return jsonResponse(200, {
      summary: wireSummary(d, failureReason),
      history: includeHistory ? history.map((e) => wireEvent(t.workflowId, e)) : [],
    });
  },
};

/** Authenticates as the original does: 401 with an empty body. */
function authenticateCaller(security: HttpSecurity, req: Request): Caller {
  try {
    return authenticate(security, req);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw e;
    throw new CallerApiError("invalid_input", e instanceof Error ? e.message : String(e));
  }
}

/** The response for anything thrown while handling a request. */
export function callerErrorResponse(e: unknown): Response {
  if (e instanceof BodyRejection) {
    return new Response(e.message, {
      status: e.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  if (e instanceof ApiError && e.status === 401) {
    return new Response(null, {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="aion"' },
    });
  }
  if (e instanceof ApiError && e.status === 403) {
    // Host and Origin screening: this server's own codes, in the original's body shape.
    return jsonResponse(403, { code: e.code, message: e.message });
  }
  const w = toWireError(e);
  return jsonResponse(w.status, w.body);
}

/**
 * The handler of the original routes; undefined for a path it does not
 * serve (the caller then tries its other routes).
 */
export function callerApiHandler(
  ctx: CallerApiContext,
): (req: Request, url: URL) => Promise<Response> | undefined {
  return (req, url) => {
    const handler = HANDLERS[url.pathname];
    if (handler === undefined) return undefined;
    return (async () => {
      try {
        screen(ctx.security, req);
        const caller = authenticateCaller(ctx.security, req);
        if (req.method !== "POST") {
          return new Response(null, { status: 405, headers: { allow: "POST" } });
        }
        const body = await readCallerBody(req);
        return await handler(ctx, caller, body);
      } catch (e) {
        return callerErrorResponse(e);
      }
    })();
  };
}
