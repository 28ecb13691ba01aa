/**
 * The endpoint file: a worker (or `aion serve`) announces where its API
 * listens in `<db>.worker.json`, so other commands on the same database talk
 * to it instead of opening a second engine on the same histories (two engines
 * would race on appends, and only the worker has the activities).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isPostgresUrl } from "./store.ts";

/** What the file holds. */
export interface Endpoint {
  readonly pid: number;
  readonly url: string;
  readonly db: string;
}

/** The endpoint file of a database. */
export function endpointPath(db: string): string {
  // A server URL has no file beside it: announce in the temp dir, keyed by the URL.
  if (isPostgresUrl(db)) {
    const key = new Bun.CryptoHasher("sha256").update(db).digest("hex").slice(0, 24);
    return join(tmpdir(), `aion-${key}.worker.json`);
  }
  return `${db}.worker.json`;
}

/** Announces a worker; returns a function removing the file again (only if it is still ours). */
export function writeEndpoint(e: Endpoint): () => void {
  const path = endpointPath(e.db);
  writeFileSync(path, `${JSON.stringify(e)}\n`);
  return () => {
    const now = readEndpointFile(path);
    if (now?.pid === e.pid) rmSync(path, { force: true });
  };
}

function readEndpointFile(path: string): Endpoint | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Partial<Endpoint>;
    if (typeof v.pid === "number" && typeof v.url === "string" && typeof v.db === "string") {
      return { pid: v.pid, url: v.url, db: v.db };
    }
  } catch {
    // A torn or foreign file: treat as absent.
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The live worker of `db`, if any: the file exists, its process is alive and
 * its API answers for this database. A stale file (a killed worker) is ignored.
 */
export async function findWorker(db: string): Promise<Endpoint | undefined> {
  const e = readEndpointFile(endpointPath(db));
  if (e === undefined || !alive(e.pid)) return undefined;
  try {
    const res = await fetch(`${e.url}/v1/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { db?: unknown; auth?: unknown };
    // A worker with tokens shows its details only to token holders; the
    // endpoint file (written by that live pid for this db) then vouches.
    return res.ok && (body.db === db || (body.auth === "bearer" && e.db === db)) ? e : undefined;
  } catch {
    return undefined;
  }
}
