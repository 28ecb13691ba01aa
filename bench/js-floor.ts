/**
 * The JS engine's own cold floor for two of the VM benchmarks (issue #16):
 * the same work written by hand in plain JavaScript (no VM, no terms, no
 * code generation) and run once in a fresh `bun` process, then warm. Any
 * design that runs BEAM code as JavaScript on JSC pays at least this, so it
 * says which cold targets are reachable at the benchmark's size: when the
 * hand-written JS alone is over the target ratio to BEAM, no VM change can
 * meet it. Printed beside BEAM's figures for the same benchmark when `erl`
 * is installed.
 *
 *   bun bench/js-floor.ts          # every kernel, fresh process each
 */
import { spawnSync } from "node:child_process";
import { beamTiming, VM_BENCHES } from "./vm-benchmarks.ts";

/** Hand-written equivalents of bench_vm:fib/1 and bench_vm:binary_build_match/1. */
const KERNELS: Record<string, { bench: string; run: () => number }> = {
  fib: {
    bench: "fib",
    run: () => {
      const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
      return fib(27);
    },
  },
  append: {
    bench: "append",
    run: () => {
      // What the VM's generated code does at best: one accumulator grown in
      // place (its bytes in one buffer grown by doubling, as nothing else
      // sees it), then one cursor moving through it (a match context).
      const acc = { buf: new Uint8Array(64), len: 0 };
      for (let n = 100000; n > 0; n--) {
        const i = acc.len;
        if (i + 5 > acc.buf.length) {
          const bigger = new Uint8Array((i + 5) * 2);
          bigger.set(acc.buf.subarray(0, i));
          acc.buf = bigger;
        }
        const buf = acc.buf;
        buf[i] = n & 255;
        buf[i + 1] = n;
        buf[i + 2] = n >>> 8;
        buf[i + 3] = n >>> 16;
        buf[i + 4] = n >>> 24;
        acc.len = i + 5;
      }
      let sum = 0;
      const ctx = { buf: acc.buf, pos: 0, end: acc.len };
      while (ctx.end - ctx.pos > 0) {
        const b = ctx.buf;
        const s = ctx.pos;
        const w = b[s + 1]! | (b[s + 2]! << 8) | (b[s + 3]! << 16) | (b[s + 4]! << 24);
        sum += b[s]! + (w & 15);
        ctx.pos = s + 5;
      }
      return sum;
    },
  },
};

const [mode, id] = process.argv.slice(2);
if (mode === "--child") {
  const k = KERNELS[id!]!;
  const t0 = performance.now();
  const result = k.run();
  const cold = performance.now() - t0;
  let warm = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    k.run();
    warm = Math.min(warm, performance.now() - t);
  }
  console.log(JSON.stringify({ cold, warm, result: String(result) }));
} else {
  const ms = (v: number): string => `${v.toFixed(1)}ms`;
  console.log("hand-written JS, cold = first run in a fresh bun (median of 3), warm = best later");
  for (const [name, k] of Object.entries(KERNELS)) {
    const runs = [0, 1, 2].map(() => {
      const r = spawnSync("bun", [import.meta.path, "--child", name], { encoding: "utf8" });
      return JSON.parse(r.stdout.trim()) as { cold: number; warm: number; result: string };
    });
    const cold = runs.map((r) => r.cold).sort((a, b) => a - b)[1]!;
    const warm = Math.min(...runs.map((r) => r.warm));
    const b = VM_BENCHES.find((x) => x.id === k.bench)!;
    const e = beamTiming(b, 4);
    const vs = e
      ? `  BEAM cold ${ms(e.cold)} warm ${ms(e.warm)}: JS floor ${(cold / e.cold).toFixed(1)}x cold, ${(warm / e.warm).toFixed(1)}x warm (target ${b.target}x)${e.result === runs[0]!.result ? "" : `  RESULT MISMATCH ${e.result}`}`
      : "";
    console.log(`${b.title.padEnd(36)} JS cold ${ms(cold)} warm ${ms(warm)}${vs}`);
  }
}
