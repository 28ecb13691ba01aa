/**
 * Numbered schema migrations of the PostgreSQL store, and the migrator.
 *
 * The applied versions are rows of `schema_version` (one per migration), and
 * each migration commits in one transaction together with its row: DDL is
 * transactional in PostgreSQL, so a crash leaves the old schema or the new
 * one, never half of a step. Concurrent migrators need no lock: both insert
 * the same version row first, the primary key makes the second wait for the
 * first and then fail, and the loser re-reads the version and moves on.
 *
 * Rules: never edit a released migration; add a new one with the next
 * number. A database newer than the last known migration is refused.
 */
import type { SQL } from "bun";
import { LIFECYCLE_KINDS } from "../../events/index.ts";
import { coordinationDdl } from "../coordination/rows.ts";
import { SchemaVersionError } from "../errors.ts";
import { errnoOf, isCreateRace, isRetryable, UNIQUE_VIOLATION } from "./pg-errors.ts";

/** One schema step. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

/** The `kind IN (...)` list of lifecycle events; shared with the run-chain read. */
export const LIFECYCLE_KIND_SQL = `kind IN (${LIFECYCLE_KINDS.map((k) => `'${k}'`).join(", ")})`;

/**
 * Ids sort by code unit order in the other stores; "C" makes PostgreSQL
 * compare bytes instead of following the database locale.
 */
const ID = 'TEXT COLLATE "C" NOT NULL';

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "histories and the visibility projection",
    statements: [
      `CREATE TABLE events (
        workflow_id ${ID},
        seq BIGINT NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL,
        recorded_at BIGINT NOT NULL,
        body BYTEA NOT NULL,
        PRIMARY KEY (workflow_id, seq)
      )`,
      // Run chains read only lifecycle events; this partial index finds them
      // without touching the rest of a long history.
      `CREATE INDEX events_lifecycle ON events (workflow_id, seq) WHERE ${LIFECYCLE_KIND_SQL}`,
      // The head lives here, so the optimistic check of an append is one
      // primary-key lookup and one row lock.
      `CREATE TABLE workflows (
        workflow_id ${ID} PRIMARY KEY,
        head_seq BIGINT NOT NULL CHECK (head_seq >= 1),
        workflow_type ${ID},
        run_id TEXT NOT NULL,
        status TEXT NOT NULL,
        start_time BIGINT NOT NULL,
        close_time BIGINT,
        run_count INTEGER NOT NULL,
        search_attributes TEXT NOT NULL,
        namespace ${ID}
      )`,
      "CREATE INDEX workflows_by_status ON workflows (status, start_time, workflow_id)",
      "CREATE INDEX workflows_by_type ON workflows (workflow_type, start_time, workflow_id)",
      "CREATE INDEX workflows_by_start ON workflows (start_time, workflow_id)",
      "CREATE INDEX workflows_by_close ON workflows (close_time, workflow_id)",
      "CREATE INDEX workflows_by_namespace ON workflows (namespace, start_time, workflow_id)",
      // One row per (workflow, attribute) so attribute filters use an index.
      // The value is kept as canonical text next to its kind tag, so "1", 1
      // and true stay distinct without a column type per kind.
      `CREATE TABLE search_attributes (
        workflow_id ${ID},
        name TEXT NOT NULL,
        value_kind TEXT NOT NULL CHECK (value_kind IN ('s', 'n', 'b')),
        value TEXT NOT NULL,
        PRIMARY KEY (workflow_id, name)
      )`,
      "CREATE INDEX search_attributes_by_value ON search_attributes (name, value_kind, value, workflow_id)",
    ],
  },
  {
    version: 2,
    description: "durable timers",
    statements: [
      `CREATE TABLE timers (
        workflow_id ${ID},
        timer_id ${ID},
        fire_at BIGINT NOT NULL,
        PRIMARY KEY (workflow_id, timer_id)
      )`,
      "CREATE INDEX timers_by_fire_at ON timers (fire_at, workflow_id, timer_id)",
    ],
  },
  {
    version: 3,
    description: "packages and routes",
    statements: [
      `CREATE TABLE packages (
        workflow_type ${ID},
        content_hash TEXT NOT NULL,
        archive BYTEA NOT NULL,
        stored_at BIGINT NOT NULL,
        PRIMARY KEY (workflow_type, content_hash)
      )`,
      "CREATE INDEX packages_by_stored_at ON packages (workflow_type, stored_at, content_hash)",
      // The foreign key is the whole concurrency story of routes: a route to
      // a missing package, or deleting a routed package, fails in the
      // database itself, whoever races whom.
      `CREATE TABLE package_routes (
        workflow_type ${ID} PRIMARY KEY,
        content_hash TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        CONSTRAINT package_routes_package FOREIGN KEY (workflow_type, content_hash)
          REFERENCES packages (workflow_type, content_hash)
      )`,
    ],
  },
  {
    version: 4,
    description: "shard leases, the inbox and activity task queues",
    statements: coordinationDdl(ID, "BIGINT"),
  },
  {
    version: 5,
    description: "per-status counts and status pages of a namespace",
    statements: [
      // Lets the grouped count run as an index-only scan of one namespace,
      // and gives a one-status page its order.
      "CREATE INDEX workflows_by_namespace_status ON workflows (namespace, status, start_time, workflow_id)",
    ],
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Statements that make sure the version table exists; safe to repeat. */
function bootstrap(schema: string | undefined): string[] {
  return [
    ...(schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS "${schema}"`]),
    `CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER NOT NULL PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`,
  ];
}

/** How often a migrator retries a step it lost to a concurrent one. */
const MAX_ROUNDS = 50;

/** The applied schema version: the highest row of `schema_version`, 0 when none. */
export async function schemaVersion(sql: SQL): Promise<number> {
  const rows = await sql.unsafe("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version");
  return Number((rows[0] as { v: number | string }).v);
}

/**
 * Bring the schema up to the last of `migrations`, one transaction per step.
 * Safe to run from many processes at once (see the file comment).
 *
 * @param schema the schema the tables live in (already first on the
 *   connection's search_path), created when missing; undefined for the
 *   connection's default.
 * @returns the versions before and after.
 * @throws SchemaVersionError when the database is newer than `migrations`.
 */
export async function migrate(
  sql: SQL,
  schema: string | undefined,
  now: () => number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ from: number; to: number }> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  for (const statement of bootstrap(schema)) {
    // IF NOT EXISTS is not atomic against a concurrent creator: the loser
    // sees a duplicate key in the catalog, and the object is there after all.
    await repeatOnRace(() => sql.unsafe(statement));
  }
  const from = await schemaVersion(sql);
  if (from > latest) throw new SchemaVersionError(from, latest);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const current = await schemaVersion(sql);
    if (current > latest) throw new SchemaVersionError(current, latest);
    const next = migrations.find((m) => m.version > current);
    if (next === undefined) return { from, to: current };
    try {
      await sql.begin(async (tx) => {
        // The version row first: it is the lock that serializes migrators.
        await tx.unsafe(
          "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)",
          [next.version, next.description, now()],
        );
        for (const statement of next.statements) await tx.unsafe(statement);
      });
    } catch (error) {
      // Another migrator applied this step first (or the server asked for a
      // retry): re-read the version and carry on from there.
      if (errnoOf(error) === UNIQUE_VIOLATION || isRetryable(error)) continue;
      throw error;
    }
  }
  throw new Error(`schema migration did not settle after ${MAX_ROUNDS} rounds`);
}

async function repeatOnRace(run: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      if (attempt < 5 && (isCreateRace(error) || isRetryable(error))) continue;
      throw error;
    }
  }
}
