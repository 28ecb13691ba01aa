/**
 * The HTTP/JSON API of `aion serve` and `aion worker`: a `Request → Response`
 * handler over an engine with deploys, its security policy (tokens,
 * namespaces, host and origin rules, limits), and a `Bun.serve` wrapper.
 */
export { ALL_NAMESPACES, type Caller, mayUseNamespace } from "./caller.ts";
export { ApiError, type ApiErrorBody, describeError } from "./errors.ts";
export { hostAllowed, isLoopbackBind, LOOPBACK_NAMES } from "./hosts.ts";
export { MAX_JSON_BODY_BYTES, MAX_PACKAGE_BODY_BYTES } from "./limits.ts";
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
export { MIN_TOKEN_LENGTH, TokenConfigError, TokenSet } from "./tokens.ts";
export { wireHistory, wireValue } from "./wire.ts";
