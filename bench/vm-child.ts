/**
 * Times one VM benchmark in this (fresh) Bun process and prints one JSON
 * line: the first run is "cold" (fresh VM and fresh JS engine: loading
 * every module BEAM's boot had not loaded already, JIT warm-up and code
 * generation included, as a user running a program once sees it; the timer
 * starts from a collected heap, see bench-runtime.ts); the best
 * of the later runs on the same runtime is "warm". Run by bench/run.ts,
 * one process per benchmark, from the sources and precompiled as `aion
 * precompile` builds the command line (bin/precompile.ts).
 *
 *   bun bench/vm-child.ts ID ROUNDS
 */
import { atom } from "../terms/atom.ts";
import { formatW } from "../terms/format.ts";
import { benchRuntime } from "./bench-runtime.ts";
import { VM_BENCHES } from "./vm-benchmarks.ts";

/** Runs the benchmark and prints its line; no top-level await, so it can be precompiled. */
async function main(): Promise<void> {
  const [id, roundsArg] = process.argv.slice(2);
  const b = VM_BENCHES.find((x) => x.id === id);
  if (b === undefined) throw new Error(`unknown benchmark ${JSON.stringify(id)}`);
  const rounds = Math.max(2, Number(roundsArg ?? 4));
  const rt = benchRuntime(b);
  // Bun finishes loading the entry module when its top level returns, which
  // here is before the runs (main's promise is pending): let that happen
  // first. A `bun` entry that awaits at its top level, as bin/aion.ts does,
  // finishes it after its work instead (measured: +3-4 ms in fib's cold run).
  await new Promise((resolve) => setImmediate(resolve));
  const times: number[] = [];
  let result = "";
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const o = await rt.call(atom(b.module), atom(b.fn), [b.arg]);
    times.push(performance.now() - t0);
    result =
      o.kind === "value"
        ? formatW(o.value)
        : o.kind === "exception"
          ? `${o.cls} ${formatW(o.reason)}`
          : o.kind;
  }
  console.log(JSON.stringify({ cold: times[0], warm: Math.min(...times.slice(1)), result }));
}

void main();
