/**
 * Automatic eviction: a sweep on the engine's clock that evicts every run
 * idle for longer than `idleMs`, every `sweepEveryMs`. The sweep belongs to
 * the engine's epoch: closing it (shutdown) cancels the pending sweep and no
 * new one is scheduled. Evicted runs come back by replay on their next
 * arrival (signal, timer, activity result, child outcome) or query.
 */
import type { TimerHandle } from "../../vm/index.ts";
import { type EngineCore, errorText } from "../core.ts";
import { InvalidEngineArgumentError } from "../errors.ts";

/** The residency policy of `Engine.open({ residency })`. */
export interface ResidencyOptions {
  /** A run idle (no append, no spawn) for at least this many ms is evicted by the next sweep. */
  readonly idleMs: number;
  /** How often the sweep runs, in ms of the engine's clock. Default: `idleMs` (at least 1). */
  readonly sweepEveryMs?: number;
}

function checkMs(value: number, argument: string, min: number): number {
  if (!Number.isFinite(value) || value < min) {
    throw new InvalidEngineArgumentError(argument, `must be a finite number >= ${min}`);
  }
  return value;
}

/** A checked residency policy. */
export interface ResidencyPolicy {
  readonly idleMs: number;
  readonly sweepEveryMs: number;
}

/**
 * Checks the options and fills in the default sweep interval.
 * @throws InvalidEngineArgumentError for a negative or non-finite `idleMs`,
 *   or a `sweepEveryMs` below 1
 */
export function residencyPolicy(options: ResidencyOptions): ResidencyPolicy {
  const idleMs = checkMs(options.idleMs, "residency.idleMs", 0);
  const sweepEveryMs = checkMs(
    options.sweepEveryMs ?? Math.max(1, idleMs),
    "residency.sweepEveryMs",
    1,
  );
  return { idleMs, sweepEveryMs };
}

/**
 * Starts the periodic sweep. Returns how many sweeps ran and how many runs
 * they evicted (diagnostics).
 */
export function startResidencySweep(
  core: EngineCore,
  policy: ResidencyPolicy,
): { readonly sweeps: number; readonly evicted: number } {
  const { idleMs, sweepEveryMs: every } = policy;
  const stats = { sweeps: 0, evicted: 0 };
  let handle: TimerHandle | null = null;
  const schedule = (): void => {
    if (core.tasks.closed) return;
    handle = core.clock.schedule(core.clock.now() + every, () => {
      handle = null;
      if (core.tasks.closed) return;
      stats.sweeps++;
      try {
        stats.evicted += core.evictIdle(idleMs);
      } catch (e) {
        core.log(`aion engine: residency sweep failed: ${errorText(e)}\n`);
      }
      schedule();
    });
  };
  core.tasks.onClose(() => {
    if (handle !== null) core.clock.cancel(handle);
    handle = null;
  });
  schedule();
  return stats;
}
