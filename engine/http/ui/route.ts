/**
 * The web console's routes, mounted by `serveApi` when `ui` is on:
 * `GET /ui` (the page), `/ui/app.js`, `/ui/app.css` and the paged list
 * `GET /ui/api/workflows`. Every other call the console makes goes to the
 * `/v1` API and the event stream with the bearer token typed into the page,
 * so the console has no powers of its own and no second auth model.
 *
 * The files carry no data, so they are served to anyone the Host check lets
 * through; the list is authenticated and namespace-checked like `/v1`. The
 * page is served under a strict Content-Security-Policy (own scripts and
 * styles only, no inline code, connections only to this server, no framing).
 */
import type { Engine } from "../../engine.ts";
import { NAMESPACE_PATTERN } from "../../store/index.ts";
import { mayUseNamespace } from "../caller.ts";
import { ApiError, describeError } from "../errors.ts";
import { jsonText } from "../json-text.ts";
import { authenticate, type HttpSecurity, screen } from "../security.ts";
import type { UiAssets } from "./assets.ts";
import { uiWorkflowPage } from "./list.ts";

/** Where the console lives. */
export const UI_PATH = "/ui";

/** What the console's routes need. */
export interface UiContext {
  readonly engine: Engine;
  readonly security: HttpSecurity;
  /** The bundled files (built lazily, see assets.ts). */
  readonly assets: () => Promise<UiAssets>;
}

/** True for the paths the console answers. */
export function isUiPath(pathname: string): boolean {
  return pathname === UI_PATH || pathname.startsWith(`${UI_PATH}/`);
}

/** The page's policy: only this server's scripts, styles and connections. */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    // 'self' covers ws: in current browsers; the explicit origins cover older ones.
    `connect-src 'self' ws://${host} wss://${host}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

function file(body: string, type: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { headers: { "content-type": type, ...COMMON_HEADERS, ...extra } });
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(jsonText(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...COMMON_HEADERS, ...extra },
  });
}

/** `?namespace=`, default `default`. @throws ApiError 400 */
function namespaceOf(url: URL): string {
  const ns = url.searchParams.get("namespace") ?? "default";
  if (!NAMESPACE_PATTERN.test(ns)) throw new ApiError(400, "bad-request", "bad namespace name");
  return ns;
}

async function dispatch(ctx: UiContext, req: Request, url: URL): Promise<Response> {
  screen(ctx.security, req);
  const path = url.pathname;
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new ApiError(405, "method-not-allowed", `${req.method} is not allowed on ${path}`);
  }
  if (path === `${UI_PATH}/api/workflows`) {
    const caller = authenticate(ctx.security, req);
    const namespace = namespaceOf(url);
    if (!mayUseNamespace(caller, namespace)) {
      throw new ApiError(
        403,
        "namespace_denied",
        `subject ${caller.subject} not authorized for namespace ${namespace}`,
      );
    }
    return json(200, await uiWorkflowPage(ctx.engine.store, url, namespace));
  }
  if (path === UI_PATH || path === `${UI_PATH}/`) {
    const host = req.headers.get("host") ?? url.host;
    return file((await ctx.assets()).html, "text/html; charset=utf-8", {
      "content-security-policy": contentSecurityPolicy(host),
    });
  }
  if (path === `${UI_PATH}/app.js`) {
    return file((await ctx.assets()).js, "text/javascript; charset=utf-8");
  }
  if (path === `${UI_PATH}/app.css`)
    return file((await ctx.assets()).css, "text/css; charset=utf-8");
  throw new ApiError(404, "not-found", `no route ${req.method} ${path}`);
}

/** Answers a request for a console path (see {@link isUiPath}). */
export async function uiResponse(ctx: UiContext, req: Request, url: URL): Promise<Response> {
  try {
    return await dispatch(ctx, req, url);
  } catch (e) {
    const { status, body } = describeError(e);
    const headers: Record<string, string> =
      status === 401 ? { "www-authenticate": 'Bearer realm="aion"' } : {};
    return json(status, { error: body }, headers);
  }
}
