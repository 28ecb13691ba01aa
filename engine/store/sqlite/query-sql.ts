/**
 * Translate a visibility filter into SQL over the indexed `workflows` and
 * `search_attributes` tables: one SELECT for a page (keyset-paged, so a deep
 * page costs what the first one does), one grouped count per status, and
 * one per (status, type) for the metrics scrape.
 */
import type { SearchAttributeValue } from "../../events/index.ts";
import type { WorkflowFilter } from "../types.ts";
import { filterStatuses } from "../validate.ts";
import { WORKFLOW_COLUMNS } from "./statements.ts";

/** Bindable values of the generated SQL. */
export type QueryParam = string | number;

/** Generated SQL and its parameters, in placeholder order. */
export interface BuiltQuery {
  readonly sql: string;
  readonly params: QueryParam[];
}

/** How a search attribute value is stored: kind tag plus SQL value. */
export function attributeColumns(value: SearchAttributeValue): [string, string | number] {
  if (typeof value === "string") return ["s", value];
  if (typeof value === "number") return ["n", value];
  return ["b", value ? 1 : 0];
}

/** The WHERE conditions of a filter's matching criteria (no paging). */
function matchConditions(filter: WorkflowFilter, params: QueryParam[]): string[] {
  const where: string[] = [];
  if (filter.namespace !== undefined) {
    where.push("namespace = ?");
    params.push(filter.namespace);
  }
  const statuses = filterStatuses(filter);
  if (statuses !== undefined) {
    where.push(`status IN (${statuses.map(() => "?").join(", ")})`);
    params.push(...statuses);
  }
  if (filter.workflowType !== undefined) {
    where.push("workflow_type = ?");
    params.push(filter.workflowType);
  }
  const ranges = [
    ["start_time", filter.startTime],
    ["close_time", filter.closeTime],
  ] as const;
  for (const [column, range] of ranges) {
    if (range?.from !== undefined) {
      where.push(`${column} >= ?`);
      params.push(range.from);
    }
    if (range?.to !== undefined) {
      where.push(`${column} < ?`);
      params.push(range.to);
    }
    // A close-time criterion with neither bound still means "closed".
    if (range !== undefined && column === "close_time") where.push("close_time IS NOT NULL");
  }
  for (const [name, value] of Object.entries(filter.searchAttributes ?? {})) {
    // IN (subquery) lets SQLite drive the lookup from the attribute index.
    where.push(
      "workflow_id IN (SELECT workflow_id FROM search_attributes WHERE name = ? AND value_kind = ? AND value = ?)",
    );
    params.push(name, ...attributeColumns(value));
  }
  return where;
}

function whereClause(where: readonly string[]): string {
  return where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
}

/** Build the page SELECT for a validated filter. */
export function buildQuery(filter: WorkflowFilter): BuiltQuery {
  const params: QueryParam[] = [];
  const where = matchConditions(filter, params);
  const desc = filter.order === "desc";
  if (filter.after !== undefined) {
    // A row-value comparison is one range constraint on the index's
    // (start_time, workflow_id) tail, so the page starts with a seek.
    where.push(`(start_time, workflow_id) ${desc ? "<" : ">"} (?, ?)`);
    params.push(filter.after.startTime, filter.after.workflowId);
  }
  const dir = desc ? " DESC" : "";
  let sql = `SELECT ${WORKFLOW_COLUMNS} FROM workflows${whereClause(where)}`;
  sql += ` ORDER BY start_time${dir}, workflow_id${dir}`;
  if (filter.limit !== undefined || filter.offset !== undefined) {
    // SQLite takes OFFSET only after a LIMIT; -1 is "no limit".
    sql += " LIMIT ?";
    params.push(filter.limit ?? -1);
  }
  if (filter.offset !== undefined) {
    sql += " OFFSET ?";
    params.push(filter.offset);
  }
  return { sql, params };
}

/** The visibility columns a count groups by. */
export type CountColumn = "status" | "workflow_type";

/**
 * Build a count grouped by `columns` for a validated filter (paging fields
 * ignored): per status, or per (status, type) for the metrics scrape.
 * Unfiltered by (status, type), it is a scan of the covering index
 * `workflows_by_status_type` in group order: no table reads, no sort.
 */
export function buildGroupedCount(
  filter: WorkflowFilter,
  columns: readonly CountColumn[],
): BuiltQuery {
  const params: QueryParam[] = [];
  const where = matchConditions(filter, params);
  const groups = columns.join(", ");
  return {
    sql: `SELECT ${groups}, COUNT(*) AS n FROM workflows${whereClause(where)} GROUP BY ${groups}`,
    params,
  };
}
