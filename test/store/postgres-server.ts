/**
 * The PostgreSQL server the Postgres store tests run against: the one named
 * by AION_TEST_POSTGRES_URL when set, otherwise a throwaway cluster started
 * with scripts/postgres.sh once per test process (shared by every test file
 * of the run) and stopped by the script's watcher as soon as this process
 * exits, however it exits: `bun test` has no exit hook to do it in.
 * When PostgreSQL is not installed the tests are skipped, with a message
 * saying how to install it.
 */
import { join } from "node:path";
import { SQL } from "bun";

/** Where the tests find PostgreSQL, or why they cannot. */
export type TestPostgres =
  | { readonly url: string; readonly skip?: undefined }
  | { readonly url?: undefined; readonly skip: string };

const SCRIPT = join(import.meta.dir, "..", "..", "scripts", "postgres.sh");
const NOT_INSTALLED = 3;

/** Test files share one server; the cache lives on the global object they share. */
const CACHE = Symbol.for("aion.test.postgres");
type Cache = { [CACHE]?: TestPostgres };

/** The test server (started on first use in this process). */
export function testPostgres(): TestPostgres {
  const cache = globalThis as Cache;
  const server = (cache[CACHE] ??= start());
  if (server.skip !== undefined) console.warn(`note: ${server.skip}`);
  return server;
}

function start(): TestPostgres {
  const fromEnv = process.env.AION_TEST_POSTGRES_URL;
  if (fromEnv !== undefined && fromEnv !== "") return { url: fromEnv };
  const started = Bun.spawnSync(["bash", SCRIPT, "start", String(process.pid)], {
    stderr: "pipe",
  });
  if (started.exitCode === NOT_INSTALLED) {
    return {
      skip:
        "PostgreSQL is not installed, so the PostgresStore tests are skipped " +
        "(apt-get install -y postgresql, or set AION_TEST_POSTGRES_URL)",
    };
  }
  if (started.exitCode !== 0) {
    throw new Error(`scripts/postgres.sh start failed:\n${started.stderr.toString()}`);
  }
  const url = started.stdout.toString().trim().split("\n")[0];
  if (url === undefined || !url.startsWith("postgres://")) {
    throw new Error(`scripts/postgres.sh start printed no URL: ${started.stdout.toString()}`);
  }
  return { url };
}

let schemaCount = 0;

/** A schema name no other test (or concurrent test run) uses. */
export function freshSchema(tag: string): string {
  return `aion_${tag}_${process.pid}_${schemaCount++}`;
}

/** Drop schemas the tests created (matters when the server is not throwaway). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const sql = new SQL(url, { max: 1 });
  try {
    for (const s of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await sql.close();
  }
}
