/**
 * The HTTP/JSON API of `aion serve` and `aion worker`: a `Request → Response`
 * handler over an engine with deploys, and a `Bun.serve` wrapper.
 */
export { ApiError, type ApiErrorBody, describeError } from "./errors.ts";
export { type ApiContext, apiHandler, MAX_RESULT_WAIT_MS } from "./routes.ts";
export { type ApiServer, type ServeOptions, serveApi } from "./server.ts";
export { wireHistory, wireValue } from "./wire.ts";
