/**
 * Group commit: every write submitted in the same event-loop turn runs in one
 * IMMEDIATE transaction, so they share one WAL commit and one fsync.
 *
 * A write comes in two phases (`WriteOp`): a check that reads and may refuse
 * by throwing, having written nothing, and an apply that writes. A refusal (a
 * conflict, say) therefore fails that write alone while the rest of the batch
 * commits. If an apply itself throws (a constraint or I/O error half-way
 * through its statements), the transaction is rolled back and the batch is
 * re-run with every apply inside its own SAVEPOINT, so only the failing write
 * is undone. Keeping savepoints off the common path saves two statements per
 * write.
 *
 * Writes see each other's effects in submission order, so two appends to one
 * workflow in one batch behave exactly as if issued one after the other.
 * Both phases must depend on the database state only: a batch may be re-run
 * (after a failed apply, or when another connection held the lock).
 */
import type { Database, Statement } from "bun:sqlite";
import { StoreBusyError, StoreClosedError } from "../errors.ts";
import { backoffMs, isBusyError } from "./busy.ts";

/**
 * A write: the outer function checks (and throws to refuse, writing
 * nothing); the function it returns performs the writes and yields the result.
 */
export type WriteOp<T> = () => () => T;

/** Tuning of the committer. */
export interface GroupCommitOptions {
  /** Most writes per transaction; the rest go in the next one. */
  readonly maxBatchOps: number;
  /** Attempts to start/commit a transaction while the database is locked. */
  readonly busyRetries: number;
  /** First retry delay; doubles per attempt. */
  readonly busyBackoffMs: number;
}

/** Counters for tests and benchmarks. */
export interface GroupCommitStats {
  /** Committed transactions. */
  transactions: number;
  /** Writes settled by a committed transaction (applied or refused). */
  operations: number;
  /** Largest number of writes in one transaction. */
  largestBatch: number;
  /** Times a batch was deferred because the database was locked. */
  busyRetries: number;
  /** Batches re-run with savepoints because a write failed half-way. */
  isolatedReruns: number;
}

interface Pending {
  readonly op: WriteOp<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** How a batch attempt ended. */
type BatchResult =
  | { readonly kind: "settled"; readonly outcomes: readonly Outcome[] }
  | { readonly kind: "busy" }
  | { readonly kind: "isolate" }
  | { readonly kind: "failed"; readonly error: unknown };

/** Batches writes into shared transactions on one connection. */
export class GroupCommitter {
  readonly #db: Database;
  readonly #opts: GroupCommitOptions;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackTo: Statement;
  #queue: Pending[] = [];
  #scheduled = false;
  #attempt = 0;
  #closed = false;
  #drained: (() => void) | undefined;
  readonly stats: GroupCommitStats = {
    transactions: 0,
    operations: 0,
    largestBatch: 0,
    busyRetries: 0,
    isolatedReruns: 0,
  };

  constructor(db: Database, opts: GroupCommitOptions) {
    this.#db = db;
    this.#opts = opts;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    this.#savepoint = db.prepare("SAVEPOINT write_op");
    this.#release = db.prepare("RELEASE write_op");
    this.#rollbackTo = db.prepare("ROLLBACK TO write_op");
  }

  /** Queue a write for the next transaction; resolves after it commits. */
  submit<T>(op: WriteOp<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule(0);
    });
  }

  /**
   * Refuse new writes and resolve once every queued write has settled
   * (flushing immediately rather than waiting for the next turn).
   */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#queue.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      this.#drained = resolve;
    });
    if (this.#attempt === 0) this.#flush();
    return done;
  }

  #schedule(delayMs: number): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate rather than a microtask: it gathers every write issued
    // during the current macrotask, including ones from resolved promises.
    if (delayMs === 0) setImmediate(() => this.#flush());
    else setTimeout(() => this.#flush(), delayMs);
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#opts.maxBatchOps);
      let result = this.#runBatch(batch, false);
      if (result.kind === "isolate") {
        this.stats.isolatedReruns++;
        result = this.#runBatch(batch, true);
      }
      if (result.kind === "busy") {
        this.#attempt++;
        if (this.#attempt <= this.#opts.busyRetries) {
          this.stats.busyRetries++;
          this.#schedule(backoffMs(this.#attempt, this.#opts.busyBackoffMs));
          return;
        }
        const error = new StoreBusyError(this.#attempt);
        this.#settle(batch, () => ({ ok: false, error }));
      } else if (result.kind === "settled") {
        const { outcomes } = result;
        this.#settle(batch, (i) => outcomes[i]!);
      } else {
        // "failed" (or an "isolate" from the isolated run, which cannot happen).
        const error = result.kind === "failed" ? result.error : new Error("batch isolation failed");
        this.#settle(batch, () => ({ ok: false, error }));
      }
      this.#attempt = 0;
    }
    this.#drained?.();
    this.#drained = undefined;
  }

  #settle(batch: readonly Pending[], outcomeOf: (i: number) => Outcome): void {
    this.#queue.splice(0, batch.length);
    batch.forEach((p, i) => {
      const o = outcomeOf(i);
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  #abandon(): void {
    if (this.#db.inTransaction) this.#rollback.run();
  }

  /** Run one transaction over `batch`; nothing is written unless it commits. */
  #runBatch(batch: readonly Pending[], isolated: boolean): BatchResult {
    try {
      this.#begin.run();
    } catch (error) {
      return isBusyError(error) ? { kind: "busy" } : { kind: "failed", error };
    }
    const outcomes: Outcome[] = [];
    try {
      for (const p of batch) {
        let apply: () => unknown;
        try {
          apply = p.op();
        } catch (error) {
          // A refusal: the check wrote nothing, the batch carries on.
          outcomes.push({ ok: false, error });
          continue;
        }
        if (isolated) this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: apply() });
          if (isolated) this.#release.run();
        } catch (error) {
          if (isolated) {
            // Undo this write only; the transaction and the other writes live on.
            this.#rollbackTo.run();
            this.#release.run();
            outcomes.push({ ok: false, error });
            continue;
          }
          this.#abandon();
          // A lone write owns the whole transaction: no need to re-run it.
          return batch.length === 1
            ? { kind: "settled", outcomes: [{ ok: false, error }] }
            : { kind: "isolate" };
        }
      }
      this.#commit.run();
    } catch (error) {
      // Savepoint machinery or COMMIT failed: abandon everything.
      this.#abandon();
      return isBusyError(error) ? { kind: "busy" } : { kind: "failed", error };
    }
    this.stats.transactions++;
    this.stats.operations += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    return { kind: "settled", outcomes };
  }
}
