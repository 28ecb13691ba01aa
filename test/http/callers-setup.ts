/**
 * Shared setup of the original-API tests: an engine with the counter and
 * stuck workflows, servers with and without tokens, and small helpers for
 * POSTing to the original routes and reading WebSocket streams.
 */
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import { type ApiServer, type ServeOptions, serveApi, TokenSet } from "../../engine/http/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";

export const FIXTURES = join(import.meta.dir, "../../fixtures/workflows");
export const OPS = "ops-token-0123456789";
export const CONF = "conformance-token-0123456789";
export const TOKENS = TokenSet.parse(
  JSON.stringify({
    tokens: [
      { token: OPS, subject: "ops", namespaces: "*", deploy: true },
      { token: CONF, subject: "conf", namespaces: ["conformance"] },
    ],
  }),
  "test tokens",
);

/**
 * An engine with `counter` (signals `cmd` "inc"/"stop", query `state`),
 * `stuck` (never answers a query) and `countdown` (input N: continues as new
 * N times, then completes).
 */
export async function openTestEngine(): Promise<DeployedEngine> {
  return openDeployed({
    store: new MemoryStore(),
    modulesDir: FIXTURES,
    workflows: {
      counter: { module: "wf_signals", function: "counter" },
      stuck: { module: "wf_signals", function: "stuck" },
      countdown: { module: "authoring_raw", function: "continue_as_new" },
    },
    queryTimeoutMs: 120_000,
    log: () => {},
  });
}

export function serve(d: DeployedEngine, options: ServeOptions = {}): ApiServer {
  return serveApi({ engine: d.engine, deployments: d.deployments }, options);
}

/** A reply as raw parts: status, content type and the body text. */
export interface Reply {
  readonly status: number;
  readonly type: string;
  readonly text: string;
  readonly json: unknown;
}

/** POSTs `body` (an object, sent as JSON, or a raw string) to `path`. */
export async function post(
  server: ApiServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, json };
}

/** The JSON of the Event inside an event frame. */
export function eventOfFrame(frame: unknown): {
  type: string;
  data: { envelope: { seq: number } };
} {
  const bytes = (frame as { event: { payload: { bytes: number[] } } }).event.payload.bytes;
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bytes)));
}

/** One stream connection, recording its frames and how it closed. */
export class StreamProbe {
  readonly frames: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly ws: WebSocket;
  private readonly waiters: (() => void)[] = [];

  constructor(server: ApiServer, first: unknown, headers: Record<string, string> = {}, query = "") {
    const url = `${server.url.replace("http:", "ws:")}/events/stream${query}`;
    this.ws = new WebSocket(url, { headers } as unknown as string[]);
    this.ws.onopen = () => this.ws.send(typeof first === "string" ? first : JSON.stringify(first));
    this.ws.onmessage = (m) => {
      this.frames.push(JSON.parse(String(m.data)));
      this.poke();
    };
    this.ws.onclose = (c) => {
      this.closed = { code: c.code, reason: c.reason };
      this.poke();
    };
  }

  private poke(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `cond` holds (checked on every frame and on close). */
  async until(cond: () => boolean): Promise<void> {
    while (!cond()) {
      if (this.closed !== undefined && !cond())
        throw new Error(
          `stream closed: ${JSON.stringify(this.closed)}; frames ${JSON.stringify(this.frames).slice(0, 500)}`,
        );
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Event seqs received so far. */
  seqs(): number[] {
    return this.frames.filter((f) => "event" in f).map((f) => eventOfFrame(f).data.envelope.seq);
  }

  types(): string[] {
    return this.frames.filter((f) => "event" in f).map((f) => eventOfFrame(f).type);
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    while (this.closed === undefined) await new Promise<void>((r) => this.waiters.push(r));
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}
