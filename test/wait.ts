/**
 * Waiting in tests without racing the clock. A test that sleeps "long
 * enough" or polls against a wall-clock deadline passes or fails with the
 * machine's load; these helpers wait for the condition itself instead, and
 * leave the bound on a wait that never ends to the test's own timeout (set
 * generously where the work is real: subprocesses, SQLite files, real timers).
 */

/** One turn of the event loop: every queued I/O callback and immediate runs first. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Lets `n` event-loop turns pass (to give work that is already queued the chance to run). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextTurn();
}

/** Polls that yield with `setImmediate` before backing off to timer ticks. */
const EAGER_POLLS = 100;

/**
 * Resolves once `ready()` holds, checking it again on every event-loop turn
 * (and, after the first hundred checks, on every timer tick, so a wait for a
 * real timer or another process does not spin the CPU). There is no deadline:
 * if the condition never comes, the test times out, and a wait that has
 * lasted long prints what it is still waiting for, to name the culprit.
 */
export async function waitUntil(
  what: string,
  ready: () => boolean | Promise<boolean>,
): Promise<void> {
  const started = performance.now();
  let warned = false;
  for (let polls = 0; !(await ready()); polls++) {
    if (polls < EAGER_POLLS) {
      await nextTurn();
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    // Diagnostics only: how long it took never decides the outcome.
    if (!warned && performance.now() - started > 10_000) {
      warned = true;
      console.warn(`waitUntil: still waiting for ${what}`);
    }
  }
}

/** Whether the VM of an engine has a process ready to run (the structural part of an Engine). */
interface HasVm {
  readonly runtime: { readonly vm: { readonly hasRunnable: boolean } };
}

/**
 * Resolves once `engine`'s VM has had nothing to run for `quietTurns`
 * consecutive event-loop turns: every workflow process is parked or done, and
 * the appends they issued (memory or SQLite, committed on the event loop)
 * have settled. Real timers and activities may still be pending.
 */
export async function vmQuiet(engine: HasVm, quietTurns = 4): Promise<void> {
  for (let quiet = 0; quiet < quietTurns; ) {
    await nextTurn();
    quiet = engine.runtime.vm.hasRunnable ? 0 : quiet + 1;
  }
}
