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
  return rt;
}
