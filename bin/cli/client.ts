/**
 * How a command reaches the engine: through the running worker's HTTP API
 * when one serves the database, otherwise through an engine opened in this
 * process and the very same API handler called in memory. Either way a
 * command sends one request and gets the same JSON and the same error codes.
 *
 * A local engine is opened dormant by default: it records starts, signals
 * and ends durably but parks workflow code, which only a worker runs (it has
 * the activities). It owns no shard: a call on a workflow a live worker owns
 * goes to that worker through the store's inbox, and one nobody owns is
 * recorded under a lease borrowed for that call alone. `live` (`start
 * --wait`, `result --wait`) waits on the store beside live workers; with
 * none it runs the workflow it was asked about itself (ownership mode
 * `focus`): the one it starts, or the one named by `resume`, and the
 * children they start, and nothing else: it never adopts other workflows,
 * whose calls and activities wait for a worker.
 */
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import { apiHandler } from "../../engine/http/index.ts";
import type { ActivityFn } from "../../engine/index.ts";
import { findWorker } from "./endpoint.ts";
import { CliError } from "./errors.ts";
import { openStoreObject } from "./store.ts";

/** A connection to the engine of one database. */
export interface Client {
  /** Whether requests go to a worker process. */
  readonly remote: boolean;
  /** Sends one API request; resolves with the JSON body. @throws CliError */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Like `call`, also resolving with the HTTP status (e.g. 202 = still running). */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** `--namespace NS`: the option of every command that addresses workflows. */
export const NAMESPACE_OPTION = { namespace: "value" } as const;

/** Which namespace a command's requests address (absent: the API's default, `default`). */
export interface ConnectScope {
  readonly namespace?: string;
}

/** The scope `--namespace` gives. */
export function scopeOf(p: { readonly values: ReadonlyMap<string, string> }): ConnectScope {
  const namespace = p.values.get("namespace");
  return namespace === undefined ? {} : { namespace };
}

/** `path` with `?namespace=` added for workflow routes (packages are not namespaced). */
function scoped(path: string, scope: ConnectScope): string {
  if (scope.namespace === undefined || !path.startsWith("/v1/workflows")) return path;
  const sep = path.includes("?") ? "&" : "?";
  return `${path}${sep}namespace=${encodeURIComponent(scope.namespace)}`;
}

/** How to reach the engine when no worker serves the database. */
export type ConnectMode =
  | { readonly kind: "dormant" }
  | {
      readonly kind: "live";
      readonly activities?: Readonly<Record<string, ActivityFn>>;
      /** A workflow to run here when no worker is live (`result --wait ID`). */
      readonly resume?: string;
    }
  | { readonly kind: "worker"; readonly why: string };

type Send = (req: Request) => Promise<Response>;

/** Connects to the worker of `db`, or opens an engine on it as `mode` says. */
export async function connect(
  db: string,
  mode: ConnectMode,
  scope: ConnectScope = {},
): Promise<Client> {
  const worker = await findWorker(db);
  if (worker !== undefined)
    return client(
      true,
      worker.url,
      (req) => fetch(req),
      async () => {},
      scope,
    );
  if (mode.kind === "worker") {
    throw new CliError(
      "no-worker",
      `no worker serves ${db}: ${mode.why} (start one with 'aion worker --db ${db} ACTIVITIES.ts')`,
    );
  }
  const { store, release } = await openStoreObject(db);
  // A one-shot command adopts no workflows: it holds no standing lease, it
  // recovers nothing, and its calls reach the owner through the inbox. Only a
  // waiting command with no engine process live on the database runs its own
  // workflow meanwhile (and keeps that workflow's shard while it does).
  const alone =
    mode.kind === "live" && (await store.coordination.listMembers(Date.now())).length === 0;
  const opened: DeployedEngine = await (async () => {
    const o = await openDeployed({
      store,
      dormant: mode.kind === "dormant",
      recover: false,
      ownership: { mode: alone ? "focus" : "client" },
      ...(mode.kind === "live" && mode.activities ? { activities: mode.activities } : {}),
    });
    if (alone && mode.kind === "live" && mode.resume !== undefined) {
      await o.engine.resume(mode.resume).catch(async (e: unknown) => {
        await o.engine.shutdown();
        throw e;
      });
    }
    return o;
  })().catch(async (e: unknown) => {
    await release();
    throw e;
  });
  const handler = apiHandler({ ...opened, info: { db } });
  // A loopback name: the handler answers only to this server's names (docs/security.md).
  return client(
    false,
    "http://localhost",
    handler,
    () => opened.engine.shutdown().then(release),
    scope,
  );
}

function client(
  remote: boolean,
  base: string,
  send: Send,
  close: () => Promise<void>,
  scope: ConnectScope,
): Client {
  const request = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    // The API refuses undeclared bodies on mutating requests (CSRF rule).
    if (method !== "GET") {
      headers["content-type"] =
        body instanceof Uint8Array ? "application/vnd.aion.package" : "application/json";
    }
    // A worker started with tokens needs one; AION_TOKEN is the CLI's.
    const token = process.env.AION_TOKEN;
    if (token) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (body instanceof Uint8Array) init.body = body;
    else if (body !== undefined) init.body = JSON.stringify(body);
    let res: Response;
    try {
      res = await send(new Request(base + scoped(path, scope), init));
    } catch (e) {
      throw new CliError(
        "worker-unreachable",
        `cannot reach the worker at ${base}: ${(e as Error).message}`,
      );
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      throw new CliError(
        "internal",
        `the API answered ${res.status} with non-JSON: ${text.slice(0, 200)}`,
      );
    }
    if (res.status >= 400) {
      const err = (
        parsed as { error?: { code?: string; message?: string; details?: unknown } } | null
      )?.error;
      throw new CliError(
        err?.code ?? "internal",
        err?.message ?? `HTTP ${res.status}`,
        err?.details,
      );
    }
    return { status: res.status, body: parsed };
  };
  return {
    remote,
    request,
    call: async (method, path, body) => (await request(method, path, body)).body,
    close,
  };
}

/** `encodeURIComponent` for path segments (ids and names may hold any character). */
export const seg = encodeURIComponent;
