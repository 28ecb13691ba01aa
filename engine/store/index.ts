/**
 * The durable event store: the `EventStore` contract, its in-memory and
 * SQLite implementations, and the typed errors they raise.
 */

export * from "./coordination/types.ts";
export { MAX_SHARDS } from "./coordination/validate.ts";
export {
  AppendConflictError,
  CorruptRowError,
  FencedError,
  InvalidArgumentError,
  SchemaVersionError,
  StoreBusyError,
  StoreClosedError,
  StoreError,
  type StoreErrorCode,
  UnknownPackageError,
  UnknownWorkflowError,
} from "./errors.ts";
export { MemoryStore } from "./memory-store.ts";
export type { SyncMode } from "./sqlite/connection.ts";
export type { GroupCommitStats } from "./sqlite/group-commit.ts";
export { MIGRATIONS, type Migration, migrate, SCHEMA_VERSION } from "./sqlite/migrations.ts";
export {
  type SqliteDiagnostics,
  SqliteStore,
  type SqliteStoreOptions,
} from "./sqlite/sqlite-store.ts";
export * from "./types.ts";
export { checkNamespace, MAX_ID_LENGTH, NAMESPACE_PATTERN } from "./validate.ts";
