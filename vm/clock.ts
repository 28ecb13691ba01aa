/**
 * Time as the VM sees it. The VM never calls `Date.now` or `setTimeout`
 * directly: it is handed a {@link Clock}, so tests and deterministic workflow
 * replays can run days of timers in milliseconds with {@link ManualClock}.
 */
export interface TimerHandle {
  readonly fireAt: number;
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  wallNow(): number;
  /** Calls `fire` once at or after `fireAt` (monotonic ms). */
  schedule(fireAt: number, fire: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

interface RealHandle extends TimerHandle {
  id: ReturnType<typeof setTimeout>;
}

/** The host's timer functions (injectable so tests can simulate a host timer that fires early). */
export interface HostTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(id: ReturnType<typeof setTimeout>): void;
}

const REAL_TIMERS: HostTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};

/**
 * Whole milliseconds to ask the host timer for so that it does not fire
 * before `fireAt`: the host rounds fractional delays down, so a deadline
 * read from a sub-millisecond clock is rounded up instead.
 */
export function hostDelay(fireAt: number, now: number): number {
  return Math.max(0, Math.ceil(fireAt - now));
}

/**
 * The real clock, backed by `performance.now` and `setTimeout`. A timer never
 * fires before its deadline as `now()` reads it: host timers (Bun's included)
 * may fire up to a millisecond early, so a callback that arrives early is
 * re-armed for the rest. That keeps `receive after T` at least T ms long as
 * `erlang:monotonic_time(millisecond)` measures it.
 */
export class SystemClock implements Clock {
  private readonly origin: number;
  constructor(private readonly host: HostTimers = REAL_TIMERS) {
    this.origin = Date.now() - host.now();
  }
  now(): number {
    return this.host.now();
  }
  wallNow(): number {
    return this.origin + this.host.now();
  }
  schedule(fireAt: number, fire: () => void): TimerHandle {
    const handle = { fireAt } as RealHandle;
    const arm = (): void => {
      handle.id = this.host.setTimeout(
        () => {
          if (this.host.now() < fireAt) arm();
          else fire();
        },
        hostDelay(fireAt, this.host.now()),
      );
    };
    arm();
    return handle;
  }
  cancel(handle: TimerHandle): void {
    this.host.clearTimeout((handle as RealHandle).id);
  }
}

interface ManualHandle extends TimerHandle {
  fire: () => void;
  seq: number;
  cancelled: boolean;
}

/** A clock that only moves when told to; timers fire inside {@link advance}. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private pending: ManualHandle[] = [];
  constructor(
    start = 0,
    // 2026-01-01T00:00:00Z: a fixed, recent wall-clock origin keeps tests deterministic.
    private readonly wallOrigin = 1_767_225_600_000,
  ) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return this.wallOrigin + this.t;
  }
  schedule(fireAt: number, fire: () => void): TimerHandle {
    const h: ManualHandle = { fireAt, fire, seq: this.seq++, cancelled: false };
    this.pending.push(h);
    return h;
  }
  cancel(handle: TimerHandle): void {
    (handle as ManualHandle).cancelled = true;
  }
  /** The earliest pending deadline, if any. */
  nextDeadline(): number | undefined {
    let best: number | undefined;
    for (const h of this.pending)
      if (!h.cancelled && (best === undefined || h.fireAt < best)) best = h.fireAt;
    return best;
  }
  /** Moves time forward by `ms`, firing due timers in deadline order. */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      this.pending = this.pending.filter((h) => !h.cancelled);
      let next: ManualHandle | undefined;
      for (const h of this.pending) {
        if (
          h.fireAt <= target &&
          (!next || h.fireAt < next.fireAt || (h.fireAt === next.fireAt && h.seq < next.seq))
        ) {
          next = h;
        }
      }
      if (!next) break;
      this.t = Math.max(this.t, next.fireAt);
      next.cancelled = true;
      next.fire();
    }
    this.t = target;
  }
}
