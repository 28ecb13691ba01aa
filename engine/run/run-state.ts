/**
 * The in-memory state of one resident run: its segment of the history, the
 * replay cursor over recorded commands, the await the process is parked at,
 * open `with_timeout` scopes and the query protocol's bookkeeping.
 *
 * Live execution and replay share one algorithm: a call first looks for the
 * recorded command at its position; only when history has none left is it
 * executed live. Awaits resolve from the same index in both modes, always
 * with the earliest arrival by seq, so a replay sees exactly what the live
 * run saw.
 */

import type { Term } from "../../terms/index.ts";
import type { ErlangError, Process } from "../../vm/index.ts";
import type { EventEnvelope, WorkflowEvent } from "../events/index.ts";
import { commandIdentity, isCommand } from "./commands.ts";
import { HistoryIndex } from "./history-index.ts";

/** An await's answer: the value and the seq of the arrival that decided it. */
export interface Resolution {
  readonly seq: number;
  readonly value: Term;
  /** Marks what the await used up (a buffered signal...). */
  readonly consume?: () => void;
}

/** What a parked process waits for. */
export interface AwaitSpec {
  /** The native that waits (for re-entry and messages). */
  readonly native: string;
  /** The answer once history holds one. */
  resolve(run: WorkflowRun): Resolution | undefined;
}

/** The next thing to do with a process that called an await. */
export type Step =
  | { readonly kind: "value"; readonly value: Term }
  | { readonly kind: "raise"; readonly error: ErlangError }
  | { readonly kind: "park" };

/** Result of matching a call against history. */
export type Match =
  | { readonly kind: "replay"; readonly envelopes: readonly EventEnvelope[] }
  | { readonly kind: "live" }
  | { readonly kind: "mismatch"; readonly expected: string; readonly actual: string };

/** An open `with_timeout` scope. */
export interface Scope {
  readonly scopeId: string;
  readonly timerId: string;
}

/** A query waiting for, or being answered by, the workflow. */
export interface PendingQuery {
  readonly queryId: string;
  readonly name: string;
  readonly payload: string;
  readonly settle: (outcome: { ok: true; text: string } | { ok: false; reason: string }) => void;
}

/** Ordinals that make generated ids deterministic per run. */
export interface Ordinals {
  activity: number;
  sleep: number;
  scope: number;
  child: number;
  side: number;
  signal: number;
}

/** A sent signal whose delivery to its target is not confirmed yet. */
export interface PendingSignal {
  readonly signalId: string;
  /** Settles (never rejects) once the target recorded the signal or refused it. */
  readonly done: Promise<void>;
}

export class WorkflowRun {
  /** The run's segment, from its WorkflowStarted on. */
  readonly events: EventEnvelope[] = [];
  readonly index = new HistoryIndex();
  /** Seq of the last event of the whole history (all runs). */
  head = 0;
  /** Index in `events` where matching of the next call starts. */
  private cursor = 1;
  private lastCommandIdx = -1;
  process: Process | null = null;
  readonly ordinals: Ordinals = {
    activity: 0,
    sleep: 0,
    scope: 0,
    child: 0,
    side: 0,
    signal: 0,
  };
  readonly scopes: Scope[] = [];
  parked: AwaitSpec | null = null;
  /** Re-entry key of the parked await (the sleep's timer, the collection...). */
  parkedKey: string | undefined = undefined;
  /** Set when a parked await returned the query sentinel: the same call comes back. */
  reentry: { readonly native: string; readonly key: string } | null = null;
  readonly signalsConsumed = new Map<string, number>();
  /** Ids of every signal the workflow id recorded (all runs of the chain): deliveries are idempotent. */
  readonly receivedSignalIds = new Set<string>();
  /**
   * The run's last `SignalSent` while its delivery is not confirmed: the
   * process waits in `send_signal` until it settles, and an end from outside
   * waits for it too, so no run moves past (or ends after) an undelivered signal.
   */
  pendingSignal: PendingSignal | null = null;
  readonly collections = new Map<string, readonly string[]>();
  readonly queryNames = new Set<string>();
  readonly queuedQueries: PendingQuery[] = [];
  readonly answering = new Map<string, PendingQuery>();
  /** Query id the workflow is servicing right now (recording natives refused). */
  servicing: string | null = null;
  /** A terminal event is recorded or being recorded: the run takes no more calls. */
  terminal = false;
  /** The engine took the process down on purpose (evict, shutdown, terminal). */
  detached = false;
  /** In-VM activity runner processes, killed with the run. */
  readonly runners = new Set<Process>();
  lastActive = 0;

  constructor(
    readonly workflowId: string,
    readonly runId: string,
    readonly workflowType: string,
    readonly input: string,
    readonly packageVersion: string,
  ) {}

  /** Adds the recorded segment of a run being replayed (the cursor stays at its start). */
  loadEvents(envs: readonly EventEnvelope[]): void {
    const cursor = this.cursor;
    this.cursor = -1;
    this.applyEvents(envs);
    this.cursor = cursor;
  }

