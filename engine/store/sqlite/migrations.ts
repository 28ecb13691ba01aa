/**
 * Numbered schema migrations. The applied version is `PRAGMA user_version`,
 * which lives in the database header and so commits atomically with the
 * migration's DDL.
 *
 * Rules: never edit a released migration; add a new one with the next
 * number. A database newer than the last known migration is refused.
 */
import type { Database } from "bun:sqlite";
import { LIFECYCLE_KINDS } from "../../events/index.ts";
import { coordinationDdl } from "../coordination/rows.ts";
import { SchemaVersionError } from "../errors.ts";

/** One schema step. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

/** The `kind IN (...)` list of lifecycle events; shared with the run-chain read. */
export const LIFECYCLE_KIND_SQL = `kind IN (${LIFECYCLE_KINDS.map((k) => `'${k}'`).join(", ")})`;

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "histories and the visibility projection",
    statements: [
      // Rowid table: events can carry large payloads, which would make the
      // interior pages of a WITHOUT ROWID b-tree fat and shallow.
      `CREATE TABLE events (
        workflow_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (workflow_id, seq)
      )`,
      // Run chains read only lifecycle events; this partial index finds them
      // without touching the rest of a long history.
      `CREATE INDEX events_lifecycle ON events (workflow_id, seq) WHERE ${LIFECYCLE_KIND_SQL}`,
      `CREATE TABLE workflows (
        workflow_id TEXT NOT NULL PRIMARY KEY,
        head_seq INTEGER NOT NULL CHECK (head_seq >= 1),
        workflow_type TEXT NOT NULL,
        run_id TEXT NOT NULL,
        status TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        close_time INTEGER,
        run_count INTEGER NOT NULL,
        search_attributes TEXT NOT NULL
      ) WITHOUT ROWID`,
      "CREATE INDEX workflows_by_status ON workflows (status, start_time, workflow_id)",
      "CREATE INDEX workflows_by_type ON workflows (workflow_type, start_time, workflow_id)",
      "CREATE INDEX workflows_by_start ON workflows (start_time, workflow_id)",
      "CREATE INDEX workflows_by_close ON workflows (close_time, workflow_id)",
      // One row per (workflow, attribute) so attribute filters use an index;
      // `value` has no declared type so text, numbers and booleans keep theirs.
      `CREATE TABLE search_attributes (
        workflow_id TEXT NOT NULL,
        name TEXT NOT NULL,
        value_kind TEXT NOT NULL CHECK (value_kind IN ('s', 'n', 'b')),
        value,
        PRIMARY KEY (workflow_id, name)
      ) WITHOUT ROWID`,
      "CREATE INDEX search_attributes_by_value ON search_attributes (name, value_kind, value, workflow_id)",
    ],
  },
  {
    version: 2,
    description: "durable timers",
    statements: [
      `CREATE TABLE timers (
        workflow_id TEXT NOT NULL,
        timer_id TEXT NOT NULL,
        fire_at INTEGER NOT NULL,
        PRIMARY KEY (workflow_id, timer_id)
      ) WITHOUT ROWID`,
      "CREATE INDEX timers_by_fire_at ON timers (fire_at, workflow_id, timer_id)",
    ],
  },
  {
    version: 3,
    description: "packages and routes",
    statements: [
      `CREATE TABLE packages (
        workflow_type TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        archive BLOB NOT NULL,
        stored_at INTEGER NOT NULL,
        PRIMARY KEY (workflow_type, content_hash)
      )`,
      "CREATE INDEX packages_by_stored_at ON packages (workflow_type, stored_at, content_hash)",
      `CREATE TABLE package_routes (
        workflow_type TEXT NOT NULL PRIMARY KEY,
        content_hash TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID`,
    ],
  },
  {
    version: 4,
    description: "workflow namespaces",
    statements: [
      // Additive: every workflow recorded before namespaces existed belongs
      // to 'default', which is what a caller without a namespace gets.
      "ALTER TABLE workflows ADD COLUMN namespace TEXT NOT NULL DEFAULT 'default'",
      "CREATE INDEX workflows_by_namespace ON workflows (namespace, start_time, workflow_id)",
    ],
  },
  {
    version: 5,
    description: "shard leases, the inbox and activity task queues",
    statements: coordinationDdl("TEXT NOT NULL", "INTEGER"),
  },
  {
    version: 6,
    description: "per-status counts and status pages of a namespace",
    statements: [
      // Covers the console's grouped count (namespace fixed, walked in status
      // order, no table reads) and gives a one-status page its order.
      "CREATE INDEX workflows_by_namespace_status ON workflows (namespace, status, start_time, workflow_id)",
    ],
  },
  {
    version: 7,
    description: "workflow counts per status and type",
    statements: [
      // Covers the metrics scrape's count of every workflow per (status,
      // type): walked in group order with no table reads and no sort.
      // namespace is last so a namespace-scoped count is covered too.
      "CREATE INDEX workflows_by_status_type ON workflows (status, workflow_type, namespace)",
    ],
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Read the applied schema version. */
export function schemaVersion(db: Database): number {
  const row = db.prepare<{ user_version: number }, []>("PRAGMA user_version").get();
  return row?.user_version ?? 0;
}

/**
 * Bring the schema up to the last of `migrations` in one IMMEDIATE
 * transaction, so concurrent openers serialize and a crash leaves either the
 * old or the new schema.
 *
 * @returns the versions before and after.
 * @throws SchemaVersionError when the file is newer than `migrations`.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  db.run("BEGIN IMMEDIATE");
  try {
    const from = schemaVersion(db);
    if (from > latest) throw new SchemaVersionError(from, latest);
    for (const m of migrations) {
      if (m.version <= from) continue;
      for (const sql of m.statements) db.run(sql);
      // PRAGMA takes no bound parameters; the version is a trusted integer.
      db.run(`PRAGMA user_version = ${Math.trunc(m.version)}`);
    }
    db.run("COMMIT");
    return { from, to: Math.max(from, latest) };
  } catch (error) {
    if (db.inTransaction) db.run("ROLLBACK");
    throw error;
  }
}
