/**
 * `Bun.serve` around the API handler: binds (127.0.0.1 by default; port 0 =
 * ephemeral), and stops without dropping in-flight requests.
 */
import { type ApiContext, apiHandler } from "./routes.ts";

/** Where and how to listen. */
export interface ServeOptions {
  /** Port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface; default 127.0.0.1 (the API has no authentication). */
  readonly host?: string;
  /** Largest accepted request body (a package upload). Default 64 MiB. */
  readonly maxBodyBytes?: number;
}

/** A running API server. */
export interface ApiServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  /** Stops listening; resolves when in-flight requests are done. */
  stop(): Promise<void>;
}

/** Starts serving the API of `ctx`. */
export function serveApi(ctx: ApiContext, options: ServeOptions = {}): ApiServer {
  const hostname = options.host ?? "127.0.0.1";
  const server = Bun.serve({
    hostname,
    port: options.port ?? 0,
    maxRequestBodySize: options.maxBodyBytes ?? 64 * 1024 * 1024,
    // Result waits may take up to a minute; Bun's default idle timeout is 10 s.
    idleTimeout: 75,
    fetch: apiHandler(ctx),
  });
  const port = server.port ?? 0;
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    stop: () => server.stop(),
  };
}
