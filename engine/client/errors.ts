/**
 * Typed errors of the client, one class per wire code of the original API
 * (docs/api.md, "Errors"), so callers `catch` by class instead of comparing
 * strings. `errorFromWire` maps a reply (status and body) to its class.
 */

/** Every error the client raises for a server's refusal. */
export class AionClientError extends Error {
  override name = "AionClientError";
  constructor(
    /** The wire code (`not_found`, ...), or `unauthenticated` / `rejected` / `transport`. */
    readonly code: string,
    message: string,
    /** HTTP status, or the WebSocket close code for stream errors; 0 when none. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** `not_found`: no such workflow in the namespace (or one the caller may not see). */
export class NotFoundError extends AionClientError {
  override name = "NotFoundError";
}
/** `namespace_denied` / `deploy_denied`: the caller holds no grant for it. */
export class NamespaceDeniedError extends AionClientError {
  override name = "NamespaceDeniedError";
}
/** `invalid_input`: a value of the request is wrong (an id, a filter, a resume point). */
export class InvalidInputError extends AionClientError {
  override name = "InvalidInputError";
}
/** `unknown_query`: the workflow has no handler of that name. */
export class UnknownQueryError extends AionClientError {
  override name = "UnknownQueryError";
}
/** `not_running`: the run has ended. */
export class NotRunningError extends AionClientError {
  override name = "NotRunningError";
}
/** `query_timeout`: no reply within the server's (or this client's) deadline. */
export class QueryTimeoutError extends AionClientError {
  override name = "QueryTimeoutError";
}
/** `query_failed`: the query handler crashed. */
export class QueryFailedError extends AionClientError {
  override name = "QueryFailedError";
}
/** 409 codes: `sequence_conflict`, `version_pinned`, `not_owner` (retryable), `invalid_state`. */
export class ConflictError extends AionClientError {
  override name = "ConflictError";
  /** Whether retrying the same request may succeed (`not_owner`). */
  get retryable(): boolean {
    return this.code === "not_owner";
  }
}
/** `lagged`: the stream consumer fell behind and was cut off. */
export class LaggedError extends AionClientError {
  override name = "LaggedError";
}
/** `backend` (500/503) or an unknown code. */
export class BackendError extends AionClientError {
  override name = "BackendError";
}
/** 401: no valid bearer token. */
export class UnauthenticatedError extends AionClientError {
  override name = "UnauthenticatedError";
}
/** A plain-text refusal of the request body (415, 413, 400, 422): a client bug. */
export class RequestRejectedError extends AionClientError {
  override name = "RequestRejectedError";
}

type ErrorClass = new (code: string, message: string, status: number) => AionClientError;

const BY_CODE: Readonly<Record<string, ErrorClass>> = {
  not_found: NotFoundError,
  namespace_denied: NamespaceDeniedError,
  deploy_denied: NamespaceDeniedError,
  invalid_input: InvalidInputError,
  unknown_query: UnknownQueryError,
  not_running: NotRunningError,
  query_timeout: QueryTimeoutError,
  query_failed: QueryFailedError,
  sequence_conflict: ConflictError,
  version_pinned: ConflictError,
  not_owner: ConflictError,
  invalid_state: ConflictError,
  lagged: LaggedError,
  backend: BackendError,
};

/** The error of a wire `{code, message}` body. */
export function errorFromCode(code: string, message: string, status: number): AionClientError {
  const Cls = BY_CODE[code] ?? BackendError;
  return new Cls(code, message, status);
}

/** The error of a non-200 reply: JSON `{code, message}`, a plain-text rejection or an empty 401. */
export function errorFromWire(status: number, text: string): AionClientError {
  if (status === 401)
    return new UnauthenticatedError("unauthenticated", "no valid bearer token", 401);
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === "object" && body !== null) {
      const o = body as Record<string, unknown>;
      const err = (typeof o.error === "object" && o.error !== null ? o.error : o) as Record<
        string,
        unknown
      >;
      if (typeof err.code === "string") {
        return errorFromCode(err.code, typeof err.message === "string" ? err.message : "", status);
      }
    }
  } catch {
    // Not JSON: a body-parse refusal.
  }
  return new RequestRejectedError("rejected", text || `HTTP ${status}`, status);
}
