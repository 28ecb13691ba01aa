/** Reading request parts: body members and query parameters, with API errors on bad input. */
import { WORKFLOW_STATUSES, type WorkflowStatus } from "../events/index.ts";
import { ApiError } from "./errors.ts";

/** An optional string member. @throws ApiError 400 */
export function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ApiError(400, "bad-request", `'${key}' must be a string`);
  return v;
}

/** A non-negative integer query parameter, clamped to `max`. @throws ApiError 400 */
export function intParam(url: URL, key: string, max: number): number | undefined {
  const raw = url.searchParams.get(key);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new ApiError(400, "bad-request", `'${key}' must be a non-negative integer`);
  }
  return Math.min(n, max);
}

/** A workflow status, case-insensitive (`running`, `Completed`...). @throws ApiError 400 */
export function parseStatus(raw: string): WorkflowStatus {
  const s = WORKFLOW_STATUSES.find((x) => x.toLowerCase() === raw.toLowerCase());
  if (s === undefined) {
    throw new ApiError(
      400,
      "bad-request",
      `unknown status '${raw}' (one of ${WORKFLOW_STATUSES.join(", ")})`,
    );
  }
  return s;
}
