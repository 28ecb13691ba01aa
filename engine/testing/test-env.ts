/**
 * A test environment for workflows: an engine on a `ManualClock`, so timers
 * of days fire in milliseconds under `bun test`. Time only moves when the
 * environment has nothing else to do (every process idle, every append
 * committed): then it jumps to the next deadline.
 */
import { ManualClock } from "../../vm/index.ts";
import { Engine, type EngineOptions } from "../engine.ts";
import { MemoryStore } from "../store/index.ts";

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface TestEnvironmentOptions extends Omit<EngineOptions, "clock" | "random"> {
  /** Seed of the engine's randomness (default 1). */
  readonly seed?: number;
  /** Wall-clock origin of the manual clock (default 2023-11-14T22:13:20Z). */
  readonly startTime?: number;
}

export class TestEnvironment {
  private constructor(
    readonly engine: Engine,
    readonly clock: ManualClock,
  ) {}

  /** Opens an engine on a MemoryStore (unless a store is given) and a manual clock. */
  static async create(options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
    const clock = new ManualClock(0, options.startTime ?? 1_700_000_000_000);
    const engine = await Engine.open({
      ...options,
      store: options.store ?? new MemoryStore({ now: () => Math.floor(clock.wallNow()) }),
      clock,
      random: options.seed ?? 1,
    });
    return new TestEnvironment(engine, clock);
  }

  /** Lets the event loop run until the VM and pending appends are quiet. */
  async settle(turns = 4): Promise<void> {
    for (let quiet = 0; quiet < turns; ) {
      await tick();
      if (this.engine.runtime.vm.hasRunnable) quiet = 0;
      else quiet++;
    }
  }

  /** Moves virtual time forward by `ms`, firing due timers one deadline at a time. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    await this.settle();
    for (;;) {
      const next = this.clock.nextDeadline();
      if (next === undefined || next > target) break;
      this.clock.advance(Math.max(0, next - this.clock.now()));
      await this.settle();
    }
    this.clock.advance(Math.max(0, target - this.clock.now()));
    await this.settle();
  }

  /**
   * Awaits `promise`, skipping virtual time to the next deadline whenever
   * nothing else can happen. Fails after `maxJumps` jumps without settling.
   */
  async run<T>(promise: Promise<T>, maxJumps = 10_000): Promise<T> {
    let done = false;
    const watched = promise.finally(() => {
      done = true;
    });
    watched.catch(() => undefined);
    for (let jumps = 0; !done; ) {
      await this.settle();
      if (done) break;
      const next = this.clock.nextDeadline();
      if (next === undefined) {
        // Waiting on real I/O (a SQLite commit, an activity): give it time.
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      if (++jumps > maxJumps) throw new Error("TestEnvironment.run: the promise never settled");
      this.clock.advance(Math.max(0, next - this.clock.now()));
    }
    return watched;
  }

  async shutdown(): Promise<void> {
    await this.engine.shutdown();
  }
}
