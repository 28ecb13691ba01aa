/**
 * Translate a visibility filter into SQL over the indexed `workflows` and
 * `search_attributes` tables, with numbered placeholders: one SELECT for a
 * page (keyset-paged, so a deep page costs what the first one does), one
 * grouped count per status, and one per (status, type) for the metrics scrape.
 */
import type { SearchAttributeValue } from "../../events/index.ts";
import type { WorkflowFilter } from "../types.ts";
import { filterStatuses } from "../validate.ts";
import { WORKFLOW_COLUMNS } from "./statements.ts";

/** Bindable values of the generated SQL. */
export type QueryParam = string | number;

/** Generated SQL and its parameters, `$1` first. */
export interface BuiltQuery {
  readonly sql: string;
  readonly params: QueryParam[];
}

/**
 * How a search attribute value is stored: a kind tag plus canonical text.
 * Numbers use JavaScript's shortest round-trip form, so two numbers have the
 * same text exactly when they are equal (0 and -0 both print "0").
 */
export function attributeColumns(value: SearchAttributeValue): [string, string] {
  if (typeof value === "string") return ["s", value];
  if (typeof value === "number") return ["n", String(value)];
  return ["b", value ? "true" : "false"];
}

/** The WHERE conditions of a filter's matching criteria (no paging), binding into `params`. */
function matchConditions(filter: WorkflowFilter, params: QueryParam[]): string[] {
  const where: string[] = [];
  const bind = (value: QueryParam): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.namespace !== undefined) where.push(`namespace = ${bind(filter.namespace)}`);
  const statuses = filterStatuses(filter);
  if (statuses !== undefined) where.push(`status IN (${statuses.map(bind).join(", ")})`);
  if (filter.workflowType !== undefined) where.push(`workflow_type = ${bind(filter.workflowType)}`);
  const ranges = [
    ["start_time", filter.startTime],
    ["close_time", filter.closeTime],
  ] as const;
  for (const [column, range] of ranges) {
    if (range?.from !== undefined) where.push(`${column} >= ${bind(range.from)}`);
    if (range?.to !== undefined) where.push(`${column} < ${bind(range.to)}`);
    // A close-time criterion with neither bound still means "closed".
    if (range !== undefined && column === "close_time") where.push("close_time IS NOT NULL");
  }
  for (const [name, value] of Object.entries(filter.searchAttributes ?? {})) {
    const [kind, text] = attributeColumns(value);
    where.push(
      `workflow_id IN (SELECT workflow_id FROM search_attributes WHERE name = ${bind(name)} AND value_kind = ${bind(kind)} AND value = ${bind(text)})`,
    );
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
    // A row comparison is one index range over (start_time, workflow_id).
    params.push(filter.after.startTime, filter.after.workflowId);
    where.push(
      `(start_time, workflow_id) ${desc ? "<" : ">"} ($${params.length - 1}, $${params.length})`,
    );
  }
  const dir = desc ? " DESC" : "";
  let sql = `SELECT ${WORKFLOW_COLUMNS} FROM workflows${whereClause(where)}`;
  sql += ` ORDER BY start_time${dir}, workflow_id${dir}`;
  if (filter.limit !== undefined) {
    params.push(filter.limit);
    sql += ` LIMIT $${params.length}`;
  }
  if (filter.offset !== undefined) {
    params.push(filter.offset);
    sql += ` OFFSET $${params.length}`;
  }
  return { sql, params };
}

/** The visibility columns a count groups by. */
export type CountColumn = "status" | "workflow_type";

/**
 * Build a count grouped by `columns` for a validated filter (paging fields
 * ignored): per status, or per (status, type) for the metrics scrape.
 * PostgreSQL aggregates it in the server (for (status, type): a parallel
 * sequential scan with hash aggregation, which its planner costs below an
 * index-only scan of a (status, type) index, so there is none; docs/store.md).
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
