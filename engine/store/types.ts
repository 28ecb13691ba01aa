/**
 * The event store contract shared by every implementation.
 *
 * Times are milliseconds since the Unix epoch (UTC). Sequence numbers are
 * dense per workflow id and start at 1; a history's head is the seq of its
 * last event (0 when empty).
 */
import type {
  EventEnvelope,
  RunSummary,
  SearchAttributes,
  WorkflowEvent,
  WorkflowStatus,
} from "../events/index.ts";
import type { CoordinationStore, Fence } from "./coordination/types.ts";

/** A durable timer to arm in the same transaction as an append. */
export interface TimerSpec {
  readonly timerId: string;
  /** When the timer is due (ms epoch). */
  readonly fireAt: number;
}

/** Optional parts of an append. */
export interface AppendOptions {
  /** Timestamp for every appended envelope; defaults to the store clock. */
  readonly recordedAt?: number;
  /** Durable timers to schedule atomically with the events. */
  readonly timers?: readonly TimerSpec[];
  /**
   * The namespace of the workflow this append creates (`expectedSeq` 0);
   * default {@link DEFAULT_NAMESPACE}. Ignored when the workflow exists: a
   * workflow id keeps the namespace it was created in for its whole run
   * chain (continue-as-new successors append to the same id).
   */
  readonly namespace?: string;
  /**
   * The shard lease the appender holds: the append is refused with
   * `FencedError` (in the same transaction, nothing written) unless the
   * shard's current token is this one. Omitted by appenders outside the
   * ownership scheme (tools, tests): they are not fenced.
   */
  readonly fence?: Fence;
}

/** What a successful append wrote. */
export interface AppendResult {
  /** The new head seq. */
  readonly head: number;
  /** The stored envelopes, in order. */
  readonly envelopes: readonly EventEnvelope[];
}

/** A durable timer. */
export interface TimerEntry {
  readonly workflowId: string;
  readonly timerId: string;
  readonly fireAt: number;
}

/**
 * The visibility projection of one workflow id, kept in step with its history
 * (updated in the append's transaction). Type, run and times describe the
 * latest run; search attributes accumulate across the whole run chain.
 */
export interface WorkflowSummary {
  readonly workflowId: string;
  /** Set when the workflow was created; never changes. */
  readonly namespace: string;
  readonly workflowType: string;
  readonly runId: string;
  readonly status: WorkflowStatus;
  /** When the latest run started. */
  readonly startTime: number;
  /** When the latest run ended, or null while it runs. */
  readonly closeTime: number | null;
  readonly searchAttributes: SearchAttributes;
  readonly headSeq: number;
  /** How many runs the chain holds. */
  readonly runCount: number;
}

/** A half-open time range: `from` inclusive, `to` exclusive; both optional. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * A position in a visibility query's order: the sort key of the last
 * workflow a previous page returned. Keyset paging, so a page costs the
 * same however deep it is, and workflows started meanwhile never shift it.
 */
export interface QueryCursor {
  readonly startTime: number;
  readonly workflowId: string;
}

/** Direction of a visibility query: oldest first (`asc`, the default) or newest first. */
export type QueryOrder = "asc" | "desc";

/**
 * Visibility query. Every given criterion must hold; an empty filter matches
 * every workflow. Results are ordered by start time, then workflow id
 * (ascending, or both descending with `order: "desc"`).
 */
export interface WorkflowFilter {
  /** Only workflows of this namespace. */
  readonly namespace?: string;
  /** One status, or any of several. */
  readonly status?: WorkflowStatus | readonly WorkflowStatus[];
  readonly workflowType?: string;
  readonly startTime?: TimeRange;
  /** Only closed workflows can match a close-time range. */
  readonly closeTime?: TimeRange;
  /** Exact matches on search attributes (same type and value). */
  readonly searchAttributes?: SearchAttributes;
  /** At most this many results. */
  readonly limit?: number;
  /** Result order; default `asc`. */
  readonly order?: QueryOrder;
  /**
   * Only workflows strictly after this position in `order` (the last
   * workflow of the previous page). The position need not exist any more.
   */
  readonly after?: QueryCursor;
  /**
   * Skip this many matches before the first result (after `after`, when
   * both are given). Only for callers whose contract fixes offset paging
   * (the original callers' list): the database still steps over the
   * skipped matches, so a deep offset costs what its depth does; `after`
   * does not.
   */
  readonly offset?: number;
}

/** How many workflows have each status (every status present, zero when none). */
export type StatusCounts = Readonly<Record<WorkflowStatus, number>>;

/** How many workflows have one status and one workflow type (a group of a grouped count). */
export interface StatusTypeCount {
  readonly status: WorkflowStatus;
  readonly workflowType: string;
  /** Always at least 1: empty groups are not listed. */
  readonly count: number;
}

/** A package to store: a `.aion` archive under its workflow type and content hash. */
export interface PackageInput {
  readonly workflowType: string;
  /** The package version: 64 lowercase hex characters. */
  readonly contentHash: string;
  readonly archive: Uint8Array;
}

/** A stored package. */
export interface PackageRecord extends PackageInput {
  readonly storedAt: number;
}

/** Which package version new workflows of a type start on. */
export interface PackageRoute {
  readonly workflowType: string;
  readonly contentHash: string;
  readonly updatedAt: number;
}

