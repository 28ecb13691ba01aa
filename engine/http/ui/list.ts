/**
 * `GET /ui/api/workflows`: one page of a namespace's workflows for the web
 * console, newest first, with the total that matches and the count per
 * status. The page is one keyset read of at most `limit + 1` summaries
 * (`cursor`, the opaque `next` / `prev` token of a previous answer) and the
 * counts are one grouped count in the store, so neither the browser nor the
 * server ever holds more than a page, however many workflows match.
 * `offset` still works for callers that page by position (it reads
 * `offset + limit + 1` rows). The filter is the store's `WorkflowFilter`:
 * status, type, start-time range, exact search-attribute matches.
 */
import type { SearchAttributeValue, WorkflowStatus } from "../../events/index.ts";
import type {
  EventStore,
  QueryCursor,
  StatusCounts,
  WorkflowFilter,
  WorkflowSummary,
} from "../../store/index.ts";
import { ApiError } from "../errors.ts";
import { checkRequestName } from "../limits.ts";
import { decodePageToken, encodePageToken } from "../page-token.ts";
import { intParam, parseStatus } from "../request.ts";
import { wireValue } from "../wire.ts";

/** Largest page the console may ask for. */
export const MAX_UI_PAGE = 500;
/** Page size when `limit` is absent. */
export const DEFAULT_UI_PAGE = 50;

/** The store calls a list answer needs (an `EventStore` has them). */
export type VisibilityReader = Pick<EventStore, "query" | "countByStatus">;

/** What the console gets back. */
export interface UiWorkflowPage {
  readonly workflows: unknown[];
  /** Workflows matching every criterion (status included). */
  readonly total: number;
  /** Per status, the workflows matching every criterion but the status. */
  readonly counts: StatusCounts;
  /** The `offset` asked for (0 when paging by cursor). */
  readonly offset: number;
  readonly limit: number;
  /** Token of the next (older) page, or null when this is the last. */
  readonly next: string | null;
  /** Token of the previous (newer) page, or null when this is the first. */
  readonly prev: string | null;
}

/** A time parameter: epoch milliseconds or an ISO 8601 date-time. @throws ApiError 400 */
function timeParam(url: URL, key: string): number | undefined {
  const raw = url.searchParams.get(key);
  if (raw === null || raw.trim() === "") return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(n)) {
    throw new ApiError(400, "bad-request", `'${key}' must be epoch milliseconds or an ISO date`);
  }
  return n;
}

/**
 * `attr=NAME=VALUE` (repeatable): VALUE `true`/`false` and numbers match
 * attributes of that type, anything else (or a quoted JSON string) a string.
 * @throws ApiError 400
 */
export function attributeFilter(
  raws: readonly string[],
): Record<string, SearchAttributeValue> | undefined {
  if (raws.length === 0) return undefined;
  const out: Record<string, SearchAttributeValue> = {};
  for (const raw of raws) {
    const eq = raw.indexOf("=");
    if (eq <= 0) throw new ApiError(400, "bad-request", `'attr' must be NAME=VALUE, got '${raw}'`);
    const name = checkRequestName(raw.slice(0, eq), "search attribute name");
    const text = raw.slice(eq + 1);
    let value: SearchAttributeValue = text;
    if (text === "true" || text === "false") value = text === "true";
    else if (/^-?\d+(\.\d+)?$/.test(text)) value = Number(text);
    else if (/^".*"$/.test(text)) value = JSON.parse(text) as string;
    out[name] = value;
  }
  return out;
}

/** The filter of a list request without its status. @throws ApiError 400 */
function baseFilter(url: URL, namespace: string): WorkflowFilter {
  const type = url.searchParams.get("type");
  const from = timeParam(url, "startedAfter");
  const to = timeParam(url, "startedBefore");
  const attrs = attributeFilter(url.searchParams.getAll("attr"));
  return {
    namespace,
    ...(type ? { workflowType: checkRequestName(type, "workflow type") } : {}),
    ...(from !== undefined || to !== undefined
      ? {
          startTime: {
            ...(from !== undefined ? { from } : {}),
            ...(to !== undefined ? { to } : {}),
          },
        }
      : {}),
    ...(attrs ? { searchAttributes: attrs } : {}),
  };
}

