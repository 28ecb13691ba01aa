/**
 * Errors of the original callers' API (`POST /workflows/*`, the event
 * stream): the original server's wire codes and HTTP statuses
 * (docs/api.md, "The original callers' API"). Engine, deploy and store
 * errors are mapped here once, so routes and the stream agree.
 */
import { InvalidInputError } from "../../deploy/index.ts";
import { EngineError } from "../../errors.ts";
import { StoreError } from "../../store/index.ts";
import { ApiError } from "../errors.ts";

/** The original server's stable error codes. */
export type WireCode =
  | "not_found"
  | "namespace_denied"
  | "deploy_denied"
  | "invalid_input"
  | "unknown_query"
  | "not_running"
  | "query_timeout"
  | "sequence_conflict"
  | "version_pinned"
  | "not_owner"
  | "invalid_state"
  | "lagged"
  | "backend"
  | "query_failed";

/** The error body: only `code` is stable; `message` is for people. */
export interface WireError {
  readonly code: WireCode;
  readonly message: string;
}

/** HTTP status of each code, as the original server answers. */
export const WIRE_STATUS: Readonly<Record<WireCode, number>> = {
  not_found: 404,
  namespace_denied: 403,
  deploy_denied: 403,
  invalid_input: 400,
  unknown_query: 400,
  not_running: 412,
  query_timeout: 408,
  sequence_conflict: 409,
  version_pinned: 409,
  not_owner: 409,
  invalid_state: 409,
  lagged: 429,
  backend: 500,
  query_failed: 500,
};

/** An error answered as `{"code","message"}` JSON. */
export class CallerApiError extends Error {
  override readonly name = "CallerApiError";
  constructor(
    readonly code: WireCode,
    message: string,
    /** Overrides the code's usual status (503 for a start while shutting down). */
    readonly status: number = WIRE_STATUS[code],
  ) {
    super(message);
  }

  get body(): WireError {
    return { code: this.code, message: this.message };
  }
}

/**
 * A body-parse failure, answered as plain text (not JSON), as the original
 * server's extractor does: 415 content type, 400 not JSON, 413 too large,
 * 422 a missing field or a field of the wrong type.
 */
export class BodyRejection extends Error {
  override readonly name = "BodyRejection";
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** The anti-leak answer: unknown and foreign workflows look the same. */
export function workflowNotFound(namespace: string): CallerApiError {
  return new CallerApiError("not_found", `workflow not found in namespace ${namespace}`);
}

const ENGINE_CODES: Readonly<Record<string, WireCode>> = {
  "unknown-workflow": "not_found",
  "unknown-workflow-type": "not_found",
  "no-package": "not_found",
  "unknown-version": "not_found",
  "already-terminal": "not_running",
  "query-rejected": "not_running",
  "unknown-query": "unknown_query",
  "query-timeout": "query_timeout",
  "query-failed": "query_failed",
  "invalid-argument": "invalid_input",
  "invalid-input": "invalid_input",
  "duplicate-workflow": "invalid_state",
  "store-conflict": "sequence_conflict",
  "store-unknown-workflow": "not_found",
  "store-invalid-argument": "invalid_input",
  "version-conflict": "version_pinned",
};

/**
 * Any thrown value as a wire error. Errors raised on purpose keep their
 * meaning; anything else is `backend` (500).
 */
export function toWireError(e: unknown): CallerApiError {
  if (e instanceof CallerApiError) return e;
  if (e instanceof InvalidInputError) return new CallerApiError("invalid_input", e.message);
  if (e instanceof ApiError) {
    if (e.code === "namespace_denied" || e.code === "deploy_denied") {
      return new CallerApiError(e.code, e.message);
    }
    return new CallerApiError(e.status === 500 ? "backend" : "invalid_input", e.message);
  }
  if (e instanceof EngineError) {
    if (e.code === "engine-shut-down") return new CallerApiError("backend", e.message, 503);
    return new CallerApiError(ENGINE_CODES[e.code] ?? "backend", e.message);
  }
  if (e instanceof StoreError) {
    const code = ENGINE_CODES[`store-${e.code}`] ?? "backend";
    return new CallerApiError(code, e.message);
  }
  return new CallerApiError("backend", e instanceof Error ? e.message : String(e));
}