/**
 * Durable storage of workflow histories, their visibility projection, durable
 * timers and deployed packages.
 *
 * Every method rejects with a `StoreError` subclass on refusal; once `close`
 * has been called every method rejects with `StoreClosedError`.
 */
export interface EventStore {
  /**
   * Multi-process coordination on the same database: shard leases with
   * fencing tokens, members, the inbox and activity task queues
   * (coordination/types.ts). Appends check a fence themselves (`AppendOptions.fence`).
   */
  readonly coordination: CoordinationStore;
  /**
   * Append events to a history, all or nothing, if and only if its head is
   * `expectedSeq` (0 for a new workflow, whose first event must be
   * WorkflowStarted). The visibility projection and the durable timers the
   * events fire, cancel or (via `options.timers`) arm change in the same
   * transaction. A run-ending event drops every durable timer of the workflow.
   *
   * @throws AppendConflictError when the head is not `expectedSeq`.
   * @throws FencedError when `options.fence` is not the shard's current token.
   * @throws InvalidArgumentError for a bad id, seq, event or oversized payload.
   */
  append(
    workflowId: string,
    events: readonly WorkflowEvent[],
    expectedSeq: number,
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /** The whole history, in seq order; empty when the workflow is unknown. */
  readHistory(workflowId: string): Promise<readonly EventEnvelope[]>;

  /** Events with `seq >= fromSeq` (`fromSeq` >= 1), in order. */
  readHistoryFrom(workflowId: string, fromSeq: number): Promise<readonly EventEnvelope[]>;

  /**
   * The runs of one workflow id, oldest first, following continue-as-new.
   * @throws UnknownWorkflowError when there is no history.
   */
  readRunChain(workflowId: string): Promise<readonly RunSummary[]>;

  /** The visibility record of one workflow, or undefined when unknown. */
  describe(workflowId: string): Promise<WorkflowSummary | undefined>;

  /** Every workflow id with a history, sorted. */
  listWorkflowIds(): Promise<readonly string[]>;

  /** Ids of workflows whose latest run is Running, sorted. */
  listActive(): Promise<readonly string[]>;

  /** Visibility query; see `WorkflowFilter`. */
  query(filter: WorkflowFilter): Promise<readonly WorkflowSummary[]>;

  /**
   * How many workflows match `filter`, per status (one grouped count in the
   * SQL stores). Only the matching criteria count: `limit`, `order`,
   * `after` and `offset` (paging) are ignored.
   */
  countByStatus(filter: WorkflowFilter): Promise<StatusCounts>;

  /**
   * How many workflows match `filter`, per (status, workflow type) pair that
   * has any: one grouped count in the SQL stores, read from an index without
   * the table when the filter allows (the `/metrics` scrape's gauge). Sorted
   * by status, then type (code units). `limit`, `order`, `after` and
   * `offset` are ignored, as in `countByStatus`.
   */
  countByStatusAndType(filter: WorkflowFilter): Promise<readonly StatusTypeCount[]>;

  /**
   * Arm (or re-arm, replacing `fireAt`) a durable timer.
   * @throws UnknownWorkflowError when the workflow has no history.
   */
  scheduleTimer(workflowId: string, timerId: string, fireAt: number): Promise<void>;

  /** Disarm a durable timer; resolves false when it was not armed. */
  cancelTimer(workflowId: string, timerId: string): Promise<boolean>;

  /** Timers due at or before `asOf`, earliest first, at most `limit`. */
  expiredTimers(asOf: number, limit?: number): Promise<readonly TimerEntry[]>;

  /** Store (or replace) a package archive. */
  putPackage(pkg: PackageInput): Promise<PackageRecord>;

  /** One package, or undefined. */
  getPackage(workflowType: string, contentHash: string): Promise<PackageRecord | undefined>;

  /** Every package, by workflow type then storage time. */
  listPackages(): Promise<readonly PackageRecord[]>;

  /**
   * Delete a package; resolves false when it was not stored.
   * @throws InvalidArgumentError when a route still points at it.
   */
  deletePackage(workflowType: string, contentHash: string): Promise<boolean>;

  /**
   * Route new workflows of a type to a stored package version.
   * @throws UnknownPackageError when that package is not stored.
   */
  putPackageRoute(workflowType: string, contentHash: string): Promise<PackageRoute>;

  /** Remove a type's route; resolves false when it had none. */
  deletePackageRoute(workflowType: string): Promise<boolean>;

  /** Every route, by workflow type. */
  listPackageRoutes(): Promise<readonly PackageRoute[]>;

  /** Finish pending writes and release resources. Idempotent. */
  close(): Promise<void>;
}

/** Options every implementation accepts. */
export interface StoreOptions {
  /** Clock for `recordedAt` and package timestamps; defaults to `Date.now`. */
  readonly now?: () => number;
  /** Largest accepted payload in bytes (each payload of each event). Default 2 MiB. */
  readonly maxPayloadBytes?: number;
  /** Largest accepted package archive in bytes. Default 64 MiB. */
  readonly maxPackageBytes?: number;
}

/** The namespace of a workflow created without one (and of every pre-namespace row). */
export const DEFAULT_NAMESPACE = "default";
/** Default `maxPayloadBytes`. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
/** Default `maxPackageBytes`. */
export const DEFAULT_MAX_PACKAGE_BYTES = 64 * 1024 * 1024;
