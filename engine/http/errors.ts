/**
 * Every error the engine, the store or the deploy layer raises on purpose,
 * mapped to one JSON body and an HTTP status. The CLI maps the same `code`s
 * to exit codes (bin/cli/exit-codes.ts), so both front ends agree.
 */
import { DeployError, InvalidInputError } from "../deploy/index.ts";
import { EngineError } from "../errors.ts";
import { StoreError } from "../store/index.ts";

/** The `error` member of every error response. */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/** An error the API itself raises (bad request, unknown route...). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const STATUS: Readonly<Record<string, number>> = {
  "unknown-workflow": 404,
  "unknown-workflow-type": 404,
  "no-package": 404,
  "unknown-version": 404,
  "unknown-query": 404,
  "duplicate-workflow": 409,
  "already-terminal": 409,
  "invalid-argument": 400,
  "invalid-input": 422,
  "invalid-package": 422,
  "reserved-module": 422,
  "query-failed": 422,
  "query-rejected": 409,
  "query-timeout": 504,
  "not-resident": 504,
  "owner-unavailable": 503,
  "shard-not-owned": 409,
  "engine-shut-down": 503,
  nondeterminism: 500,
  "store-conflict": 409,
  "version-conflict": 409,
  "store-unknown-workflow": 404,
  "store-unknown-package": 404,
  "store-store-busy": 503,
};

/** Status and body for any thrown value; unknown errors are 500 `internal`. */
export function describeError(e: unknown): { status: number; body: ApiErrorBody } {
  if (e instanceof ApiError) {
    return { status: e.status, body: withDetails(e.code, e.message, e.details) };
  }
  if (e instanceof InvalidInputError) {
    return { status: 422, body: withDetails(e.code, e.message, { problems: e.problems }) };
  }
  if (e instanceof EngineError || e instanceof DeployError) {
    return { status: STATUS[e.code] ?? 400, body: withDetails(e.code, e.message, undefined) };
  }
  if (e instanceof StoreError) {
    const code = `store-${e.code}`;
    return { status: STATUS[code] ?? 500, body: withDetails(code, e.message, undefined) };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: withDetails("internal", message, undefined) };
}

function withDetails(code: string, message: string, details: unknown): ApiErrorBody {
  return details === undefined ? { code, message } : { code, message, details };
}
