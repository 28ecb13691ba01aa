/**
 * A ready-to-use VM: natives installed, a code server, and helpers to call a
 * function in a fresh process and collect its outcome. The CLI, the test
 * harnesses and the engine all start from here.
 */

import { type Atom, atom } from "../terms/atom.ts";
import { listFromArray } from "../terms/list.ts";
import { NIL, type Term } from "../terms/term.ts";
import { ManualClock } from "./clock.ts";
import { CodeServer } from "./code-server.ts";
import { type ExceptionClass, HaltSignal } from "./errors.ts";
import type { NativeModule } from "./native.ts";
import type { Process } from "./process/process.ts";
import { VM, type VMOptions } from "./vm.ts";

/** How a call ended. */
export type Outcome =
  | { readonly kind: "value"; readonly value: Term }
  | {
      readonly kind: "exception";
      readonly cls: ExceptionClass;
      readonly reason: Term;
      readonly stack: Term;
      /** True when an exit signal, not the process's own code, ended it. */
      readonly killed: boolean;
    }
  | { readonly kind: "timeout" };

export interface RuntimeOptions extends VMOptions {
  natives?: readonly NativeModule[];
  /** Directories searched for modules on first use. */
  paths?: readonly string[];
}

export class Runtime {
  readonly vm: VM;
  readonly code: CodeServer;

  constructor(options: RuntimeOptions = {}) {
    this.vm = new VM(options);
    this.code = new CodeServer(this.vm);
    for (const n of options.natives ?? []) this.vm.registerNatives(n);
    this.code.addPaths(...(options.paths ?? []));
  }

  /** Spawns `M:F(Args)` in a new process. */
  spawn(module: string | Atom, fn: string | Atom, args: Term[]): Process {
    const m = typeof module === "string" ? atom(module) : module;
    const f = typeof fn === "string" ? atom(fn) : fn;
    return this.vm.spawnMfa(null, m, f, listFromArray(args));
  }

  /**
   * Runs `M:F(Args)` to completion on a {@link ManualClock} VM, advancing
   * virtual time whenever every process is idle (and a little per batch of
   * slices, so timers also fire while processes spin). Deterministic and fast:
   * `receive after 5000` costs nothing. Gives up after `maxSlices`.
   */
  callSync(module: string | Atom, fn: string | Atom, args: Term[], maxSlices = 200_000): Outcome {
    const clock = this.vm.clock;
    if (!(clock instanceof ManualClock))
      throw new Error("callSync needs a Runtime created with a ManualClock");
    const p = this.spawn(module, fn, args);
    p.reportCrash = false;
    let slices = 0;
    const dead = () => p.status === "dead";
    while (!dead()) {
      const ran = this.vm.runUntilIdle(256);
      if (this.vm.haltStatus !== null) throw new HaltSignal(this.vm.haltStatus);
      slices += ran;
      if (dead()) break;
      if (slices >= maxSlices) return { kind: "timeout" };
      if (ran > 0 && this.vm.hasRunnable) {
        clock.advance(1);
        continue;
      }
      const next = clock.nextDeadline();
      if (next === undefined) return { kind: "timeout" };
      clock.advance(Math.max(0, next - clock.now()));
    }
    return outcomeOf(p);
  }

  /** Runs `M:F(Args)` on the event loop (real time). */
  async call(module: string | Atom, fn: string | Atom, args: Term[]): Promise<Outcome> {
    this.vm.start();
    const p = this.spawn(module, fn, args);
    p.reportCrash = false;
    await this.vm.waitExit(p);
    if (this.vm.haltStatus !== null) throw new HaltSignal(this.vm.haltStatus);
    return outcomeOf(p);
  }
}

/** The outcome of a dead process. */
export function outcomeOf(p: Process): Outcome {
  const e = p.uncaught;
  if (p.killedBySignal) {
    return { kind: "exception", cls: "exit", reason: p.exitReason, stack: NIL, killed: true };
  }
  if (e)
    return {
      kind: "exception",
      cls: e.cls,
      reason: e.reason,
      stack: e.stack_ ?? NIL,
      killed: false,
    };
  return { kind: "value", value: p.result };
}
