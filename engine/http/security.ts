/**
 * The HTTP security policy of one server, and the admission check every
 * request passes before any route runs:
 *
 * 1. `Host` names this server (DNS rebinding): on a loopback bind, a
 *    loopback name or an allow-listed one; elsewhere, an allow-listed one
 *    when an allow-list is given. → 403 `host_denied`
 * 2. A mutating request (anything but GET/HEAD) has no `Origin` or its own
 *    (CSRF). → 403 `origin_denied`
 * 3. With tokens configured, `Authorization: Bearer <token>` names one.
 *    → 401 `unauthenticated`. Without tokens every caller is an operator.
 *
 * A server bound beyond loopback must have tokens: {@link httpSecurity}
 * refuses to build such a policy.
 */

import { NAMESPACE_PATTERN } from "../store/index.ts";
import { ALL_NAMESPACES, type Caller, narrowCaller } from "./caller.ts";
import { ApiError } from "./errors.ts";
import { hostAllowed, isLoopbackBind, sameOrigin } from "./hosts.ts";
import type { TokenSet } from "./tokens.ts";

/** What a policy is built from. */
export interface SecurityOptions {
  /** The address the server binds (decides loopback rules). Default 127.0.0.1. */
  readonly bindHost?: string;
  /** Configured bearer tokens; none = no authentication (loopback only). */
  readonly tokens?: TokenSet;
  /** Extra `Host` names accepted (e.g. a proxy's public name), any port. */
  readonly allowHosts?: readonly string[];
}

/** Refused: a non-loopback bind without tokens would expose an open API. */
export class InsecureBindError extends Error {
  override readonly name = "InsecureBindError";
  readonly code = "insecure-bind";
  constructor(readonly host: string) {
    super(
      `refusing to serve on ${host} without tokens: the API runs code and reads every workflow; ` +
        "give it tokens (aion serve --tokens FILE, or AION_TOKENS) or bind a loopback address",
    );
  }
}

/** A built policy. */
export interface HttpSecurity {
  readonly loopback: boolean;
  readonly tokens: TokenSet | undefined;
  readonly allowHosts: readonly string[];
}

/**
 * Builds the policy of a server.
 * @throws InsecureBindError for a non-loopback bind without tokens
 */
export function httpSecurity(options: SecurityOptions = {}): HttpSecurity {
  const host = options.bindHost ?? "127.0.0.1";
  const loopback = isLoopbackBind(host);
  if (!loopback && options.tokens === undefined) throw new InsecureBindError(host);
  return { loopback, tokens: options.tokens, allowHosts: [...(options.allowHosts ?? [])] };
}

/** The operator of an open (token-less, loopback) server. */
function operator(subject: string | null): Caller {
  return { subject: subject?.slice(0, 256) || "local", namespaces: ALL_NAMESPACES, deploy: true };
}

function bearer(req: Request): string | undefined {
  const h = req.headers.get("authorization");
  if (h === null) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(h);
  return m?.[1] ?? "";
}

/** `x-aion-namespaces`: a comma list, trimmed. @throws ApiError 400 */
function namespacesHeader(req: Request): string[] | undefined {
  const h = req.headers.get("x-aion-namespaces");
  if (h === null) return undefined;
  const list = h
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const ns of list) {
    if (!NAMESPACE_PATTERN.test(ns)) {
      throw new ApiError(400, "bad-request", `x-aion-namespaces: '${ns}' is not a namespace name`);
    }
  }
  return list;
}

/**
 * Screens a request before anything else: `Host`, then `Origin` on
 * mutating methods (see the file comment).
 * @throws ApiError 403 `host_denied` / `origin_denied`
 */
export function screen(policy: HttpSecurity, req: Request): void {
  const host = req.headers.get("host") ?? new URL(req.url).host;
  const checkHost = policy.loopback || policy.allowHosts.length > 0;
  if (checkHost && !hostAllowed(host, policy.allowHosts, policy.loopback)) {
    throw new ApiError(
      403,
      "host_denied",
      `Host '${host.slice(0, 200)}' is not a name of this server (loopback names or --allow-host)`,
    );
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    const origin = req.headers.get("origin");
    if (!sameOrigin(origin, host)) {
      throw new ApiError(
        403,
        "origin_denied",
        `cross-origin request from '${String(origin).slice(0, 200)}' refused`,
      );
    }
  }
}

/**
 * Who the request acts as. Without tokens: an operator (all namespaces,
 * deploy), labelled by `x-aion-subject`. With tokens: the caller of the
 * presented token, narrowed by `x-aion-namespaces` when given.
 * @throws ApiError 401 `unauthenticated`, 400 for a malformed `x-aion-namespaces`
 */
export function authenticate(policy: HttpSecurity, req: Request): Caller {
  if (policy.tokens === undefined) return operator(req.headers.get("x-aion-subject"));
  const token = bearer(req);
  if (token === undefined) {
    throw new ApiError(401, "unauthenticated", "missing 'Authorization: Bearer <token>'");
  }
  const caller = policy.tokens.authenticate(token);
  if (caller === undefined) throw new ApiError(401, "unauthenticated", "invalid bearer token");
  const only = namespacesHeader(req);
  return only === undefined ? caller : narrowCaller(caller, only);
}
