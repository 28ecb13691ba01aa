/**
 * The HTTP/JSON API of `aion serve` and `aion worker`: a `Request → Response`
 * handler over an engine with deploys, its security policy (tokens,
 * namespaces, host and origin rules, limits), and a `Bun.serve` wrapper that
 * also serves the original callers' routes, the `/events/stream` WebSocket
 * and `/metrics`, with structured logs.
 */
export { ALL_NAMESPACES, type Caller, mayUseNamespace } from "./caller.ts";
export { ApiError, type ApiErrorBody, describeError } from "./errors.ts";
export { hostAllowed, isLoopbackBind, LOOPBACK_NAMES } from "./hosts.ts";
export { MAX_JSON_BODY_BYTES, MAX_PACKAGE_BODY_BYTES } from "./limits.ts";
export {
  createLogger,
  engineLogSink,
  type LogFormat,
  type LogLevel,
  logLifecycle,
  logRequest,
  type ServerLogger,
} from "./log.ts";
export { EngineMetrics } from "./metrics/engine-metrics.ts";
export { EXPOSITION_CONTENT_TYPE } from "./metrics/exposition.ts";
export {
  CallerApiError,
  WIRE_STATUS,
  type WireCode,
  type WireError,
} from "./original/errors.ts";
export {
  CALLER_ROUTE_PATHS,
  type CallerApiContext,
  callerApiHandler,
  DEFAULT_CALLER_QUERY_TIMEOUT_MS,
} from "./original/routes.ts";
export {
  isUuid,
  TERMINAL_EVENT_TYPES,
  type WireEvent,
  type WireSummary,
  wireEvent,
  wireSummary,
} from "./original/wire.ts";
export {
  type ApiContext,
  apiHandler,
  MAX_RESULT_WAIT_MS,
  PACKAGE_CONTENT_TYPES,
} from "./routes.ts";
export {
  authenticate,
  type HttpSecurity,
  httpSecurity,
  InsecureBindError,
  type SecurityOptions,
} from "./security.ts";
export { type ApiServer, type ServeOptions, serveApi } from "./server.ts";
export { EventHub } from "./stream/hub.ts";
export { parseSubscription, type SubscriptionRequest } from "./stream/request.ts";
export { CLOSE_COMPLETE, CLOSE_ERROR, COMPLETE_REASON, type StreamSink } from "./stream/sink.ts";
export { EVENT_STREAM_PATH } from "./stream/socket.ts";
export { DEFAULT_FEED_LIMITS, type FeedLimits, WorkflowFeed } from "./stream/workflow-feed.ts";
export { MIN_TOKEN_LENGTH, TokenConfigError, TokenSet } from "./tokens.ts";
export { wireHistory, wireValue } from "./wire.ts";
