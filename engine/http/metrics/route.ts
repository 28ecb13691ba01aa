/**
 * `GET /metrics`: the scrape endpoint. Screened and authenticated like the
 * rest of the API (with tokens, any valid token may scrape; Prometheus sends
 * it with `authorization.credentials`); it names no namespace's workflows,
 * only counts.
 */
import { describeError } from "../errors.ts";
import { authenticate, type HttpSecurity, screen } from "../security.ts";
import type { EngineMetrics } from "./engine-metrics.ts";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.ts";

/** The path of the scrape endpoint. */
export const METRICS_PATH = "/metrics";

/** Answers a scrape. */
export async function metricsResponse(
  metrics: EngineMetrics,
  security: HttpSecurity,
  req: Request,
): Promise<Response> {
  try {
    screen(security, req);
    authenticate(security, req);
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { allow: "GET" } });
    }
    return new Response(await metrics.scrape(), {
      headers: { "content-type": EXPOSITION_CONTENT_TYPE },
    });
  } catch (e) {
    const { status, body } = describeError(e);
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    if (status === 401) headers["www-authenticate"] = 'Bearer realm="aion"';
    return new Response(JSON.stringify({ error: body }), { status, headers });
  }
}
