/**
 * VM benchmarks: runs bench/erl/bench_vm.beam on aion-bun and, when `erl` is
 * on the PATH, on real BEAM in the same run, and prints each time with the
 * ratio to BEAM plus the geometric mean of the ratios.
 *
 *   bun bench/run.ts            # all benchmarks
 *   bun bench/run.ts fib ring   # a subset
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createRuntime } from "../nifs/index.ts";
import { atom } from "../terms/atom.ts";
import { formatW } from "../terms/format.ts";

interface Bench {
  readonly name: string;
  readonly fn: string;
  readonly arg: number;
}

const BENCHES: readonly Bench[] = [
  { name: "call-heavy recursion (fib 27)", fn: "fib", arg: 27 },
  { name: "message ring (100 procs x 2000 rounds)", fn: "ring", arg: 2000 },
  { name: "spawn + monitor 20k processes", fn: "spawn_monitor_many", arg: 20000 },
  { name: "binary build + match (100k appends)", fn: "binary_build_match", arg: 100000 },
  { name: "maps and lists (100k updates)", fn: "maps_lists", arg: 100000 },
  { name: "selective receive (3 x 2000 msgs)", fn: "selective_receive", arg: 3 },
];

const DIR = join(import.meta.dir, "erl");
const ROUNDS = 7;

async function ours(b: Bench): Promise<{ ms: number; result: string }> {
  let best = Number.POSITIVE_INFINITY;
  let result = "";
  for (let i = 0; i < ROUNDS; i++) {
    const rt = createRuntime({ paths: [DIR] });
    rt.code.loadFile(join(DIR, "bench_vm.beam"));
    const t0 = performance.now();
    const o = await rt.call(atom("bench_vm"), atom(b.fn), [b.arg]);
    const ms = performance.now() - t0;
    best = Math.min(best, ms);
    result = o.kind === "value" ? formatW(o.value) : `${o.kind}`;
  }
  return { ms: best, result };
}

function beam(b: Bench): { ms: number; result: string } | null {
  const expr = `R = [timer:tc(bench_vm, ${b.fn}, [${b.arg}]) || _ <- lists:seq(1, ${ROUNDS})], io:format("~p ~w~n", [lists:min([T || {T, _} <- R]), element(2, hd(R))]), halt().`;
  const r = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", expr], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.error || r.status !== 0) return null;
  const [us, ...rest] = r.stdout.trim().split(" ");
  return { ms: Number(us) / 1000, result: rest.join(" ") };
}

const hasErl = spawnSync("erl", ["-noshell", "-eval", "halt()."]).status === 0;
const wanted = process.argv.slice(2);
const selected = BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.fn));
const ratios: number[] = [];
console.log(
  `${"benchmark".padEnd(42)} ${"aion-bun".padStart(10)} ${"BEAM".padStart(10)} ${"ratio".padStart(7)}`,
);
for (const b of selected) {
  const o = await ours(b);
  const e = hasErl ? beam(b) : null;
  const ratio = e ? o.ms / e.ms : null;
  if (ratio !== null) ratios.push(ratio);
  const mismatch =
    e && e.result !== o.result ? `  RESULT MISMATCH: ours ${o.result} vs BEAM ${e.result}` : "";
  console.log(
    `${b.name.padEnd(42)} ${`${o.ms.toFixed(1)}ms`.padStart(10)} ${(e ? `${e.ms.toFixed(1)}ms` : "-").padStart(10)} ${(ratio ? `${ratio.toFixed(1)}x` : "-").padStart(7)}${mismatch}`,
  );
}
if (ratios.length) {
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(
    `geometric mean ratio: ${geo.toFixed(2)}x   worst: ${Math.max(...ratios).toFixed(1)}x`,
  );
} else if (!hasErl) {
  console.log("(erl not installed: no BEAM comparison; apt-get install erlang-base to get ratios)");
}
