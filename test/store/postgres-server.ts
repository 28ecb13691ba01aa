/**
 * The PostgreSQL server the Postgres store tests run against: the one named
 * by AION_TEST_POSTGRES_URL when set, otherwise a throwaway cluster started
 * with scripts/postgres.sh for the calling test file and stopped in its
 * `afterAll` (and by the script's watcher if the test process dies first).
 * When PostgreSQL is not installed the tests are skipped, with a message
 * saying how to install it.
 */

import { afterAll } from "bun:test";
import { join } from "node:path";
import { SQL } from "bun";

/** Where the tests find PostgreSQL, or why they cannot. */
export type TestPostgres =
  | { readonly url: string; readonly skip?: undefined }
  | { readonly url?: undefined; readonly skip: string };

const SCRIPT = join(import.meta.dir, "..", "..", "scripts", "postgres.sh");
const NOT_INSTALLED = 3;

/**
 * The server for the calling test file: call at the top level of the file;
 * a server it starts is stopped after the file's tests.
 */
export function testPostgres(): TestPostgres {
  const server = start();
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
  const [url, dir] = started.stdout.toString().trim().split("\n");
  if (url === undefined || dir === undefined) {
    throw new Error(`scripts/postgres.sh start printed no URL: ${started.stdout.toString()}`);
  }
  afterAll(() => {
    Bun.spawnSync(["bash", SCRIPT, "stop", dir]);
  });
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
