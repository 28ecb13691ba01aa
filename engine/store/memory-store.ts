/**
 * In-memory `EventStore` for tests and ephemeral engines.
 *
 * It validates and encodes exactly like the SQLite store and keeps events as
 * encoded bytes, so both implementations accept, refuse and return the same
 * things, and callers can never alias stored state.
 */
import {
  decodeEvent,
  type EventEnvelope,
  type EventKind,
  LIFECYCLE_KINDS,
  projectRuns,
  type RunSummary,
  type WorkflowEvent,
} from "../events/index.ts";
import { MemoryCoordination } from "./coordination/memory.ts";
import {
  AppendConflictError,
  InvalidArgumentError,
  StoreClosedError,
  UnknownPackageError,
  UnknownWorkflowError,
} from "./errors.ts";
import { type Limits, prepareAppend, preparePackage } from "./prepare.ts";
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
} from "./types.ts";
import {
  checkContentHash,
  checkFilter,
  checkFromSeq,
  checkId,
  checkLimit,
  checkTimestamp,
} from "./validate.ts";
import {
  isAfterCursor,
  matchesFilter,
  planAppend,
  statusTypeCountsFromRows,
  summaryOrder,
  zeroCounts,
} from "./visibility.ts";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const key = (a: string, b: string): string => `${a}\u0000${b}`;

function copyRecord(r: PackageRecord): PackageRecord {
  return { ...r, archive: r.archive.slice() };
}

/** An encoded event plus its kind, so run chains decode only lifecycle events. */
interface StoredEvent {
  readonly kind: EventKind;
  readonly bytes: Uint8Array;
}

const LIFECYCLE: ReadonlySet<EventKind> = new Set(LIFECYCLE_KINDS);

