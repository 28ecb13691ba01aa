/**
 * Timers never fire early: a host timer that rounds fractional delays down
 * (as Bun's setTimeout does) must not make `receive after T` shorter than T
 * ms on the monotonic clock. Simulated host timers, no real waiting.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { type HostTimers, hostDelay, ManualClock, SystemClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** A fake host whose timers fire after the delay truncated and then a bit early. */
class EarlyHost implements HostTimers {
  t = 0;
  private seq = 0;
  pending = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly earlyBy: number) {}
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const id = ++this.seq;
    // Time always moves forward a little, as on a real host.
    this.pending.set(id, { at: this.t + Math.max(0.001, Math.trunc(ms) - this.earlyBy), fn });
    return id as unknown as ReturnType<typeof setTimeout>;
  }
  clearTimeout(id: ReturnType<typeof setTimeout>): void {
    this.pending.delete(id as unknown as number);
  }
  /** Runs the next host timer, moving time to when it fires. */
  step(): boolean {
    let best: [number, { at: number; fn: () => void }] | undefined;
    for (const e of this.pending) if (!best || e[1].at < best[1].at) best = e;
    if (!best) return false;
    this.pending.delete(best[0]);
    this.t = Math.max(this.t, best[1].at);
    best[1].fn();
    return true;
  }
}

/** A deterministic pseudo-random sequence (no Math.random in tests). */
function* lcg(seed: number): Generator<number> {
  let s = seed;
  for (;;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    yield s / 2 ** 31;
  }
}

describe("SystemClock never fires a timer early", () => {
  test("a 202 ms timer started at a fractional time fires at >= start + 202 ms", () => {
    const host = new EarlyHost(0.9);
    host.t = 100.7;
    const clock = new SystemClock(host);
    let firedAt = -1;
    clock.schedule(clock.now() + 202, () => {
      firedAt = clock.now();
    });
    while (firedAt < 0 && host.step()) {}
    expect(firedAt).toBeGreaterThanOrEqual(302.7);
    // As erlang:monotonic_time(millisecond) reads it: floor(end) - floor(start) >= 202.
    expect(Math.floor(firedAt) - Math.floor(100.7)).toBeGreaterThanOrEqual(202);
  });

  test("property: for many start times, delays and early-firing hosts, the callback waits", () => {
    const rnd = lcg(42);
    for (let i = 0; i < 2000; i++) {
      const early = rnd.next().value * 0.999;
      const host = new EarlyHost(early);
      host.t = rnd.next().value * 10_000;
      const clock = new SystemClock(host);
      const start = clock.now();
      const wait = Math.floor(rnd.next().value * 500);
      let firedAt = -1;
      clock.schedule(start + wait, () => {
        firedAt = clock.now();
      });
      let steps = 0;
      while (firedAt < 0 && host.step()) steps++;
      expect(firedAt).toBeGreaterThanOrEqual(start + wait);
      expect(Math.floor(firedAt) - Math.floor(start)).toBeGreaterThanOrEqual(wait);
      expect(steps).toBeLessThan(2000); // re-arming ends: each host timer moves time on
    }
  });

  test("cancel after a re-arm still cancels", () => {
    const host = new EarlyHost(0.5);
    host.t = 0.25;
    const clock = new SystemClock(host);
    let fired = false;
    const h = clock.schedule(10.9, () => {
      fired = true;
    });
    host.step(); // fires early, re-arms
    expect(fired).toBe(false);
    clock.cancel(h);
    while (host.step()) {}
    expect(fired).toBe(false);
  });
});

describe("hostDelay rounding", () => {
  test("property: the whole-ms delay never undershoots the deadline", () => {
    const rnd = lcg(7);
    for (let i = 0; i < 10_000; i++) {
      const now = rnd.next().value * 1e7;
      const fireAt = now + rnd.next().value * 1000 - 10;
      const d = hostDelay(fireAt, now);
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(now + d).toBeGreaterThanOrEqual(fireAt);
      expect(d - Math.max(0, fireAt - now)).toBeLessThan(1);
    }
  });
});

describe("ManualClock timers", () => {
  test("a timer fires at its deadline, not before", () => {
    const clock = new ManualClock(0.4);
    let at = -1;
    clock.schedule(0.4 + 202, () => {
      at = clock.now();
    });
    clock.advance(201.9);
    expect(at).toBe(-1);
    clock.advance(0.1);
    expect(at).toBeCloseTo(202.4, 9);
  });
});