const keyOf = (s: WorkflowSummary): QueryCursor => ({
  startTime: s.startTime,
  workflowId: s.workflowId,
});
const older = (s: QueryCursor): string => encodePageToken("desc", s);
const newer = (s: QueryCursor): string => encodePageToken("asc", s);

type Paged = Pick<UiWorkflowPage, "next" | "prev"> & { readonly rows: WorkflowSummary[] };

/** The newest page, or the one after `after` (newest first). */
async function olderPage(
  store: VisibilityReader,
  filter: WorkflowFilter,
  limit: number,
  after: QueryCursor | undefined,
): Promise<Paged> {
  // One row more than the page says whether another page follows.
  const rows = [
    ...(await store.query({
      ...filter,
      order: "desc",
      limit: limit + 1,
      ...(after ? { after } : {}),
    })),
  ];
  const page = rows.slice(0, limit);
  const first = page[0];
  return {
    rows: page,
    next: rows.length > limit ? older(keyOf(page[page.length - 1]!)) : null,
    prev: after === undefined ? null : newer(first ? keyOf(first) : after),
  };
}

/** The page just newer than `after`, shown newest first; the newest page when fewer remain. */
async function newerPage(
  store: VisibilityReader,
  filter: WorkflowFilter,
  limit: number,
  after: QueryCursor,
): Promise<Paged> {
  const rows = [...(await store.query({ ...filter, order: "asc", limit: limit + 1, after }))];
  // Fewer than a page newer: the newest page, full, rather than a short one at the top.
  if (rows.length <= limit) return olderPage(store, filter, limit, undefined);
  const page = rows.slice(0, limit).reverse();
  return { rows: page, next: older(keyOf(page[page.length - 1]!)), prev: newer(keyOf(page[0]!)) };
}

/** The page at `offset` from the newest (reads `offset + limit + 1` rows). */
async function offsetPage(
  store: VisibilityReader,
  filter: WorkflowFilter,
  limit: number,
  offset: number,
): Promise<Paged> {
  const rows = await store.query({ ...filter, order: "desc", limit: offset + limit + 1 });
  const page = rows.slice(offset, offset + limit);
  const first = page[0];
  return {
    rows: page,
    next: rows.length > offset + limit ? older(keyOf(page[page.length - 1]!)) : null,
    prev: offset > 0 && first ? newer(keyOf(first)) : null,
  };
}

/** Answers one list request of an admitted caller. @throws ApiError 400 */
export async function uiWorkflowPage(
  store: VisibilityReader,
  url: URL,
  namespace: string,
): Promise<UiWorkflowPage> {
  const filter = baseFilter(url, namespace);
  const rawStatus = url.searchParams.get("status");
  const status: WorkflowStatus | undefined = rawStatus ? parseStatus(rawStatus) : undefined;
  const limit = intParam(url, "limit", MAX_UI_PAGE) || DEFAULT_UI_PAGE;
  const offset = intParam(url, "offset", Number.MAX_SAFE_INTEGER - MAX_UI_PAGE - 1) ?? 0;
  const rawCursor = url.searchParams.get("cursor");
  const token = rawCursor ? decodePageToken(rawCursor, "cursor") : undefined;
  if (token !== undefined && offset > 0) {
    throw new ApiError(400, "bad-request", "use either 'cursor' or 'offset', not both");
  }
  // Counts ignore the status filter, so every status chip keeps its number.
  const counts = await store.countByStatus(filter);
  const total =
    status === undefined ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[status];
  const matching: WorkflowFilter = status === undefined ? filter : { ...filter, status };
  const paged =
    token === undefined
      ? await offsetPage(store, matching, limit, offset)
      : token.order === "desc"
        ? await olderPage(store, matching, limit, token.after)
        : await newerPage(store, matching, limit, token.after);
  return {
    workflows: paged.rows.map(wireValue),
    total,
    counts,
    offset: token === undefined ? offset : 0,
    limit,
    next: paged.next,
    prev: paged.prev,
  };
}
