/**
 * Running an engine as a long-lived process (`aion worker`, `aion serve`):
 * open the engine with every stored package, register the activities, take
 * a fair share of the shard leases beside any other worker of the database,
 * recover those shards, serve the HTTP API, announce it in the endpoint
 * file, and run until SIGINT or SIGTERM, then shut down cleanly (leases
 * released, so peers take the shards over at once).
 */
import { openDeployed } from "../../engine/deploy/index.ts";
import {
  createLogger,
  engineLogSink,
  type HttpSecurity,
  httpSecurity,
  InsecureBindError,
  type LogFormat,
  serveApi,
} from "../../engine/http/index.ts";
import type { ActivityFn } from "../../engine/index.ts";
import { findWorker, writeEndpoint } from "./endpoint.ts";
import { usageError } from "./errors.ts";
import { EXIT } from "./exit-codes.ts";
import { openStore } from "./store.ts";

export interface HostOptions {
  /** Absolute database path. */
  readonly db: string;
  readonly port: number;
  readonly host: string;
  readonly activities: Readonly<Record<string, ActivityFn>>;
  /** `worker` or `serve`, for messages. */
  readonly label: string;
  /** Tokens and Host rules (`aion serve`); default: loopback without tokens. */
  readonly security?: HttpSecurity;
  /** `--log-format`: plain text lines (default) or JSON lines, on stderr. */
  readonly logFormat?: LogFormat;
  /** Serve the web console at `/ui` (`aion serve --ui`). */
  readonly ui?: boolean;
}

/** `--log-format text|json`. @throws CliError usage */
export function logFormatOption(p: { readonly values: ReadonlyMap<string, string> }): LogFormat {
  const v = p.values.get("log-format") ?? "text";
  if (v !== "text" && v !== "json")
    throw usageError(`--log-format must be text or json, got '${v}'`);
  return v;
}

/** The default policy (no tokens): refuses a non-loopback bind. @throws CliError usage */
function tokenlessPolicy(host: string): HttpSecurity {
  try {
    return httpSecurity({ bindHost: host });
  } catch (e) {
    if (e instanceof InsecureBindError) throw usageError(e.message);
    throw e;
  }
}

/** Runs until a termination signal; resolves to the exit status. */
export async function runHost(o: HostOptions): Promise<number> {
  // Judged before the database is opened, so a refused bind touches nothing.
  const security = o.security ?? tokenlessPolicy(o.host);
  // Another worker on the same database is a peer, not a conflict: they share
  // the shards through leases in the store (docs/engine.md, "Ownership").
  const peer = await findWorker(o.db);
  const { store, release } = await openStore(o.db);
  const logger = createLogger(o.logFormat ?? "text");
  const { engine, deployments } = await openDeployed({
    store,
    activities: o.activities,
    recover: false,
    ownership: { mode: "shared" },
    log: engineLogSink(logger),
  }).catch(async (e: unknown) => {
    await release();
    throw e;
  });
  const recovery = await engine.recover();
  const server = serveApi(
    { engine, deployments, info: { db: o.db, pid: process.pid, role: o.label } },
    {
      port: o.port,
      host: o.host,
      ...(security.tokens ? { tokens: security.tokens } : {}),
      allowHosts: security.allowHosts,
      logger,
      ui: o.ui === true,
    },
  );
  const removeEndpoint = writeEndpoint({ pid: process.pid, url: server.url, db: o.db });
  const names = Object.keys(o.activities);
  const say = (line: string): void =>
    o.logFormat === "json" ? logger.log("info", `${o.label}.lifecycle`, line) : console.error(line);
  say(
    `aion ${o.label}: serving ${o.db} on ${server.url} (pid ${process.pid}); ` +
      `${names.length} activities${names.length ? ` (${names.join(", ")})` : ""}; ` +
      `shards ${engine.ownership.shards.length}/${engine.ownership.shardCount}` +
      (peer !== undefined ? ` (beside pid ${peer.pid})` : "") +
      `; resumed ${recovery.resumed.length} workflow(s)` +
      (server.security.tokens ? `; ${server.security.tokens.size} bearer token(s)` : ""),
  );
  for (const f of recovery.failed)
    say(`aion ${o.label}: could not resume ${f.workflowId}: ${f.reason}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  say(`aion ${o.label}: ${signal}, shutting down`);
  removeEndpoint();
  await server.stop();
  await engine.shutdown();
  await release();
  return EXIT.ok;
}
