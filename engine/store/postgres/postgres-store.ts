/**
 * `EventStore` on PostgreSQL, through Bun's built-in client (`Bun.SQL`).
 *
 * Same contract, validation and encoding as the SQLite store (the
 * conformance suite runs against both). Each write is one transaction over a
 * connection pool; writes to one workflow (or one package type) issued
 * together apply in issue order, writes to different ones run concurrently.
 * Several processes may share one database: the head check is inside the
 * append's transaction and never cached. See docs/store.md.
 */

import { SQL } from "bun";
import {
  type EventEnvelope,
  projectRuns,
  type RunSummary,
  type WorkflowEvent,
} from "../../events/index.ts";
import {
  AppendConflictError,
  InvalidArgumentError,
  StoreClosedError,
  UnknownWorkflowError,
} from "../errors.ts";
import { type Limits, type PreparedAppend, prepareAppend, preparePackage } from "../prepare.ts";
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
import { PgCoordination } from "./coordination.ts";
import { KeyedQueue } from "./keyed-queue.ts";
import { migrate, schemaVersion } from "./migrations.ts";
import { constraintOf, errnoOf, translateError, UNIQUE_VIOLATION } from "./pg-errors.ts";
import { checkPgAttributes, checkPgText } from "./pg-text.ts";
import { buildGroupedCount, buildQuery } from "./query-sql.ts";
import {
  eventsFromRows,
  headFromRow,
  type PgEventRow,
  type PgPackageRow,
  type PgRouteRow,
  type PgTimerRow,
  type PgWorkflowRow,
  packageFromRow,
  routeFromRow,
  summaryFromPgRow,
  timerFromRow,
} from "./rows.ts";
import { SQL_TEXT } from "./statements.ts";
import { inTransaction, type RetryPolicy } from "./transactions.ts";
import {
  appendTx,
  cancelTimerTx,
  deletePackageTx,
  deleteRouteTx,
  packageTx,
  routeTx,
  timerTx,
} from "./writes.ts";

/** Options of `PostgresStore`. */
export interface PostgresStoreOptions extends StoreOptions {
  /**
   * The schema the tables live in, created when missing; default: the
   * connection's own search path (normally `public`). Lower-case letters,
   * digits and `_`, starting with a letter or `_`. Separate schemas are
   * separate stores in one database (the tests use one per store).
   */
  readonly schema?: string;
  /** Connections in the pool; default 10. */
  readonly maxConnections?: number;
  /** Seconds to wait for a connection; default 10. */
  readonly connectTimeoutSeconds?: number;
  /** Attempts of a transaction the server rolled back for a retry; default 10. */
  readonly retries?: number;
  /** First delay between those attempts, doubling up to 1 s; default 5 ms. */
  readonly retryBackoffMs?: number;
}

/** Whether a `--db` style location names a PostgreSQL server. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `host:port/database` of a URL, for messages: never the user or password. */
function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "the configured server";
  }
}

/** A durable `EventStore` in a PostgreSQL database. */
export class PostgresStore implements EventStore {
  /** `host:port/database` (no credentials), for messages and diagnostics. */
  readonly server: string;
  /** The schema holding the tables, when one was given. */
  readonly schema: string | undefined;
  readonly #sql: SQL;
  readonly #ready: Promise<void>;
  readonly #now: () => number;
  readonly #limits: Limits;
  readonly #retry: RetryPolicy;
  readonly #queue = new KeyedQueue();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly coordination: PgCoordination;
  #closed = false;

