/**
 * `EventStore` on SQLite (`bun:sqlite`), durable across crashes.
 *
 * Reads run synchronously on the connection. Writes are validated and encoded
 * up front, then handed to the group committer, which runs every write of the
 * same event-loop turn in one transaction. See docs/store.md.
 */
import type { Database } from "bun:sqlite";
import {
  type EventEnvelope,
  projectRuns,
  type RunSummary,
  type WorkflowEvent,
} from "../../events/index.ts";
import { StoreClosedError, UnknownWorkflowError } from "../errors.ts";
import { type Limits, prepareAppend, preparePackage } from "../prepare.ts";
import {
  type AppendOptions,
  type AppendResult,
  DEFAULT_MAX_PACKAGE_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  type EventStore,
  type PackageInput,
  type PackageRecord,
  type PackageRoute,
  type StatusCounts,
  type StatusTypeCount,
  type StoreOptions,
  type TimerEntry,
  type WorkflowFilter,
  type WorkflowSummary,
} from "../types.ts";
import {
  checkContentHash,
  checkFilter,
  checkFromSeq,
  checkId,
  checkLimit,
  checkTimestamp,
} from "../validate.ts";
import { countsFromRows, statusTypeCountsFromRows } from "../visibility.ts";
import { openDatabase, type SyncMode } from "./connection.ts";
import { SqliteCoordination } from "./coordination.ts";
import { type GroupCommitStats, GroupCommitter } from "./group-commit.ts";
import { schemaVersion } from "./migrations.ts";
import { buildGroupedCount, buildQuery, type QueryParam } from "./query-sql.ts";
import { decodeEventRows, summaryFromRow } from "./rows.ts";
import {
  finalizeStatements,
  type PackageRow,
  prepareStatements,
  type Statements,
  type WorkflowRow,
} from "./statements.ts";
import {
  appendOp,
  cancelTimerOp,
  deletePackageOp,
  deleteRouteOp,
  packageOp,
  routeOp,
  timerOp,
} from "./writes.ts";

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions extends StoreOptions {
  /** Commit durability; default `FULL`. */
  readonly synchronous?: SyncMode;
  /**
   * How long SQLite itself waits for a lock (`busy_timeout`); default 100 ms.
   * The wait blocks the event loop, so it is kept short and longer waits are
   * left to the asynchronous retries below.
   */
  readonly busyTimeoutMs?: number;
  /** Attempts after SQLITE_BUSY outlasts the timeout; default 20 (roughly 10-15 s in all). */
  readonly busyRetries?: number;
  /** First delay between those attempts, doubling up to 1 s; default 5 ms. */
  readonly busyBackoffMs?: number;
  /** Most writes in one group-commit transaction; default 1024. */
  readonly maxBatchOps?: number;
}

/** Effective connection settings (see `SqliteStore.diagnostics`). */
export interface SqliteDiagnostics {
  readonly journalMode: string;
  readonly synchronous: string;
  readonly busyTimeoutMs: number;
  readonly schemaVersion: number;
}

function packageFromRow(r: PackageRow): PackageRecord {
  return {
    workflowType: r.workflow_type,
    contentHash: r.content_hash,
    archive: r.archive,
    storedAt: r.stored_at,
  };
}

