/**
 * Translate a visibility filter into one SELECT over the indexed
 * `workflows` and `search_attributes` tables.
 */
import type { SearchAttributeValue } from "../../events/index.ts";
import type { WorkflowFilter } from "../types.ts";
import { filterStatuses } from "../validate.ts";
import { WORKFLOW_COLUMNS } from "./statements.ts";

/** Bindable values of the generated SQL. */
export type QueryParam = string | number;

/** How a search attribute value is stored: kind tag plus SQL value. */
export function attributeColumns(value: SearchAttributeValue): [string, string | number] {
  if (typeof value === "string") return ["s", value];
  if (typeof value === "number") return ["n", value];
  return ["b", value ? 1 : 0];
}

/** Build the SQL and parameters for a validated filter. */
export function buildQuery(filter: WorkflowFilter): { sql: string; params: QueryParam[] } {
  const where: string[] = [];
  const params: QueryParam[] = [];
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
  let sql = `SELECT ${WORKFLOW_COLUMNS} FROM workflows`;
  if (where.length > 0) sql += ` WHERE ${where.join(" AND ")}`;
  sql += " ORDER BY start_time, workflow_id";
  if (filter.limit !== undefined) {
    sql += " LIMIT ?";
    params.push(filter.limit);
  }
  return { sql, params };
}