/** An `EventStore` held in process memory. */
export class MemoryStore implements EventStore {
  readonly #now: () => number;
  readonly #limits: Limits;
  readonly #histories = new Map<string, StoredEvent[]>();
  readonly #summaries = new Map<string, WorkflowSummary>();
  readonly #timers = new Map<string, TimerEntry>();
  readonly #packages = new Map<string, PackageRecord>();
  readonly #routes = new Map<string, PackageRoute>();
  readonly coordination = new MemoryCoordination(() => this.#open());
  #closed = false;

  constructor(options: StoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#limits = {
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxPackageBytes: options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES,
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
    this.coordination.checkFence(prepared.fence);
    const history = this.#histories.get(workflowId);
    const head = history?.length ?? 0;
    if (head !== prepared.expectedSeq) {
      throw new AppendConflictError(workflowId, prepared.expectedSeq, head);
    }
    const effects = planAppend(
      this.#summaries.get(workflowId),
      prepared.envelopes,
      prepared.namespace,
    );
    // Everything below cannot fail, so the append is all-or-nothing.
    const stored = prepared.encoded.map((bytes, i) => ({
      kind: prepared.envelopes[i]!.event.kind,
      bytes,
    }));
    if (history === undefined) this.#histories.set(workflowId, stored);
    else history.push(...stored);
    this.#summaries.set(workflowId, effects.summary);
    if (effects.runEnded) {
      for (const [k, t] of this.#timers) if (t.workflowId === workflowId) this.#timers.delete(k);
    } else {
      for (const timerId of effects.releasedTimers) this.#timers.delete(key(workflowId, timerId));
    }
    for (const t of prepared.timers) {
      this.#timers.set(key(workflowId, t.timerId), { workflowId, ...t });
    }
    return { head: effects.summary.headSeq, envelopes: prepared.envelopes };
  }

  #decode(stored: StoredEvent): EventEnvelope {
    // Decode a copy: decoded payloads are views into the buffer they came from.
    return decodeEvent(stored.bytes.slice());
  }

  async readHistory(workflowId: string): Promise<readonly EventEnvelope[]> {
    this.#open();
    checkId(workflowId, "workflowId");
    return (this.#histories.get(workflowId) ?? []).map((b) => this.#decode(b));
  }

  async readHistoryFrom(workflowId: string, fromSeq: number): Promise<readonly EventEnvelope[]> {
    this.#open();
    checkId(workflowId, "workflowId");
    checkFromSeq(fromSeq);
    return (this.#histories.get(workflowId) ?? []).slice(fromSeq - 1).map((b) => this.#decode(b));
  }

  async readRunChain(workflowId: string): Promise<readonly RunSummary[]> {
    this.#open();
    checkId(workflowId, "workflowId");
    const history = this.#histories.get(workflowId);
    if (history === undefined) throw new UnknownWorkflowError(workflowId);
    const lifecycle = history.filter((e) => LIFECYCLE.has(e.kind)).map((e) => this.#decode(e));
    return projectRuns(lifecycle, history.length);
  }

  async describe(workflowId: string): Promise<WorkflowSummary | undefined> {
    this.#open();
    checkId(workflowId, "workflowId");
    const s = this.#summaries.get(workflowId);
    return s === undefined ? undefined : { ...s, searchAttributes: { ...s.searchAttributes } };
  }

  async listWorkflowIds(): Promise<readonly string[]> {
    this.#open();
    return [...this.#histories.keys()].sort(byString);
  }

  async listActive(): Promise<readonly string[]> {
    this.#open();
    return [...this.#summaries.values()]
      .filter((s) => s.status === "Running")
      .map((s) => s.workflowId)
      .sort(byString);
  }

  async query(filter: WorkflowFilter): Promise<readonly WorkflowSummary[]> {
    this.#open();
    const f = checkFilter(filter);
    const hits = [...this.#summaries.values()]
      .filter((s) => matchesFilter(s, f) && isAfterCursor(s, f))
      .sort(summaryOrder(f))
      .map((s) => ({ ...s, searchAttributes: { ...s.searchAttributes } }));
    const from = f.offset ?? 0;
    return hits.slice(from, f.limit === undefined ? undefined : from + f.limit);
  }

  async countByStatus(filter: WorkflowFilter): Promise<StatusCounts> {
    this.#open();
    const f = checkFilter(filter);
    const counts = zeroCounts();
    for (const s of this.#summaries.values()) if (matchesFilter(s, f)) counts[s.status]++;
    return counts;
  }

  async countByStatusAndType(filter: WorkflowFilter): Promise<readonly StatusTypeCount[]> {
    this.#open();
    const f = checkFilter(filter);
    const rows = [...this.#summaries.values()]
      .filter((s) => matchesFilter(s, f))
      .map((s) => ({ status: s.status, workflow_type: s.workflowType, n: 1 }));
    return statusTypeCountsFromRows(rows);
  }

  async scheduleTimer(workflowId: string, timerId: string, fireAt: number): Promise<void> {
    this.#open();
    checkId(workflowId, "workflowId");
    checkId(timerId, "timerId");
    checkTimestamp(fireAt, "fireAt");
    if (!this.#histories.has(workflowId)) throw new UnknownWorkflowError(workflowId);
    this.#timers.set(key(workflowId, timerId), { workflowId, timerId, fireAt });
  }

  async cancelTimer(workflowId: string, timerId: string): Promise<boolean> {
    this.#open();
    checkId(workflowId, "workflowId");
    checkId(timerId, "timerId");
    return this.#timers.delete(key(workflowId, timerId));
  }

  async expiredTimers(asOf: number, limit?: number): Promise<readonly TimerEntry[]> {
    this.#open();
    checkTimestamp(asOf, "asOf");
    const max = checkLimit(limit);
    const due = [...this.#timers.values()]
      .filter((t) => t.fireAt <= asOf)
      .sort(
        (a, b) =>
          a.fireAt - b.fireAt ||
          byString(a.workflowId, b.workflowId) ||
          byString(a.timerId, b.timerId),
      );
    return max === undefined ? due : due.slice(0, max);
  }

  async putPackage(pkg: PackageInput): Promise<PackageRecord> {
    this.#open();
    const input = preparePackage(pkg, this.#limits);
    const record: PackageRecord = { ...input, storedAt: this.#now() };
    this.#packages.set(key(input.workflowType, input.contentHash), record);
    return copyRecord(record);
  }

  async getPackage(workflowType: string, contentHash: string): Promise<PackageRecord | undefined> {
    this.#open();
    checkId(workflowType, "workflowType");
    checkContentHash(contentHash);
    const r = this.#packages.get(key(workflowType, contentHash));
    return r === undefined ? undefined : copyRecord(r);
  }

  async listPackages(): Promise<readonly PackageRecord[]> {
    this.#open();
    return [...this.#packages.values()]
      .sort(
        (a, b) =>
          byString(a.workflowType, b.workflowType) ||
          a.storedAt - b.storedAt ||
          byString(a.contentHash, b.contentHash),
      )
      .map(copyRecord);
  }

  async deletePackage(workflowType: string, contentHash: string): Promise<boolean> {
    this.#open();
    checkId(workflowType, "workflowType");
    checkContentHash(contentHash);
    if (this.#routes.get(workflowType)?.contentHash === contentHash) {
      throw new InvalidArgumentError("contentHash", "the package is routed; move the route first");
    }
    return this.#packages.delete(key(workflowType, contentHash));
  }

  async putPackageRoute(workflowType: string, contentHash: string): Promise<PackageRoute> {
    this.#open();
    checkId(workflowType, "workflowType");
    checkContentHash(contentHash);
    if (!this.#packages.has(key(workflowType, contentHash))) {
      throw new UnknownPackageError(workflowType, contentHash);
    }
    const route: PackageRoute = { workflowType, contentHash, updatedAt: this.#now() };
    this.#routes.set(workflowType, route);
    return { ...route };
  }

  async deletePackageRoute(workflowType: string): Promise<boolean> {
    this.#open();
    checkId(workflowType, "workflowType");
    return this.#routes.delete(workflowType);
  }

  async listPackageRoutes(): Promise<readonly PackageRoute[]> {
    this.#open();
    return [...this.#routes.values()]
      .sort((a, b) => byString(a.workflowType, b.workflowType))
      .map((r) => ({ ...r }));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
