/**
 * The HTTP/JSON API over an engine with deploys: one function from `Request`
 * to `Response`, independent of the server, so it can be mounted anywhere.
 * Routes are listed in docs/cli.md ("The HTTP/JSON API"); what is checked,
 * in which order, is in docs/security.md ("HTTP API") and `dispatch` below.
 */
import type { Deployments } from "../deploy/index.ts";
import type { Engine } from "../engine.ts";
import type { WorkflowOutcome } from "../outcome.ts";
import { DEFAULT_NAMESPACE, NAMESPACE_PATTERN, type WorkflowFilter } from "../store/index.ts";
import { type Caller, callerJson, mayUseNamespace } from "./caller.ts";
import { ApiError, describeError } from "./errors.ts";
import { historyAfter } from "./history-poll.ts";
import { jsonText } from "./json-text.ts";
import {
  checkRequestName,
  MAX_JSON_BODY_BYTES,
  MAX_PACKAGE_BODY_BYTES,
  readBoundedBody,
} from "./limits.ts";
import { decodePageToken, encodePageToken } from "./page-token.ts";
import { intParam, optionalString, parseStatus } from "./request.ts";
import { authenticate, type HttpSecurity, httpSecurity, screen } from "./security.ts";
import { wireHistory, wireValue } from "./wire.ts";

/** What the API serves. */
export interface ApiContext {
  readonly engine: Engine;
  readonly deployments: Deployments;
  /** Reported by `GET /v1/health` to authenticated callers (e.g. the database path). */
  readonly info?: Readonly<Record<string, unknown>>;
  /** Host, origin and token rules; default: loopback without tokens. */
  readonly security?: HttpSecurity;
}

/** Longest `wait` of a result request, so no request hangs forever. */
export const MAX_RESULT_WAIT_MS = 60_000;

/** Media types a package upload may declare (a `.aion` file is a zip archive). */
export const PACKAGE_CONTENT_TYPES: readonly string[] = [
  "application/vnd.aion.package",
  "application/octet-stream",
];

/**
 * What a route needs before its handler runs. `open`: nothing (health);
 * `caller`: any authenticated caller; `deploy`: the deploy grant;
 * `namespace`: a grant for the request's namespace; `workflow`: that grant
 * and a workflow (the first path parameter) owned by that namespace.
 */
type Access = "open" | "caller" | "deploy" | "namespace" | "workflow";

/** How the body is read: not at all, as JSON (2 MiB), or as package bytes (64 MiB). */
type BodyKind = "none" | "json" | "package";

/** A request that passed every check, as a handler sees it. */
interface Admitted {
  readonly req: Request;
  readonly url: URL;
  /** Decoded, checked path parameters. */
  readonly params: readonly string[];
  /** Parsed JSON (null when empty) for `json` routes, bytes for `package` routes. */
  readonly body: unknown;
  /** The request's namespace (`?namespace=`, default `default`). */
  readonly namespace: string;
  /** Undefined only on `open` routes when no valid token was presented. */
  readonly caller: Caller | undefined;
}

