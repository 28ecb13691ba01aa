/**
 * The console's calls to its server: the `/v1` API, the paged list and the
 * event stream's address, each with the tab's bearer token. An error answer
 * becomes an `ApiCallError` carrying the server's code and message, which
 * the views show as they are.
 */
import { loadToken } from "./token.ts";
import type { HistoryEvent, PackageVersion, Summary, WhoAmI, WorkflowPage } from "./wire.ts";

/** A refused or failed call, with what the server said. */
export class ApiCallError extends Error {
  override readonly name = "ApiCallError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headers(json: boolean): Record<string, string> {
  const token = loadToken();
  return {
    accept: "application/json",
    ...(json ? { "content-type": "application/json" } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const post = method === "POST";
  const res = await fetch(path, {
    method,
    headers: headers(post),
    // Same-origin only, never cookies: the token header is the only credential.
    credentials: "omit",
    ...(post ? { body: JSON.stringify(body ?? null) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiCallError(
      res.status,
      e?.code ?? `http-${res.status}`,
      e?.message ?? (text || res.statusText),
    );
  }
  return parsed as T;
}

const ns = (namespace: string): string => `namespace=${encodeURIComponent(namespace)}`;
const wf = (id: string): string => `/v1/workflows/${encodeURIComponent(id)}`;

/** The list filter as the server reads it. */
export interface ListParams {
  readonly namespace: string;
  readonly status?: string;
  readonly type?: string;
  readonly startedAfter?: number;
  readonly startedBefore?: number;
  readonly attrs: readonly string[];
  /** A page token from a previous answer; absent for the newest page. */
  readonly cursor?: string;
  readonly limit: number;
}

export const api = {
  whoami: () => call<WhoAmI>("GET", "/v1/whoami"),
  list(p: ListParams): Promise<WorkflowPage> {
    const q = new URLSearchParams({ namespace: p.namespace, limit: String(p.limit) });
    if (p.cursor) q.set("cursor", p.cursor);
    if (p.status) q.set("status", p.status);
    if (p.type) q.set("type", p.type);
    if (p.startedAfter !== undefined) q.set("startedAfter", String(p.startedAfter));
    if (p.startedBefore !== undefined) q.set("startedBefore", String(p.startedBefore));
    for (const a of p.attrs) q.append("attr", a);
    return call("GET", `/ui/api/workflows?${q}`);
  },
  describe: (id: string, namespace: string) => call<Summary>("GET", `${wf(id)}?${ns(namespace)}`),
  history: (id: string, namespace: string) =>
    call<{ events: HistoryEvent[] }>("GET", `${wf(id)}/history?${ns(namespace)}`).then(
      (r) => r.events,
    ),
  /** Events after seq `after`, the server waiting up to `waitMs` for the next one. */
  historyAfter: (id: string, namespace: string, after: number, waitMs: number) =>
    call<{ events: HistoryEvent[] }>(
      "GET",
      `${wf(id)}/history?${ns(namespace)}&after=${after}&wait=${waitMs}`,
    ).then((r) => r.events),
  signal: (id: string, namespace: string, name: string, payload: unknown) =>
    call<unknown>(
      "POST",
      `${wf(id)}/signals/${encodeURIComponent(name)}?${ns(namespace)}`,
      payload,
    ),
  query: (id: string, namespace: string, name: string, payload: unknown) =>
    call<{ result: unknown }>(
      "POST",
      `${wf(id)}/queries/${encodeURIComponent(name)}?${ns(namespace)}`,
      payload,
    ).then((r) => r.result),
  end: (id: string, namespace: string, action: "cancel" | "terminate", reason: string) =>
    call<unknown>("POST", `${wf(id)}/${action}?${ns(namespace)}`, reason ? { reason } : {}),
  packages: () =>
    call<{ versions: PackageVersion[] }>("GET", "/v1/packages").then((r) => r.versions),
  rollback: (type: string, version: string) =>
    call<{ version: string }>("POST", `/v1/packages/${encodeURIComponent(type)}/rollback`, {
      version,
    }),
};

/** The event stream's WebSocket address, with the token as a query parameter. */
export function streamUrl(): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const token = loadToken();
  return `${scheme}//${location.host}/events/stream${token ? `?access_token=${encodeURIComponent(token)}` : ""}`;
}