/** A durable `EventStore` in one SQLite file (or `:memory:`). */
export class SqliteStore implements EventStore {
  /** The file this store was opened on. */
  readonly path: string;
  readonly #db: Database;
  readonly #s: Statements;
  readonly #committer: GroupCommitter;
  readonly #now: () => number;
  readonly #limits: Limits;
  readonly coordination: SqliteCoordination;
  #closed = false;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.path = path;
    this.#now = options.now ?? Date.now;
    this.#limits = {
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxPackageBytes: options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES,
    };
    const busyRetries = options.busyRetries ?? 20;
    const busyBackoffMs = options.busyBackoffMs ?? 5;
    this.#db = openDatabase(path, {
      synchronous: options.synchronous ?? "FULL",
      busyTimeoutMs: options.busyTimeoutMs ?? 100,
      busyRetries,
      busyBackoffMs,
    });
    this.#s = prepareStatements(this.#db);
    this.#committer = new GroupCommitter(this.#db, {
      maxBatchOps: options.maxBatchOps ?? 1024,
      busyRetries,
      busyBackoffMs,
    });
    this.coordination = new SqliteCoordination(this.#db, this.#committer, () => this.#open());
  }

  /** Group-commit counters (transactions, writes, largest batch, busy retries). */
  stats(): Readonly<GroupCommitStats> {
    return { ...this.#committer.stats };
  }

  /** The connection's effective settings, read back from SQLite. */
  diagnostics(): SqliteDiagnostics {
    this.#open();
    const pragma = (name: string): string | number | undefined => {
      const row = this.#db.prepare<Record<string, string | number>, []>(`PRAGMA ${name}`).get();
      return row === null ? undefined : Object.values(row)[0];
    };
    const sync = pragma("synchronous");
    return {
      journalMode: String(pragma("journal_mode")),
      synchronous: sync === 2 ? "FULL" : sync === 1 ? "NORMAL" : `level ${sync}`,
      busyTimeoutMs: Number(pragma("busy_timeout")),
      schemaVersion: schemaVersion(this.#db),
    };
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  async append(
    workflowId: string,
    events: readonly WorkflowEvent[],
    expectedSeq: number,
    options?: AppendOptions,
  ): Promise<AppendResult> {
    this.#open();
    const prepared = prepareAppend(
      workflowId,
      events,
      expectedSeq,
      options,
      this.#now,
      this.#limits,
    );
    return this.#committer.submit(appendOp(this.#s, prepared));
  }

  async readHistory(workflowId: string): Promise<readonly EventEnvelope[]> {
    this.#open();
    checkId(workflowId, "workflowId");
    return decodeEventRows(workflowId, this.#s.history.values(workflowId), 1);
  }

  async readHistoryFrom(workflowId: string, fromSeq: number): Promise<readonly EventEnvelope[]> {
    this.#open();
    checkId(workflowId, "workflowId");
    checkFromSeq(fromSeq);
    return decodeEventRows(workflowId, this.#s.historyFrom.values(workflowId, fromSeq), fromSeq);
  }

  async readRunChain(workflowId: string): Promise<readonly RunSummary[]> {
    this.#open();
    checkId(workflowId, "workflowId");
    // One read transaction so the head and the lifecycle events agree even
    // while another connection appends.
    const read = this.#db.transaction(() => {
      const row = this.#s.workflow.get(workflowId);
      if (row === null) throw new UnknownWorkflowError(workflowId);
      const lifecycle = decodeEventRows(
        workflowId,
        this.#s.lifecycle.values(workflowId),
        undefined,
      );
      return projectRuns(lifecycle, row.head_seq);
    });
    return read();
  }

  async describe(workflowId: string): Promise<WorkflowSummary | undefined> {
    this.#open();
    checkId(workflowId, "workflowId");
    const row = this.#s.workflow.get(workflowId);
    return row === null ? undefined : summaryFromRow(row);
  }

  async listWorkflowIds(): Promise<readonly string[]> {
    this.#open();
    return this.#s.listIds.all().map((r) => r.workflow_id);
  }

  async listActive(): Promise<readonly string[]> {
    this.#open();
    return this.#s.listActive.all().map((r) => r.workflow_id);
  }

  async query(filter: WorkflowFilter): Promise<readonly WorkflowSummary[]> {
    this.#open();
    const { sql, params } = buildQuery(checkFilter(filter));
    // `query` caches compiled statements, so repeated filter shapes compile once.
    return this.#db
      .query<WorkflowRow, QueryParam[]>(sql)
      .all(...params)
      .map(summaryFromRow);
  }

  async countByStatus(filter: WorkflowFilter): Promise<StatusCounts> {
    this.#open();
    const { sql, params } = buildGroupedCount(checkFilter(filter), ["status"]);
    return countsFromRows(
      this.#db.query<{ status: string; n: number }, QueryParam[]>(sql).all(...params),
    );
  }

  async countByStatusAndType(filter: WorkflowFilter): Promise<readonly StatusTypeCount[]> {
    this.#open();
    const { sql, params } = buildGroupedCount(checkFilter(filter), ["status", "workflow_type"]);
    return statusTypeCountsFromRows(
      this.#db
        .query<{ status: string; workflow_type: string; n: number }, QueryParam[]>(sql)
        .all(...params),
    );
  }

  async scheduleTimer(workflowId: string, timerId: string, fireAt: number): Promise<void> {
    this.#open();
    checkId(workflowId, "workflowId");
    checkId(timerId, "timerId");
    checkTimestamp(fireAt, "fireAt");
    return this.#committer.submit(timerOp(this.#s, workflowId, timerId, fireAt));
  }

  async cancelTimer(workflowId: string, timerId: string): Promise<boolean> {
    this.#open();
    checkId(workflowId, "workflowId");
    checkId(timerId, "timerId");
    return this.#committer.submit(cancelTimerOp(this.#s, workflowId, timerId));
  }

  async expiredTimers(asOf: number, limit?: number): Promise<readonly TimerEntry[]> {
    this.#open();
    checkTimestamp(asOf, "asOf");
    // LIMIT -1 is SQLite for "no limit".
    return this.#s.expiredTimers.all(asOf, checkLimit(limit) ?? -1).map((r) => ({
      workflowId: r.workflow_id,
      timerId: r.timer_id,
      fireAt: r.fire_at,
    }));
  }

  async putPackage(pkg: PackageInput): Promise<PackageRecord> {
    this.#open();
    const input = preparePackage(pkg, this.#limits);
    const storedAt = this.#now();
    return this.#committer.submit(packageOp(this.#s, input, storedAt));
  }

  async getPackage(workflowType: string, contentHash: string): Promise<PackageRecord | undefined> {
    this.#open();
    checkId(workflowType, "workflowType");
    checkContentHash(contentHash);
    const row = this.#s.getPackage.get(workflowType, contentHash);
    return row === null ? undefined : packageFromRow(row);
  }

  async listPackages(): Promise<readonly PackageRecord[]> {
    this.#open();
    return this.#s.listPackages.all().map(packageFromRow);
  }

  async deletePackage(workflowType: string, contentHash: string): Promise<boolean> {
    this.#open();
    checkId(workflowType, "workflowType");
    checkContentHash(contentHash);
    return this.#committer.submit(deletePackageOp(this.#s, workflowType, contentHash));
  }

  async putPackageRoute(workflowType: string, contentHash: string): Promise<PackageRoute> {
    this.#open();
    checkId(workflowType, "workflowType");
    checkContentHash(contentHash);
    const updatedAt = this.#now();
    return this.#committer.submit(routeOp(this.#s, workflowType, contentHash, updatedAt));
  }

  async deletePackageRoute(workflowType: string): Promise<boolean> {
    this.#open();
    checkId(workflowType, "workflowType");
    return this.#committer.submit(deleteRouteOp(this.#s, workflowType));
  }

  async listPackageRoutes(): Promise<readonly PackageRoute[]> {
    this.#open();
    return this.#s.listRoutes.all().map((r) => ({
      workflowType: r.workflow_type,
      contentHash: r.content_hash,
      updatedAt: r.updated_at,
    }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#committer.close();
    try {
      // Refresh planner statistics so query paths keep picking their indices.
      this.#db.run("PRAGMA optimize");
    } catch {
      // Best effort: a locked database only means stale statistics.
    }
    finalizeStatements(this.#s);
    this.#db.close();
  }
}