interface Route {
  readonly method: "GET" | "POST";
  readonly pattern: RegExp;
  /** What each path parameter is, for error messages. */
  readonly paramNames: readonly string[];
  readonly access: Access;
  readonly body: BodyKind;
  readonly handle: (a: Admitted) => Promise<Response>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(jsonText(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The JSON body as an object ({} when empty). @throws ApiError 400 */
function objectOf(body: unknown): Record<string, unknown> {
  if (body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, "bad-request", "request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** The route table. */
function routes(ctx: ApiContext): Route[] {
  const { engine, deployments } = ctx;
  return [
    {
      method: "GET",
      pattern: /^\/v1\/health$/,
      paramNames: [],
      access: "open",
      body: "none",
      // Details (database path, pid) only for callers the server would admit.
      handle: async (a) =>
        json(
          200,
          a.caller === undefined ? { ok: true, auth: "bearer" } : { ok: true, ...ctx.info },
        ),
    },
    {
      method: "GET",
      pattern: /^\/v1\/whoami$/,
      paramNames: [],
      access: "caller",
      body: "none",
      handle: async (a) => json(200, callerJson(a.caller!)),
    },
    {
      method: "GET",
      pattern: /^\/v1\/packages$/,
      paramNames: [],
      access: "caller",
      body: "none",
      handle: async () => json(200, { versions: await deployments.versions() }),
    },
    {
      method: "POST",
      pattern: /^\/v1\/packages$/,
      paramNames: [],
      access: "deploy",
      body: "package",
      handle: async (a) => {
        const name = a.url.searchParams.get("name") ?? "upload.aion";
        const activate = a.url.searchParams.get("activate") !== "false";
        return json(201, await deployments.deploy(a.body as Uint8Array, name, { activate }));
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/packages\/([^/]+)\/rollback$/,
      paramNames: ["workflow type"],
      access: "deploy",
      body: "json",
      handle: async (a) => {
        const [type] = a.params;
        const version = optionalString(objectOf(a.body), "version");
        return json(200, {
          workflowType: type,
          version: await deployments.rollback(type!, version),
        });
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/workflows$/,
      paramNames: [],
      access: "namespace",
      body: "json",
      handle: async (a) => {
        const body = objectOf(a.body);
        const type = optionalString(body, "type");
        if (type === undefined) throw new ApiError(400, "bad-request", "'type' is required");
        checkRequestName(type, "workflow type");
        const workflowId = optionalString(body, "id");
        if (workflowId !== undefined) checkRequestName(workflowId, "workflow id");
        const id = await deployments.start(type, body.input ?? null, {
          namespace: a.namespace,
          ...(workflowId !== undefined ? { workflowId } : {}),
        });
        return json(201, { workflowId: id });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/workflows$/,
      paramNames: [],
      access: "namespace",
      body: "none",
      handle: async (a) => {
        const filter: { -readonly [K in keyof WorkflowFilter]: WorkflowFilter[K] } = {
          namespace: a.namespace,
        };
        const status = a.url.searchParams.get("status");
        if (status) filter.status = parseStatus(status);
        const type = a.url.searchParams.get("type");
        if (type) filter.workflowType = type;
        const cursor = a.url.searchParams.get("cursor");
        if (cursor) {
          const token = decodePageToken(cursor, "cursor");
          filter.order = token.order;
          filter.after = token.after;
        }
        const limit = intParam(a.url, "limit", 10_000);
        // One row more than asked for says whether a next page exists.
        if (limit !== undefined) filter.limit = limit > 0 ? limit + 1 : limit;
        const found = await engine.list(filter);
        const page = limit === undefined ? found : found.slice(0, limit);
        const last = page[page.length - 1];
        const next =
          limit !== undefined && found.length > limit && last !== undefined
            ? encodePageToken(filter.order ?? "asc", last)
            : null;
        return json(200, { workflows: wireValue(page), next });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/workflows\/([^/]+)$/,
      paramNames: ["workflow id"],
      access: "workflow",
      body: "none",
      handle: async (a) => json(200, wireValue(await engine.describe(a.params[0]!))),
    },
    {
      method: "GET",
      pattern: /^\/v1\/workflows\/([^/]+)\/history$/,
      paramNames: ["workflow id"],
      access: "workflow",
      body: "none",
      handle: async (a) => {
        const id = a.params[0]!;
        const after = intParam(a.url, "after", Number.MAX_SAFE_INTEGER - 1);
        if (after === undefined)
          return json(200, { events: wireHistory(await engine.history(id)) });
        // A long poll: the events after `after`, waiting up to `wait` ms for one.
        const wait = intParam(a.url, "wait", MAX_RESULT_WAIT_MS) ?? 0;
        const events = await historyAfter(engine, id, after, wait, a.req.signal);
        return json(200, { events: wireHistory(events) });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/workflows\/([^/]+)\/result$/,
      paramNames: ["workflow id"],
      access: "workflow",
      body: "none",
      handle: async (a) => {
        const id = a.params[0]!;
        const wait = intParam(a.url, "wait", MAX_RESULT_WAIT_MS) ?? 0;
        const outcome = await waitFor(engine.result(id), wait);
        return outcome === undefined
          ? json(202, { workflowId: id, status: "Running" })
          : json(200, { workflowId: id, ...(wireValue(outcome) as object) });
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/workflows\/([^/]+)\/signals\/([^/]+)$/,
      paramNames: ["workflow id", "signal name"],
      access: "workflow",
      body: "json",
      handle: async (a) => {
        const [id, name] = a.params;
        // An Idempotency-Key makes a retried request deliver the signal once.
        const key = a.req.headers.get("idempotency-key");
        if (key !== null) checkRequestName(key, "Idempotency-Key");
        await engine.signal(id!, name!, a.body, key ? { signalId: key } : {});
        return json(202, { workflowId: id, signal: name });
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/workflows\/([^/]+)\/queries\/([^/]+)$/,
      paramNames: ["workflow id", "query name"],
      access: "workflow",
      body: "json",
      handle: async (a) => {
        const [id, name] = a.params;
        const timeoutMs = intParam(a.url, "timeout", MAX_RESULT_WAIT_MS);
        const result = await engine.query(id!, name!, a.body, timeoutMs ? { timeoutMs } : {});
        return json(200, { workflowId: id, query: name, result });
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/workflows\/([^/]+)\/(cancel|terminate)$/,
      paramNames: ["workflow id", "action"],
      access: "workflow",
      body: "json",
      handle: async (a) => {
        const [id, action] = a.params;
        const reason = optionalString(objectOf(a.body), "reason");
        if (action === "cancel") await engine.cancel(id!, reason);
        else await engine.terminate(id!, reason);
        return json(200, {
          workflowId: id,
          [action === "cancel" ? "cancelled" : "terminated"]: true,
        });
      },
    },
  ];
}

/** The media type of a request, lower-case without parameters ("" when absent). */
function mediaType(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Checks the declared content type, then reads and parses the body. */
async function readBody(route: Route, req: Request): Promise<unknown> {
  if (route.method === "GET") return null;
  const type = mediaType(req);
  if (route.body === "package") {
    if (!PACKAGE_CONTENT_TYPES.includes(type)) {
      throw new ApiError(
        415,
        "unsupported_media_type",
        `a package upload needs content-type ${PACKAGE_CONTENT_TYPES.join(" or ")}`,
      );
    }
    return readBoundedBody(req, MAX_PACKAGE_BODY_BYTES);
  }
  // Also for an empty body: a cross-site form or text/plain POST can carry
  // none and must not reach the route (cancel takes no body at all).
  if (type !== "application/json") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "this request needs content-type application/json",
    );
  }
  const bytes = await readBoundedBody(req, MAX_JSON_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "bad-json", "request body is not UTF-8");
  }
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "bad-json", `request body is not JSON: ${(e as Error).message}`);
  }
}

/** Path parameters, decoded and checked. @throws ApiError 400 */
function pathParams(route: Route, match: RegExpExecArray): string[] {
  return match.slice(1).map((raw, i) => {
    const what = route.paramNames[i] ?? "path parameter";
    let v: string;
    try {
      v = decodeURIComponent(raw);
    } catch {
      throw new ApiError(400, "bad-request", `${what} is not valid percent-encoding`);
    }
    return checkRequestName(v, what);
  });
}

/** `?namespace=`, default `default`. @throws ApiError 400 */
function requestNamespace(url: URL): string {
  const ns = url.searchParams.get("namespace") ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE_PATTERN.test(ns)) {
    throw new ApiError(
      400,
      "bad-request",
      "namespace must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  return ns;
}

/**
 * The one answer for a workflow the caller may not see, whether it does not
 * exist or lives in another namespace: byte-identical, so a caller cannot
 * probe other namespaces' ids.
 */
function notInNamespace(namespace: string): ApiError {
  return new ApiError(404, "unknown-workflow", `workflow not found in namespace ${namespace}`);
}

/** Checks the grant (and ownership) a route needs. @throws ApiError 403, 404 */
async function authorize(
  ctx: ApiContext,
  route: Route,
  caller: Caller,
  namespace: string,
  params: readonly string[],
): Promise<void> {
  if (route.access === "deploy" && !caller.deploy) {
    throw new ApiError(
      403,
      "deploy_denied",
      `subject ${caller.subject} may not deploy; give its token "deploy": true`,
    );
  }
  if (route.access !== "namespace" && route.access !== "workflow") return;
  if (!mayUseNamespace(caller, namespace)) {
    throw new ApiError(
      403,
      "namespace_denied",
      `subject ${caller.subject} not authorized for namespace ${namespace}; ` +
        "add it to the token's namespaces (x-aion-namespaces can only narrow them)",
    );
  }
  if (route.access === "workflow") {
    const owner = await ctx.engine.store.describe(params[0]!);
    if (owner === undefined || owner.namespace !== namespace) throw notInNamespace(namespace);
  }
}

/**
 * Builds the request handler. Each request goes through, in order: Host and
 * Origin screening (403), authentication (401), route lookup (404/405), the
 * content type (415), the body size (413) and JSON (400), path parameters
 * and the namespace name (400), the namespace or deploy grant (403), and
 * workflow ownership (404) — then the route.
 */
export function apiHandler(ctx: ApiContext): (req: Request) => Promise<Response> {
  const policy = ctx.security ?? httpSecurity();
  const table = routes(ctx);
  const dispatch = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    screen(policy, req);
    let pathMatched = false;
    for (const route of table) {
      const m = route.pattern.exec(url.pathname);
      if (m === null) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      let caller: Caller | undefined;
      if (route.access === "open") {
        try {
          caller = authenticate(policy, req);
        } catch {
          caller = undefined;
        }
      } else {
        caller = authenticate(policy, req);
      }
      const body = await readBody(route, req);
      const params = pathParams(route, m);
      const scoped = route.access === "namespace" || route.access === "workflow";
      const namespace = scoped ? requestNamespace(url) : DEFAULT_NAMESPACE;
      if (caller !== undefined) await authorize(ctx, route, caller, namespace, params);
      return route.handle({ req, url, params, body, namespace, caller });
    }
    // Unknown routes are answered only to callers who could use the known ones.
    authenticate(policy, req);
    throw pathMatched
      ? new ApiError(405, "method-not-allowed", `${req.method} is not allowed on ${url.pathname}`)
      : new ApiError(404, "not-found", `no route ${req.method} ${url.pathname}`);
  };
  return async (req) => {
    try {
      return await dispatch(req);
    } catch (e) {
      const { status, body } = describeError(e);
      const headers: Record<string, string> =
        status === 401 ? { "www-authenticate": 'Bearer realm="aion"' } : {};
      return json(status, { error: body }, headers);
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
