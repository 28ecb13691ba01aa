/**
 * The runtime a benchmark child times (bench/vm-child.ts, bench/cold-cpu.ts):
 * the benchmark's module loaded, then what BEAM's boot had loaded when its
 * own timer starts (BEAM_BOOT_MODULES), then one full collection, so the
 * timer starts from a collected heap as BEAM's benchmark starts in a fresh
 * process heap. Without it the process's first collection (~10 ms here,
 * marking everything loading the VM allocated) fell inside a cold run or
 * not depending on how much the harness had allocated before it: the
 * preload of BEAM's boot set alone moved it into fib's timed run (+15 ms).
 * `BENCH_GC_FIRST=0` skips the collection, for comparison.
 *
 * Then it waits until the process is idle (see {@link waitUntilIdle}):
 * loading leaves JavaScriptCore's optimising compilers a queue of the
 * loader's own functions that got hot (about 20 ms of compiles for BEAM's
 * boot set), which otherwise run inside the timed run and hold back the
 * compile of the benchmark's own code behind them (fib's generated code
 * reached its optimised tier after 13 slices instead of 28-59). BEAM's
 * loader leaves nothing pending when `code:ensure_loaded` returns.
 * `BENCH_IDLE_FIRST=0` skips the wait.
 */
import { join } from "node:path";
import { createRuntime } from "../nifs/index.ts";
import type { Runtime } from "../vm/index.ts";
import { BEAM_BOOT_MODULES, BENCH_ERL_DIR, otpEbins, type VmBench } from "./vm-benchmarks.ts";

export function benchRuntime(b: VmBench): Runtime {
  const extra = b.otp ? (otpEbins() ?? []) : [];
  const rt = createRuntime({ paths: [BENCH_ERL_DIR, ...extra] });
  rt.code.loadFile(join(BENCH_ERL_DIR, `${b.module}.beam`));
  for (const m of BEAM_BOOT_MODULES) rt.code.ensureLoaded(m);
  if (process.env.BENCH_GC_FIRST !== "0") Bun.gc(true);
  if (process.env.BENCH_IDLE_FIRST !== "0") waitUntilIdle();
  return rt;
}

/** Longest wait for the process to go idle. */
const MAX_IDLE_WAIT_MS = 1000;
/** A step of the wait. */
const IDLE_STEP_MS = 5;
/** CPU time (all threads) within one step under which the process counts as idle. */
const IDLE_CPU_US = 300;

/**
 * Sleeps the main thread until a step passes in which the whole process
 * (the JS engine's compiler and collector threads included) used almost no
 * CPU. Returns the milliseconds waited.
 */
export function waitUntilIdle(): number {
  const start = performance.now();
  while (performance.now() - start < MAX_IDLE_WAIT_MS) {
    const before = process.cpuUsage();
    Bun.sleepSync(IDLE_STEP_MS);
    const used = process.cpuUsage(before);
    if (used.user + used.system < IDLE_CPU_US) break;
  }
  return performance.now() - start;
}
