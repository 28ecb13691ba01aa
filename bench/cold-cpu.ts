/**
 * CPU time of one benchmark's cold run (the first call in a fresh process),
 * as docs/jit.md's second and third rounds measure it: wall time moves with
 * the machine's load, CPU time much less. Prints one JSON line; run several
 * fresh processes and take the median (bench/cold-cpu.sh does). `main` is
 * the main thread's share (the interpreter, loading, generated code): the
 * rest is JSC compiling and collecting on helper threads, which a loaded
 * machine inflates most.
 *
 *   bun bench/cold-cpu.ts ID
 */
import { readFileSync } from "node:fs";
import { atom } from "../terms/atom.ts";
import { benchRuntime } from "./bench-runtime.ts";
import { VM_BENCHES } from "./vm-benchmarks.ts";

const [id] = process.argv.slice(2);
const b = VM_BENCHES.find((x) => x.id === id);
if (b === undefined) throw new Error(`unknown benchmark ${JSON.stringify(id)}`);
const rt = benchRuntime(b);
/**
 * CPU ms of this process's main thread (Linux), which excludes the JS
 * engine's compiler and GC helper threads; -1 elsewhere. In 10 ms ticks.
 */
function mainThreadMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return -1;
  }
}

const m0 = mainThreadMs();
const c0 = process.cpuUsage();
const t0 = performance.now();
const o = await rt.call(atom(b.module), atom(b.fn), [b.arg]);
const wall = performance.now() - t0;
const c = process.cpuUsage(c0);
const main = m0 < 0 ? -1 : mainThreadMs() - m0;
console.log(
  JSON.stringify({ id, cpu: (c.user + c.system) / 1000, main, wall, ok: o.kind === "value" }),
);
