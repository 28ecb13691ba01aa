/**
 * The await machinery the natives call into: evaluating an await against the
 * run's history (answer, scope abort, query sentinel, or park), waking a
 * parked process when something arrives, and handing steps to suspended
 * processes.
 *
 * It touches the VM only to resume processes and to put wake markers in
 * mailboxes; it appends nothing and enters no queue (those stay in
 * engine/core.ts). Everything here runs synchronously, either inside a
 * native call of the workflow's own process or inside the workflow's queue
 * after an append.
 */
import { type Atom, atom, binaryFromString, type Term } from "../../terms/index.ts";
import { ErlangError, type NativeResult, type Process, SUSPEND, type VM } from "../../vm/index.ts";
import { errorTerm } from "../terms.ts";
import type { AwaitSpec, PendingQuery, Step, WorkflowRun } from "./run-state.ts";
import { WAKE_MARKERS } from "./wake-markers.ts";

/** Reports a replay that needs an arrival the history does not hold. */
export type NondeterminismReporter = (run: WorkflowRun, expected: string, actual: string) => void;

export class AwaitSteps {
  constructor(
    private readonly vm: VM,
    private readonly onNondeterminism: NondeterminismReporter,
  ) {}

  /** The exception that aborts the body of a `with_timeout` scope. */
  scopeTimeout(scopeId: string): ErlangError {
    return new ErlangError("throw", [atom("aion_scope_timeout"), binaryFromString(scopeId)]);
  }

  /** The query sentinel `{error, <<"aion_query:", Json/binary>>}`. */
  querySentinel(q: PendingQuery): Term {
    return errorTerm(
      `aion_query:${JSON.stringify({ query_id: q.queryId, name: q.name, payload: q.payload })}`,
    );
  }

  /**
   * Evaluates an await for a process in a native call: its answer, a scope
   * abort, the query sentinel, or parking (`run.parked` set). Call from the
   * native, in the workflow's process.
   */
  awaitStep(run: WorkflowRun, spec: AwaitSpec, reentryKey?: string): Step {
    const step = run.evaluate(spec, (id) => this.scopeTimeout(id));
    if (step.kind !== "park") return step;
    if (run.replaying) {
      this.onNondeterminism(
        run,
        run.nextRecordedCommand() ?? "more history",
        `${spec.native} waiting for an arrival history does not hold`,
      );
      return step;
    }
    const q = run.takeQuery();
    if (q !== undefined) {
      run.reentry = reentryKey === undefined ? null : { native: spec.native, key: reentryKey };
      return { kind: "value", value: this.querySentinel(q) };
    }
    run.parked = spec;
    run.parkedKey = reentryKey;
    return step;
  }

  /**
   * Re-evaluates the parked await after an arrival or a query. A process not
   * parked in a native gets the arrival's wake marker instead, for a raw
   * `receive` (one marker per kind: a query must not wake a process waiting
   * for `aion_signal_received`).
   */
  wake(run: WorkflowRun, marker: Atom): void {
    const p = run.process;
    if (p === null || !p.isAlive) return;
    const spec = run.parked;
    if (spec === null) {
      this.vm.deliver(p, marker);
      return;
    }
    let step = run.evaluate(spec, (id) => this.scopeTimeout(id));
    if (step.kind === "park") {
      const q = run.takeQuery();
      if (q === undefined) return;
      run.reentry =
        run.parkedKey === undefined ? null : { native: spec.native, key: run.parkedKey };
      step = { kind: "value", value: this.querySentinel(q) };
    }
    run.parked = null;
    run.parkedKey = undefined;
    this.deliverStep(p, step);
  }

  /** Wakes a run for a pending query (`aion_query` for a raw receive). */
  wakeForQuery(run: WorkflowRun): void {
    this.wake(run, WAKE_MARKERS.query);
  }

  /** Hands a step to a suspended process. */
  deliverStep(p: Process, step: Step): void {
    if (step.kind === "value") this.vm.resume(p, step.value);
    else if (step.kind === "raise") this.vm.resumeWithError(p, step.error);
  }

  /** A step as a native's synchronous result. */
  finishSync(step: Step): NativeResult {
    if (step.kind === "value") return step.value;
    if (step.kind === "raise") throw step.error;
    return SUSPEND;
  }
}
