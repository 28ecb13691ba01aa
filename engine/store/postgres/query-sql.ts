/**
 * Translate a visibility filter into one SELECT over the indexed
 * `workflows` and `search_attributes` tables, with numbered placeholders.
 */
import type { SearchAttributeValue } from "../../events/index.ts";
import type { WorkflowFilter } from "../types.ts";
import { filterStatuses } from "../validate.ts";
import { WORKFLOW_COLUMNS } from "./statements.ts";

/** Bindable values of the generated SQL. */
export type QueryParam = string | number;

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

/** Build the SQL and parameters for a validated filter. */
export function buildQuery(filter: WorkflowFilter): { sql: string; params: QueryParam[] } {
  const where: string[] = [];
  const params: QueryParam[] = [];
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
  let sql = `SELECT ${WORKFLOW_COLUMNS} FROM workflows`;
  if (where.length > 0) sql += ` WHERE ${where.join(" AND ")}`;
  sql += " ORDER BY start_time, workflow_id";
  if (filter.limit !== undefined) sql += ` LIMIT ${bind(filter.limit)}`;
  return { sql, params };
}
