/**
 * `aion-bun/client`: a TypeScript client of the original callers' HTTP API
 * and its `/events/stream` WebSocket, with typed errors.
 */
export { AionClient, type ClientOptions, type TargetOptions } from "./client.ts";
export {
  AionClientError,
  BackendError,
  ConflictError,
  errorFromCode,
  errorFromWire,
  InvalidInputError,
  LaggedError,
  NamespaceDeniedError,
  NotFoundError,
  NotRunningError,
  QueryFailedError,
  QueryTimeoutError,
  RequestRejectedError,
  UnauthenticatedError,
  UnknownQueryError,
} from "./errors.ts";
export { type StreamTarget, type SubscribeOptions, subscribeEvents } from "./subscribe.ts";
export type { HistoryEvent, ListFilter, Status, Summary, WorkflowHandle } from "./types.ts";
