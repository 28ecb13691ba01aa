/**
 * Replay a recorded history against workflow code, for tests: did the code
 * change in a way that no longer matches what production recorded?
 *
 * The latest run of the history is loaded into an isolated engine (memory
 * store, manual clock that never moves, no activities) and re-executed. The
 * engine may not record anything: the first thing it tries to record decides
 * the report — the run's own terminal event (compared with the recorded one),
 * a non-determinism failure, or a new command past the end of history.
 */
import { ManualClock } from "../../vm/index.ts";
import { Engine } from "../engine.ts";
import type { EventEnvelope, WorkflowEvent } from "../events/index.ts";
import { describeEvent, isCommand } from "../run/commands.ts";
import { type EventStore, MemoryStore } from "../store/index.ts";
import { payloadText } from "../terms.ts";
import type { WorkflowTypeSpec } from "../types.ts";

/** What a replay found. */
export interface ReplayReport {
  /** True when the code reproduced the history (and its outcome, if recorded). */
  readonly ok: boolean;
  /** Why not, naming the recorded event and the call when they differ. */
  readonly divergence?: string;
  /** The terminal event the replay produced, if it got that far. */
  readonly outcome?: WorkflowEvent;
}

export interface ReplayOptions {
  /** Workflow types by name (the history's type must be among them). */
  readonly workflows: Readonly<Record<string, WorkflowTypeSpec>>;
  /** Directories of the `.beam` modules. */
  readonly modulesDir?: string | readonly string[];
  /** How long to let the replay run (real ms) before reporting. Default 2000. */
  readonly timeoutMs?: number;
}

class RecordingRefused extends Error {}

function terminal(e: WorkflowEvent): boolean {
  return (
    e.kind === "WorkflowCompleted" ||
    e.kind === "WorkflowFailed" ||
    e.kind === "WorkflowCancelled" ||
    e.kind === "WorkflowTimedOut"
  );
}

function sameTerminal(a: WorkflowEvent, b: WorkflowEvent): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "WorkflowCompleted" && b.kind === "WorkflowCompleted") {
    return payloadText(a.result) === payloadText(b.result);
  }
  if (a.kind === "WorkflowFailed" && b.kind === "WorkflowFailed")
    return a.error.message === b.error.message;
  return true;
}

/** Re-runs the latest run of `history` and reports whether the code still matches it. */
export async function replay(
  history: readonly EventEnvelope[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  let start = -1;
  for (let i = history.length - 1; i >= 0 && start < 0; i--)
    if (history[i]!.event.kind === "WorkflowStarted") start = i;
  if (start < 0) return { ok: false, divergence: "the history has no WorkflowStarted" };
  const recordedEnd = history.slice(start).find((e) => terminal(e.event))?.event;
  const body = history.filter((e) => !(e.seq > history[start]!.seq && terminal(e.event)));
  const workflowId = history[0]!.workflowId;
  const clock = new ManualClock(0, body.at(-1)!.recordedAt);
  const memory = new MemoryStore({ now: () => Math.floor(clock.wallNow()) });
  for (const e of body)
    await memory.append(workflowId, [e.event], e.seq - 1, { recordedAt: e.recordedAt });

  let attempted: WorkflowEvent | undefined;
  let settle: () => void = () => {};
  const done = new Promise<void>((r) => {
    settle = r;
  });
  const sealed: EventStore = new Proxy(memory, {
    get(target, prop, receiver) {
      if (prop === "append") {
        return async (_id: string, events: readonly WorkflowEvent[]) => {
          const first = events.find((e) => isCommand(e) || terminal(e));
          if (first !== undefined && attempted === undefined) {
            attempted = first;
            settle();
          }
          throw new RecordingRefused("replay records nothing");
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  const engine = await Engine.open({
    store: sealed,
    clock,
    random: 1,
    workflows: options.workflows,
    ...(options.modulesDir !== undefined ? { modulesDir: options.modulesDir } : {}),
    recover: false,
    log: () => {},
  });
  // The deadline timer is cleared however the replay ends: left armed, it keeps
  // the host's event loop busy long after the report (a test file calling
  // replay() would leave a live timer behind for the files after it).
  let deadline: ReturnType<typeof setTimeout> | undefined;
  try {
    await engine.recover();
    await Promise.race([
      done,
      new Promise((r) => {
        deadline = setTimeout(r, options.timeoutMs ?? 2000);
      }),
    ]);
  } finally {
    clearTimeout(deadline);
    await engine.shutdown();
  }
  const got = attempted as WorkflowEvent | undefined;
  if (got === undefined) {
    return recordedEnd === undefined
      ? { ok: true }
      : {
          ok: false,
          divergence: `history ends with ${recordedEnd.kind} but the replay never ended`,
        };
  }
  if (got.kind === "WorkflowFailed" && got.error.message.startsWith("nondeterminism:")) {
    return { ok: false, divergence: got.error.message, outcome: got };
  }
  if (!terminal(got)) {
    return { ok: false, divergence: `history ended but the workflow called ${describeEvent(got)}` };
  }
  if (recordedEnd === undefined) {
    return {
      ok: false,
      divergence: `the replay ended with ${got.kind} where the history is still running`,
      outcome: got,
    };
  }
  return sameTerminal(got, recordedEnd)
    ? { ok: true, outcome: got }
    : {
        ok: false,
        divergence: `history ends with ${recordedEnd.kind}, the replay with ${got.kind}`,
        outcome: got,
      };
}
