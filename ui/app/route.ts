/**
 * The console's addresses, kept in the URL fragment so every page can be
 * bookmarked and reloaded without the server knowing the console's pages:
 * `#/workflows?namespace=&status=&type=&from=&to=&attr=&cursor=&at=`,
 * `#/workflow/ID?namespace=` and `#/packages`. Pure parse and format.
 */
import { STATUSES, type WorkflowStatus } from "./wire.ts";

/** The list's filter and position. */
export interface ListQuery {
  readonly namespace: string;
  readonly status?: WorkflowStatus;
  readonly type?: string;
  /** `datetime-local` text (UTC) of the start-time range. */
  readonly from?: string;
  readonly to?: string;
  /** Search attribute matches, each `NAME=VALUE`. */
  readonly attrs: readonly string[];
  /** The server's page token of the page shown; absent for the newest page. */
  readonly cursor?: string;
  /**
   * How many newer rows come before this page, for the "51–100 of N" label
   * only: the cursor, not this, decides which rows the page holds.
   */
  readonly position: number;
}

export type Route =
  | { readonly page: "list"; readonly query: ListQuery }
  | { readonly page: "workflow"; readonly id: string; readonly namespace: string }
  | { readonly page: "packages" };

export const DEFAULT_NAMESPACE = "default";

function listQuery(p: URLSearchParams): ListQuery {
  const status = STATUSES.find((s) => s === p.get("status"));
  const position = Number(p.get("at") ?? "0");
  const opt = (k: string): string | undefined => {
    const v = p.get(k);
    return v === null || v === "" ? undefined : v;
  };
  const type = opt("type");
  const from = opt("from");
  const to = opt("to");
  const cursor = opt("cursor");
  return {
    namespace: opt("namespace") ?? DEFAULT_NAMESPACE,
    ...(status ? { status } : {}),
    ...(type ? { type } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    attrs: p.getAll("attr").filter((a) => a !== ""),
    ...(cursor ? { cursor } : {}),
    position: cursor && Number.isSafeInteger(position) && position > 0 ? position : 0,
  };
}

/** Reads a fragment (`#/workflow/abc?namespace=x`); anything unknown is the list. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, "");
  const q = text.indexOf("?");
  const path = q < 0 ? text : text.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : text.slice(q + 1));
  const parts = path.split("/").filter((s) => s !== "");
  if (parts[0] === "workflow" && parts.length === 2) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1]!);
    } catch {
      return { page: "list", query: listQuery(params) };
    }
    return { page: "workflow", id, namespace: params.get("namespace") || DEFAULT_NAMESPACE };
  }
  if (parts[0] === "packages") return { page: "packages" };
  return { page: "list", query: listQuery(params) };
}

/** The fragment of a route (the inverse of {@link parseRoute}). */
export function formatRoute(route: Route): string {
  switch (route.page) {
    case "packages":
      return "#/packages";
    case "workflow":
      return `#/workflow/${encodeURIComponent(route.id)}?namespace=${encodeURIComponent(route.namespace)}`;
    case "list": {
      const q = route.query;
      const p = new URLSearchParams({ namespace: q.namespace });
      if (q.status) p.set("status", q.status);
      if (q.type) p.set("type", q.type);
      if (q.from) p.set("from", q.from);
      if (q.to) p.set("to", q.to);
      for (const a of q.attrs) p.append("attr", a);
      if (q.cursor) {
        p.set("cursor", q.cursor);
        if (q.position > 0) p.set("at", String(q.position));
      }
      return `#/workflows?${p}`;
    }
  }
}

/** The link to a workflow's page. */
export function workflowHref(id: string, namespace: string): string {
  return formatRoute({ page: "workflow", id, namespace });
}
