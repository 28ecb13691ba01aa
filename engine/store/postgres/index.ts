/**
 * The PostgreSQL event store: `PostgresStore` and its migrations. A separate
 * door from `engine/store/index.ts` so that nothing loads the PostgreSQL
 * code path unless it asks for it.
 */
export { StoreUnavailableError } from "../errors.ts";
export {
  MIGRATIONS,
  type Migration,
  migrate,
  SCHEMA_VERSION,
  schemaVersion,
} from "./migrations.ts";
export { isPostgresUrl, PostgresStore, type PostgresStoreOptions } from "./postgres-store.ts";