  /** Notes the signal ids recorded by earlier runs of the chain (before this run's segment). */
  noteEarlierSignals(envs: readonly EventEnvelope[]): void {
    for (const env of envs) {
      const e = env.event;
      if (e.kind === "SignalReceived" && e.signalId !== undefined)
        this.receivedSignalIds.add(e.signalId);
    }
  }

  /** The last recorded command of the segment, if any. */
  lastCommand(): EventEnvelope | undefined {
    return this.lastCommandIdx < 0 ? undefined : this.events[this.lastCommandIdx];
  }

  /** Adds events just appended to this run's segment. */
  applyEvents(envs: readonly EventEnvelope[]): void {
    for (const env of envs) {
      const e = env.event;
      if (e.kind === "SignalReceived" && e.signalId !== undefined)
        this.receivedSignalIds.add(e.signalId);
      const i = this.events.length;
      this.events.push(env);
      this.index.add(env);
      if (isCommand(env.event)) this.lastCommandIdx = i;
      // Caught up: a live append is matched by construction.
      if (this.cursor === i) this.cursor = i + 1;
      this.head = Math.max(this.head, env.seq);
    }
  }

  /** True while recorded commands remain that the re-execution has not reached. */
  get replaying(): boolean {
    return this.lastCommandIdx >= this.cursor;
  }

  /**
   * Whether the re-execution has already passed the event at `seq` (always
   * true once live). The index holds the whole recorded segment up front, so
   * a decision that depends on what earlier calls did must not see what
   * later recorded calls will do.
   */
  reached(seq: number): boolean {
    const next = this.events[this.cursor];
    return next === undefined || seq < next.seq;
  }

  /** The next recorded command, for messages. */
  nextRecordedCommand(): string | undefined {
    for (let i = this.cursor; i < this.events.length; i++) {
      const e = this.events[i]!.event;
      if (isCommand(e)) return commandIdentity(e);
    }
    return undefined;
  }

  /** Matches a call (the events it would record) against history. */
  match(expected: readonly WorkflowEvent[]): Match {
    let i = this.cursor;
    const found: EventEnvelope[] = [];
    // Arrivals recorded in the same append (an observation's value) are not matched.
    for (const exp of expected.filter(isCommand)) {
      while (i < this.events.length && !isCommand(this.events[i]!.event)) i++;
      if (i >= this.events.length) {
        if (found.length === 0) {
          this.cursor = this.events.length;
          return { kind: "live" };
        }
        return { kind: "mismatch", expected: "end of history", actual: commandIdentity(exp) };
      }
      const rec = this.events[i]!;
      if (commandIdentity(rec.event) !== commandIdentity(exp)) {
        return {
          kind: "mismatch",
          expected: `${commandIdentity(rec.event)} at seq ${rec.seq}`,
          actual: commandIdentity(exp),
        };
      }
      found.push(rec);
      i++;
    }
    this.cursor = i;
    return { kind: "replay", envelopes: found };
  }

  /**
   * Resolves an await against history: the awaited arrival, unless an open
   * scope's deadline fired earlier (by seq), which aborts the scope instead.
   */
  evaluate(spec: AwaitSpec, scopeTimeout: (scopeId: string) => ErlangError): Step {
    const r = spec.resolve(this);
    let deadline: { seq: number; scopeId: string } | undefined;
    for (const s of this.scopes) {
      const fired = this.index.timers.get(s.timerId)?.firedSeq ?? null;
      if (fired !== null && (deadline === undefined || fired < deadline.seq)) {
        deadline = { seq: fired, scopeId: s.scopeId };
      }
    }
    if (deadline !== undefined && (r === undefined || deadline.seq < r.seq)) {
      return { kind: "raise", error: scopeTimeout(deadline.scopeId) };
    }
    if (r !== undefined) {
      r.consume?.();
      return { kind: "value", value: r.value };
    }
    return { kind: "park" };
  }

  /** The next query to hand to the workflow, if it may service one now. */
  takeQuery(): PendingQuery | undefined {
    if (this.replaying || this.servicing !== null) return undefined;
    for (;;) {
      const q = this.queuedQueries.shift();
      if (q === undefined) return undefined;
      // Names are known once the workflow runs live (registration re-runs on replay).
      if (!this.queryNames.has(q.name)) {
        q.settle({ ok: false, reason: `unknown:${q.name}` });
        continue;
      }
      this.answering.set(q.queryId, q);
      this.servicing = q.queryId;
      return q;
    }
  }

  /** Fails every query still waiting on this run. */
  rejectQueries(reason: string): void {
    for (const q of [...this.queuedQueries, ...this.answering.values()])
      q.settle({ ok: false, reason });
    this.queuedQueries.length = 0;
    this.answering.clear();
    this.servicing = null;
  }
}
