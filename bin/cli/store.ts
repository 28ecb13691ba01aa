/**
 * The store a `--db` value names: a SQLite file path, which the engine opens
 * and owns, or a postgres:// (postgresql://) URL, which is opened here and
 * must be released after the engine has shut down (an engine only closes a
 * store it opened itself).
 */
import { type EventStore, SqliteStore } from "../../engine/store/index.ts";
import { isPostgresUrl, PostgresStore } from "../../engine/store/postgres/index.ts";

/** What to pass as the engine's `store`, and how to let go of it afterwards. */
export interface OpenedStore {
  readonly store: EventStore | string;
  release(): Promise<void>;
}

/** Open the store of `db`; a PostgreSQL server is reached (and migrated) before this resolves. */
export async function openStore(db: string): Promise<OpenedStore> {
  if (!isPostgresUrl(db)) return { store: db, release: async () => {} };
  const store = await PostgresStore.open(db);
  return { store, release: () => store.close() };
}

export { isPostgresUrl };

/** Like `openStore`, but always an open store object (a SQLite path is opened here too). */
export async function openStoreObject(
  db: string,
): Promise<{ readonly store: EventStore; release(): Promise<void> }> {
  const store: EventStore = isPostgresUrl(db) ? await PostgresStore.open(db) : new SqliteStore(db);
  return { store, release: () => store.close() };
}
