/**
 * `Bun.serve` around the APIs of one engine, on one listener: the `/v1`
 * HTTP/JSON API, the original callers' routes (`POST /workflows/*`), the
 * event stream (`GET /events/stream`, a WebSocket) and `GET /metrics`.
 * Binds 127.0.0.1 by default (port 0 = ephemeral), applies the security
 * policy of docs/security.md ("HTTP API"), logs one line per request when
 * given a logger, and stops without dropping in-flight requests.
 */
import type { ServerWebSocket } from "bun";
import { MAX_PACKAGE_BODY_BYTES } from "./limits.ts";
import { logLifecycle, logRequest, type ServerLogger } from "./log.ts";
import { EngineMetrics } from "./metrics/engine-metrics.ts";
import { METRICS_PATH, metricsResponse } from "./metrics/route.ts";
import { CALLER_ROUTE_PATHS, callerApiHandler } from "./original/routes.ts";
import { type ApiContext, apiHandler } from "./routes.ts";
import { authenticate, type HttpSecurity, httpSecurity } from "./security.ts";
import { EventHub } from "./stream/hub.ts";
import {
  EVENT_STREAM_PATH,
  eventStreamHandlers,
  type StreamSocketData,
  upgradeEventStream,
} from "./stream/socket.ts";
import type { FeedLimits } from "./stream/workflow-feed.ts";
import type { TokenSet } from "./tokens.ts";
import { lazyUiAssets } from "./ui/assets.ts";
import { isUiPath, uiResponse } from "./ui/route.ts";

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
  /** Request lines and (JSON format) workflow lifecycle lines; default: none. */
  readonly logger?: ServerLogger;
  /** Server deadline of `POST /workflows/query` (default 10000 ms). */
  readonly queryTimeoutMs?: number;
  /** Event stream limits (lagged thresholds, the tail period). */
  readonly streamLimits?: Partial<FeedLimits>;
  /** Serve the web console at `/ui` (docs/ui.md); default off. */
  readonly ui?: boolean;
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

/** The subject of a request for the request log (undefined when not authenticated). */
function subjectOf(security: HttpSecurity, req: Request): string | undefined {
  try {
    return authenticate(security, req).subject;
  } catch {
    return undefined;
  }
}

/**
 * Starts serving the APIs of `ctx`.
 * @throws InsecureBindError for a non-loopback `host` without `tokens` (before binding)
 */
export function serveApi(ctx: ApiContext, options: ServeOptions = {}): ApiServer {
  const hostname = options.host ?? "127.0.0.1";
  const security = httpSecurity({
    bindHost: hostname,
    ...(options.tokens ? { tokens: options.tokens } : {}),
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
  });
  const { engine } = ctx;
  const hub = new EventHub(engine);
  const metrics = new EngineMetrics(engine, () => ({
    aion_stream_subscribers: {
      help: "Event stream subscriptions currently attached.",
      value: hub.subscriberCount,
    },
  }));
  const logger = options.logger;
  const stopLifecycle = logger ? logLifecycle(engine, logger) : () => {};
  const v1 = apiHandler({ ...ctx, security });
  const original = callerApiHandler({
    engine,
    deployments: ctx.deployments,
    security,
    ...(options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
  });
  const sockets = new Set<ServerWebSocket<StreamSocketData>>();
  const streamCtx = {
    engine,
    hub,
    security,
    sockets,
    ...(options.streamLimits ? { limits: options.streamLimits } : {}),
  };
  const ui = options.ui ? { engine, security, assets: lazyUiAssets() } : undefined;
  const route = (
    req: Request,
    server: Bun.Server<StreamSocketData>,
  ): Promise<Response> | Response | undefined => {
    const url = new URL(req.url);
    if (url.pathname === EVENT_STREAM_PATH) return upgradeEventStream(streamCtx, server, req, url);
    if (url.pathname === METRICS_PATH) return metricsResponse(metrics, security, req);
    if (CALLER_ROUTE_PATHS.has(url.pathname)) return original(req, url);
    if (ui && isUiPath(url.pathname)) return uiResponse(ui, req, url);
    return v1(req);
  };
  const server = Bun.serve<StreamSocketData>({
    hostname,
    port: options.port ?? 0,
    // The largest body any route takes; each route enforces its own, smaller limit.
    maxRequestBodySize: MAX_PACKAGE_BODY_BYTES,
    // Result waits may take up to a minute; Bun's default idle timeout is 10 s.
    idleTimeout: 75,
    fetch: async (req, srv) => {
      const started = performance.now();
      const res = await route(req, srv);
      if (logger) {
        logRequest(logger, {
          method: req.method,
          path: new URL(req.url).pathname,
          status: res?.status ?? 101,
          durationMs: performance.now() - started,
          subject: subjectOf(security, req),
        });
      }
      return res;
    },
    websocket: eventStreamHandlers(streamCtx),
  });
  const port = server.port ?? 0;
  const shownHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    security,
    stop: async () => {
      for (const ws of sockets) ws.close(1001, "server shutting down");
      await server.stop();
      stopLifecycle();
      metrics.close();
      hub.close();
    },
  };
}
