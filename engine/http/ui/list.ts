/**
 * `GET /ui/api/workflows`: one page of a namespace's workflows for the web
 * console, with the total that matches and the count per status, so the
 * browser never holds more than a page however many workflows the store has.
 * Newest first (the store orders by start time ascending; the page is taken
 * from the end). The filter is the store's `WorkflowFilter`: status, type,
 * start-time range, exact search-attribute matches.
 */
import type { Engine } from "../../engine.ts";
import {
  type SearchAttributeValue,
  WORKFLOW_STATUSES,
  type WorkflowStatus,
} from "../../events/index.ts";
import type { WorkflowFilter } from "../../store/index.ts";
import { ApiError } from "../errors.ts";
import { checkRequestName } from "../limits.ts";
import { intParam, parseStatus } from "../request.ts";
import { wireValue } from "../wire.ts";

/** Largest page the console may ask for. */
export const MAX_UI_PAGE = 500;
/** Page size when `limit` is absent. */
export const DEFAULT_UI_PAGE = 50;

/** What the console gets back. */
export interface UiWorkflowPage {
  readonly workflows: unknown[];
  /** Workflows matching every criterion (status included). */
  readonly total: number;
  /** Per status, the workflows matching every criterion but the status. */
  readonly counts: Readonly<Record<WorkflowStatus, number>>;
  readonly offset: number;
  readonly limit: number;
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

/** Answers one list request of an admitted caller. @throws ApiError 400 */
export async function uiWorkflowPage(
  engine: Engine,
  url: URL,
  namespace: string,
): Promise<UiWorkflowPage> {
  const filter = baseFilter(url, namespace);
  const rawStatus = url.searchParams.get("status");
  const status = rawStatus ? parseStatus(rawStatus) : undefined;
  const limit = intParam(url, "limit", MAX_UI_PAGE) || DEFAULT_UI_PAGE;
  const offset = intParam(url, "offset", Number.MAX_SAFE_INTEGER) ?? 0;
  // One visibility query gives the counts and the page; only the page is sent.
  const all = await engine.list(filter);
  const counts = Object.fromEntries(WORKFLOW_STATUSES.map((s) => [s, 0])) as Record<
    WorkflowStatus,
    number
  >;
  for (const s of all) counts[s.status]++;
  const matching = status === undefined ? all : all.filter((s) => s.status === status);
  const end = Math.max(0, matching.length - offset);
  const page = matching.slice(Math.max(0, end - limit), end).reverse();
  return { workflows: page.map(wireValue), total: matching.length, counts, offset, limit };
}