  /**
   * Connect lazily and migrate in the background; every operation waits for
   * that, and fails with its error if it failed. Use `PostgresStore.open`
   * to find out at once.
   *
   * @throws InvalidArgumentError for a URL that is not postgres:// or a bad schema name.
   */
  constructor(url: string, options: PostgresStoreOptions = {}) {
    if (typeof url !== "string" || !isPostgresUrl(url)) {
      throw new InvalidArgumentError("url", "must start with postgres:// or postgresql://");
    }
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new InvalidArgumentError(
        "schema",
        "must be lower-case letters, digits or '_', starting with a letter or '_' (at most 63)",
      );
    }
    this.server = describeServer(url);
    this.schema = options.schema;
    this.#now = options.now ?? Date.now;
    this.#limits = {
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxPackageBytes: options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES,
    };
    this.#retry = { attempts: options.retries ?? 10, backoffMs: options.retryBackoffMs ?? 5 };
    this.#sql = new SQL(url, {
      max: options.maxConnections ?? 10,
      connectionTimeout: options.connectTimeoutSeconds ?? 10,
      ...(options.schema === undefined ? {} : { connection: { search_path: options.schema } }),
    });
    this.#ready = migrate(this.#sql, options.schema, this.#now).then(
      () => {},
      (error: unknown) => {
        throw translateError(error, this.server);
      },
    );
    // Reported through every operation; not an unhandled rejection meanwhile.
    this.#ready.catch(() => {});
    this.coordination = new PgCoordination(
      this.#sql,
      this.#retry,
      (operation) => this.#run(operation),
      () => this.#open(),
    );
  }

  /**
   * Open a store and wait until it is connected and migrated.
   * @throws StoreUnavailableError when the server cannot be reached.
   * @throws SchemaVersionError when the database is newer than this build.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      await store.#ready;
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** The applied schema version (see `migrations.ts`). */
  async schemaVersion(): Promise<number> {
    return this.#run(() => schemaVersion(this.#sql));
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /** Run an operation once the schema is ready; tracked so `close` waits for it. */
  #run<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#ready.then(operation).catch((error: unknown) => {
      throw translateError(error, this.server);
    });
    this.#inFlight.add(run);
    const untrack = () => this.#inFlight.delete(run);
    run.then(untrack, untrack);
    return run;
  }

  /** A write, ordered behind earlier writes of the same key. */
  #write<T>(key: string, operation: () => Promise<T>): Promise<T> {
    return this.#run(() => this.#queue.run(key, operation));
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
    checkAppendText(prepared);
    return this.#write(`w:${workflowId}`, async () => {
      try {
        return await inTransaction(this.#sql, this.#retry, (tx) => appendTx(tx, prepared));
      } catch (error) {
        // Only reachable if the head check was bypassed: the seq already exists.
        if (errnoOf(error) === UNIQUE_VIOLATION && constraintOf(error) === "events_pkey") {
          const rows = await this.#sql.unsafe<{ head_seq: string }[]>(SQL_TEXT.head, [workflowId]);
          throw new AppendConflictError(workflowId, expectedSeq, headFromRow(rows[0], workflowId));
        }
        throw error;
      }
    });
  }

  async readHistory(workflowId: string): Promise<readonly EventEnvelope[]> {
    this.#open();
    checkWorkflowId(workflowId);
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgEventRow[]>(SQL_TEXT.history, [workflowId]);
      return eventsFromRows(workflowId, rows, 1);
    });
  }

  async readHistoryFrom(workflowId: string, fromSeq: number): Promise<readonly EventEnvelope[]> {
    this.#open();
    checkWorkflowId(workflowId);
    checkFromSeq(fromSeq);
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgEventRow[]>(SQL_TEXT.historyFrom, [
        workflowId,
        fromSeq,
      ]);
      return eventsFromRows(workflowId, rows, fromSeq);
    });
  }

  async readRunChain(workflowId: string): Promise<readonly RunSummary[]> {
    this.#open();
    checkWorkflowId(workflowId);
    // One snapshot for the head and the lifecycle events, so they agree even
    // while another connection appends.
    return this.#run(() =>
      this.#sql.begin("isolation level repeatable read read only", async (tx) => {
        const rows = await tx.unsafe<PgWorkflowRow[]>(SQL_TEXT.workflow, [workflowId]);
        if (rows[0] === undefined) throw new UnknownWorkflowError(workflowId);
        const head = headFromRow(rows[0], workflowId);
        const lifecycle = await tx.unsafe<PgEventRow[]>(SQL_TEXT.lifecycle, [workflowId]);
        return projectRuns(eventsFromRows(workflowId, lifecycle, undefined), head);
      }),
    ) as Promise<readonly RunSummary[]>;
  }

  async describe(workflowId: string): Promise<WorkflowSummary | undefined> {
    this.#open();
    checkWorkflowId(workflowId);
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgWorkflowRow[]>(SQL_TEXT.workflow, [workflowId]);
      return rows[0] === undefined ? undefined : summaryFromPgRow(rows[0]);
    });
  }

  async listWorkflowIds(): Promise<readonly string[]> {
    this.#open();
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<{ workflow_id: string }[]>(SQL_TEXT.listIds);
      return rows.map((r) => r.workflow_id);
    });
  }

  async listActive(): Promise<readonly string[]> {
    this.#open();
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<{ workflow_id: string }[]>(SQL_TEXT.listActive);
      return rows.map((r) => r.workflow_id);
    });
  }

  /** The shared filter checks plus what PostgreSQL text cannot hold. */
  #checkedFilter(filter: WorkflowFilter): WorkflowFilter {
    const checked = checkFilter(filter);
    if (checked.workflowType !== undefined) {
      checkPgText(checked.workflowType, "filter.workflowType");
    }
    if (checked.after !== undefined)
      checkPgText(checked.after.workflowId, "filter.after.workflowId");
    checkPgAttributes(checked.searchAttributes, "filter.searchAttributes");
    return checked;
  }

  async query(filter: WorkflowFilter): Promise<readonly WorkflowSummary[]> {
    this.#open();
    const { sql, params } = buildQuery(this.#checkedFilter(filter));
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgWorkflowRow[]>(sql, params);
      return rows.map(summaryFromPgRow);
    });
  }

  async countByStatus(filter: WorkflowFilter): Promise<StatusCounts> {
    this.#open();
    const { sql, params } = buildGroupedCount(this.#checkedFilter(filter), ["status"]);
    return this.#run(async () => {
      // COUNT(*) is a bigint, which arrives as a string; countsFromRows takes both.
      const rows = await this.#sql.unsafe<{ status: string; n: string | number }[]>(sql, params);
      return countsFromRows(rows);
    });
  }

  async countByStatusAndType(filter: WorkflowFilter): Promise<readonly StatusTypeCount[]> {
    this.#open();
    const { sql, params } = buildGroupedCount(this.#checkedFilter(filter), [
      "status",
      "workflow_type",
    ]);
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<
        { status: string; workflow_type: string; n: string | number }[]
      >(sql, params);
      return statusTypeCountsFromRows(rows);
    });
  }

  async scheduleTimer(workflowId: string, timerId: string, fireAt: number): Promise<void> {
    this.#open();
    checkWorkflowId(workflowId);
    checkPgText(checkId(timerId, "timerId"), "timerId");
    checkTimestamp(fireAt, "fireAt");
    return this.#write(`w:${workflowId}`, async () => {
      const armed = await inTransaction(this.#sql, this.#retry, (tx) =>
        timerTx(tx, workflowId, timerId, fireAt),
      );
      if (!armed) throw new UnknownWorkflowError(workflowId);
    });
  }

  async cancelTimer(workflowId: string, timerId: string): Promise<boolean> {
    this.#open();
    checkWorkflowId(workflowId);
    checkPgText(checkId(timerId, "timerId"), "timerId");
    return this.#write(`w:${workflowId}`, () =>
      inTransaction(this.#sql, this.#retry, (tx) => cancelTimerTx(tx, workflowId, timerId)),
    );
  }

  async expiredTimers(asOf: number, limit?: number): Promise<readonly TimerEntry[]> {
    this.#open();
    checkTimestamp(asOf, "asOf");
    const max = checkLimit(limit);
    return this.#run(async () => {
      const rows =
        max === undefined
          ? await this.#sql.unsafe<PgTimerRow[]>(SQL_TEXT.expiredTimers, [asOf])
          : await this.#sql.unsafe<PgTimerRow[]>(SQL_TEXT.expiredTimersLimit, [asOf, max]);
      return rows.map(timerFromRow);
    });
  }

  async putPackage(pkg: PackageInput): Promise<PackageRecord> {
    this.#open();
    const input = preparePackage(pkg, this.#limits);
    checkPgText(input.workflowType, "package.workflowType");
    const storedAt = this.#now();
    return this.#write(`p:${input.workflowType}`, () =>
      inTransaction(this.#sql, this.#retry, (tx) => packageTx(tx, input, storedAt)),
    );
  }

  async getPackage(workflowType: string, contentHash: string): Promise<PackageRecord | undefined> {
    this.#open();
    checkWorkflowType(workflowType);
    checkContentHash(contentHash);
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgPackageRow[]>(SQL_TEXT.getPackage, [
        workflowType,
        contentHash,
      ]);
      return rows[0] === undefined ? undefined : packageFromRow(rows[0]);
    });
  }

  async listPackages(): Promise<readonly PackageRecord[]> {
    this.#open();
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgPackageRow[]>(SQL_TEXT.listPackages);
      return rows.map(packageFromRow);
    });
  }

  async deletePackage(workflowType: string, contentHash: string): Promise<boolean> {
    this.#open();
    checkWorkflowType(workflowType);
    checkContentHash(contentHash);
    return this.#write(`p:${workflowType}`, () =>
      inTransaction(this.#sql, this.#retry, (tx) => deletePackageTx(tx, workflowType, contentHash)),
    );
  }

  async putPackageRoute(workflowType: string, contentHash: string): Promise<PackageRoute> {
    this.#open();
    checkWorkflowType(workflowType);
    checkContentHash(contentHash);
    const updatedAt = this.#now();
    return this.#write(`p:${workflowType}`, () =>
      inTransaction(this.#sql, this.#retry, (tx) =>
        routeTx(tx, workflowType, contentHash, updatedAt),
      ),
    );
  }

  async deletePackageRoute(workflowType: string): Promise<boolean> {
    this.#open();
    checkWorkflowType(workflowType);
    return this.#write(`p:${workflowType}`, () =>
      inTransaction(this.#sql, this.#retry, (tx) => deleteRouteTx(tx, workflowType)),
    );
  }

  async listPackageRoutes(): Promise<readonly PackageRoute[]> {
    this.#open();
    return this.#run(async () => {
      const rows = await this.#sql.unsafe<PgRouteRow[]>(SQL_TEXT.listRoutes);
      return rows.map(routeFromRow);
    });
  }

  /** Waits for every operation already issued, then closes the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await this.#sql.close();
  }
}

function checkWorkflowId(workflowId: string): void {
  checkPgText(checkId(workflowId, "workflowId"), "workflowId");
}

function checkWorkflowType(workflowType: string): void {
  checkPgText(checkId(workflowType, "workflowType"), "workflowType");
}

/** The text an append writes to columns (ids, types, runs, attributes), checked for PostgreSQL. */
function checkAppendText(p: PreparedAppend): void {
  checkPgText(p.workflowId, "workflowId");
  p.envelopes.forEach((e, i) => {
    const event = e.event;
    if (event.kind === "WorkflowStarted") {
      checkPgText(event.workflowType, `events[${i}].workflowType`);
      checkPgText(event.runId, `events[${i}].runId`);
    } else if (event.kind === "SearchAttributesUpdated") {
      checkPgAttributes(event.attributes, `events[${i}].attributes`);
    }
  });
  p.timers.forEach((t, i) => {
    checkPgText(t.timerId, `options.timers[${i}].timerId`);
  });
}
