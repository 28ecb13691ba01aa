/**
 * `GET /events/stream` on Bun's WebSocket server (the API's own listener).
 * The upgrade is screened like any request (Host; Origin absent or this
 * server's own, since browsers send cross-site WebSocket handshakes without
 * any preflight) and authenticated from headers or, for clients that cannot
 * set headers, query parameters (`access_token`/`token`, `authorization`,
 * `namespaces`, `subject`, `x-aion-*`; headers win). The first client frame
 * picks the subscription; the grant, ownership and resume point are checked
 * then, in that order, and a refusal is an error frame and close 1011.
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Engine } from "../../engine.ts";
import { type Caller, mayUseNamespace } from "../caller.ts";
import { ApiError } from "../errors.ts";
import { sameOrigin } from "../hosts.ts";
import { CallerApiError, toWireError, workflowNotFound } from "../original/errors.ts";
import { callerErrorResponse } from "../original/routes.ts";
import { authenticate, type HttpSecurity, screen } from "../security.ts";
import type { EventHub } from "./hub.ts";
import { NamespaceFeed } from "./namespace-feed.ts";
import { parseSubscription, resumePoint } from "./request.ts";
import { failStream, type StreamSink } from "./sink.ts";
import { DEFAULT_FEED_LIMITS, type FeedLimits, WorkflowFeed } from "./workflow-feed.ts";

/** The path of the stream. */
export const EVENT_STREAM_PATH = "/events/stream";

/** What the stream serves. */
export interface StreamContext {
  readonly engine: Engine;
  readonly hub: EventHub;
  readonly security: HttpSecurity;
  readonly limits?: Partial<FeedLimits>;
  /** Open connections, so a stopping server can close them (1001). */
  readonly sockets?: Set<ServerWebSocket<StreamSocketData>>;
}

/** Per-connection state. */
export interface StreamSocketData {
  readonly caller: Caller;
  /** Set once the first frame has been taken. */
  subscribed: boolean;
  feed: { stop(): void } | undefined;
}

/** Query parameters that stand in for headers, by the header they fill. */
function headersFromQuery(req: Request, url: URL): Headers {
  const h = new Headers(req.headers);
  const q = url.searchParams;
  const fill = (name: string, value: string | null): void => {
    if (value !== null && !h.has(name)) h.set(name, value);
  };
  const token = q.get("access_token") ?? q.get("token");
  fill("authorization", token !== null ? `Bearer ${token}` : q.get("authorization"));
  fill("x-aion-namespaces", q.get("namespaces"));
  fill("x-aion-subject", q.get("subject"));
  for (const [k, v] of q) if (k.toLowerCase().startsWith("x-aion-")) fill(k.toLowerCase(), v);
  return h;
}

/**
 * Answers an upgrade request: a refusal as an HTTP response, or undefined
 * once the connection was upgraded.
 */
export function upgradeEventStream(
  ctx: StreamContext,
  server: Server<StreamSocketData>,
  req: Request,
  url: URL,
): Response | undefined {
  try {
    screen(ctx.security, req);
    const host = req.headers.get("host") ?? url.host;
    const origin = req.headers.get("origin");
    if (!sameOrigin(origin, host)) {
      throw new ApiError(
        403,
        "origin_denied",
        `cross-origin stream from '${String(origin).slice(0, 200)}' refused`,
      );
    }
    const caller = authenticate(
      ctx.security,
      new Request(req.url, { headers: headersFromQuery(req, url) }),
    );
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("this endpoint speaks WebSocket only", {
        status: 426,
        headers: { upgrade: "websocket" },
      });
    }
    const data: StreamSocketData = { caller, subscribed: false, feed: undefined };
    if (server.upgrade(req, { data })) return undefined;
    return new Response("WebSocket upgrade failed", { status: 400 });
  } catch (e) {
    return callerErrorResponse(e);
  }
}

function sinkOf(ws: ServerWebSocket<StreamSocketData>): StreamSink {
  return {
    send: (text) => ws.send(text),
    bufferedAmount: () => ws.getBufferedAmount(),
    close: (code, reason) => ws.close(code, reason),
  };
}

/** Takes the first frame: checks it and starts the feed it asks for. */
async function subscribe(
  ctx: StreamContext,
  ws: ServerWebSocket<StreamSocketData>,
  frame: string | Uint8Array,
): Promise<void> {
  const sink = sinkOf(ws);
  const limits = { ...DEFAULT_FEED_LIMITS, ...ctx.limits };
  try {
    const request = parseSubscription(frame);
    const { caller } = ws.data;
    if (request.namespace === "" || !mayUseNamespace(caller, request.namespace)) {
      throw new CallerApiError(
        "namespace_denied",
        `subject ${caller.subject} not authorized for namespace ${request.namespace}; ` +
          "add it to the bearer token's namespaces (x-aion-namespaces can only narrow them)",
      );
    }
    if (request.kind === "namespace") {
      const feed = new NamespaceFeed(ctx.engine, ctx.hub, sink, request, limits);
      ws.data.feed = feed;
      feed.start();
      return;
    }
    const d = await ctx.engine.store.describe(request.workflowId);
    if (d === undefined || d.namespace !== request.namespace)
      throw workflowNotFound(request.namespace);
    const from = resumePoint(request.resumeFromSeq, d.headSeq);
    const feed = new WorkflowFeed(
      ctx.engine,
      ctx.hub,
      sink,
      request.namespace,
      request.workflowId,
      from,
      d.headSeq,
      limits,
    );
    ws.data.feed = feed;
    if (ws.readyState !== 1) {
      feed.stop();
      return;
    }
    feed.start();
  } catch (e) {
    failStream(sink, toWireError(e).body);
  }
}

/** The `websocket` handlers of `Bun.serve`. */
export function eventStreamHandlers(ctx: StreamContext): WebSocketHandler<StreamSocketData> {
  return {
    open(ws) {
      ctx.sockets?.add(ws);
    },
    message(ws, message) {
      // Later client frames are ignored.
      if (ws.data.subscribed) return;
      ws.data.subscribed = true;
      const frame = typeof message === "string" ? message : new Uint8Array(message);
      void subscribe(ctx, ws, frame);
    },
    close(ws) {
      ctx.sockets?.delete(ws);
      ws.data.feed?.stop();
    },
  };
}
