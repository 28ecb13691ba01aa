/**
 * `Bun.serve` around the API handler: binds (127.0.0.1 by default; port 0 =
 * ephemeral), applies the security policy of docs/security.md ("HTTP API"),
 * and stops without dropping in-flight requests.
 */
import { MAX_PACKAGE_BODY_BYTES } from "./limits.ts";
import { type ApiContext, apiHandler } from "./routes.ts";
import { type HttpSecurity, httpSecurity } from "./security.ts";
import type { TokenSet } from "./tokens.ts";

/** Where and how to listen. */
export interface ServeOptions {
  /** Port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface; default 127.0.0.1. Anything but loopback needs `tokens`. */
  readonly host?: string;
  /** Bearer tokens; without them only loopback binds are allowed. */
  readonly tokens?: TokenSet;
  /** Extra `Host` names accepted besides the loopback ones (e.g. behind a proxy). */
  readonly allowHosts?: readonly string[];
}

/** A running API server. */
export interface ApiServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  /** The policy it enforces. */
  readonly security: HttpSecurity;
  /** Stops listening; resolves when in-flight requests are done. */
  stop(): Promise<void>;
}

/**
 * Starts serving the API of `ctx`.
 * @throws InsecureBindError for a non-loopback `host` without `tokens` (before binding)
 */
export function serveApi(ctx: ApiContext, options: ServeOptions = {}): ApiServer {
  const hostname = options.host ?? "127.0.0.1";
  const security = httpSecurity({
    bindHost: hostname,
    ...(options.tokens ? { tokens: options.tokens } : {}),
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
  });
  const server = Bun.serve({
    hostname,
    port: options.port ?? 0,
    // The largest body any route takes; each route enforces its own, smaller limit.
    maxRequestBodySize: MAX_PACKAGE_BODY_BYTES,
    // Result waits may take up to a minute; Bun's default idle timeout is 10 s.
    idleTimeout: 75,
    fetch: apiHandler({ ...ctx, security }),
  });
  const port = server.port ?? 0;
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    security,
    stop: () => server.stop(),
  };
}
