/**
 * VM benchmarks against real BEAM (issue #16). Each benchmark runs in a
 * fresh `bun` process (bench/vm-child.ts) and, when `erl` is installed, in a
 * fresh `erl` in the same run: the first run is "cold" (what a user running
 * a program once sees), the best later run "warm". Both sides time inside
 * the VM (performance.now around the call / timer:tc), and each figure is
 * shown as a ratio to BEAM with the issue's cold target, plus geometric
 * means. Results are compared too, so a fast wrong answer shows.
 *
 *   bun bench/run.ts                 # everything (bun run bench)
 *   bun bench/run.ts records maps    # a subset, by id
 *   BENCH_ROUNDS=6 bun bench/run.ts  # more warm rounds (default 4 runs in all)
 *   BENCH_COLD_RUNS=1 bun bench/run.ts  # one fresh process per side (default 3)
 *
 * A 2-core machine shared with other work makes single figures swing by 2-3x,
 * so each side runs BENCH_COLD_RUNS fresh processes, the two sides taking
 * turns: cold is their median, warm the best warm round of any; the load
 * average is printed alongside.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { beamTiming, GEOMEAN_TARGET, otpEbins, VM_BENCHES, type VmBench } from "./vm-benchmarks.ts";

interface Timing {
  cold: number;
  warm: number;
  result: string;
}

const ROUNDS = Math.max(2, Number(process.env.BENCH_ROUNDS ?? 4));
const COLD_RUNS = Math.max(1, Number(process.env.BENCH_COLD_RUNS ?? 3));

/** Cold: median of the fresh processes; warm: the best of them. Null if any run failed. */
function combine(runs: readonly Timing[]): Timing {
  const colds = runs.map((r) => r.cold).sort((a, b) => a - b);
  return {
    cold: colds[(colds.length - 1) >> 1]!,
    warm: Math.min(...runs.map((r) => r.warm)),
    result: runs[0]!.result,
  };
}

/**
 * Runs our side and BEAM's alternately, COLD_RUNS fresh processes each, so a
 * drift in the machine's speed (common on shared hosts, and lasting minutes)
 * touches both sides alike instead of whichever side ran during it. Ours is
 * a failure message when any of our runs failed; BEAM's is null without
 * `erl` or when a run failed.
 */
function alternate(b: VmBench, withBeam: boolean): { o: Timing | string; e: Timing | null } {
  const mine: Timing[] = [];
  const theirs: Timing[] = [];
  let beamOk = withBeam;
  for (let i = 0; i < COLD_RUNS; i++) {
    const o = ours(b);
    if (typeof o === "string") return { o, e: null };
    mine.push(o);
    if (!beamOk) continue;
    const e = beamTiming(b, ROUNDS);
    if (e === null) beamOk = false;
    else theirs.push(e);
  }
  return { o: combine(mine), e: beamOk ? combine(theirs) : null };
}

function ours(b: VmBench): Timing | string {
  const r = spawnSync("bun", [join(import.meta.dir, "vm-child.ts"), b.id, String(ROUNDS)], {
    encoding: "utf8",
    timeout: 600_000,
  });
  const line = r.stdout?.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line) as Timing;
  } catch {
    return `failed: ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ") || r.error?.message}`;
  }
}

const geo = (xs: number[]): number => Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / xs.length);
const ms = (v: number): string => `${v < 10 ? v.toFixed(1) : v.toFixed(0)}ms`;
const ratio = (v: number | null): string => (v === null ? "-" : `${v.toFixed(1)}x`);

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      " ",
    )}; cold = median of ${COLD_RUNS} fresh processes per side, warm = best of ${ROUNDS - 1} later rounds`,
);
const hasErl = spawnSync("erl", ["-noshell", "-eval", "halt()."]).status === 0;
const hasOtp = otpEbins() !== null;
const wanted = process.argv.slice(2);
const selected = VM_BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.id));
const cold: number[] = [];
const warm: number[] = [];
let missed = 0;

console.log(
  `${"benchmark".padEnd(40)} ${"cold ours".padStart(10)} ${"BEAM".padStart(8)} ${"ratio".padStart(7)} ${"target".padStart(6)}   ${"warm ours".padStart(10)} ${"BEAM".padStart(8)} ${"ratio".padStart(7)}`,
);
for (const b of selected) {
  if (b.otp && !hasOtp) {
    console.log(`${b.title.padEnd(40)} skipped: OTP's compiler/stdlib beams not installed`);
    continue;
  }
  const { o, e } = alternate(b, hasErl);
  if (typeof o === "string") {
    console.log(`${b.title.padEnd(40)} ${o}`);
    continue;
  }
  const rc = e ? o.cold / e.cold : null;
  const rw = e ? o.warm / e.warm : null;
  if (rc !== null && rw !== null) {
    cold.push(rc);
    warm.push(rw);
    if (rc > b.target) missed++;
  }
  const note =
    e && e.result !== o.result ? `  RESULT MISMATCH: ours ${o.result} vs BEAM ${e.result}` : "";
  const mark = rc === null ? " " : rc <= b.target ? " " : "!";
  console.log(
    `${b.title.padEnd(40)} ${ms(o.cold).padStart(10)} ${(e ? ms(e.cold) : "-").padStart(8)} ${ratio(rc).padStart(7)} ${`${b.target}x`.padStart(6)}${mark}  ${ms(o.warm).padStart(10)} ${(e ? ms(e.warm) : "-").padStart(8)} ${ratio(rw).padStart(7)}${note}`,
  );
}
if (cold.length) {
  const g = geo(cold);
  console.log(
    `geometric mean: cold ${g.toFixed(2)}x (target ${GEOMEAN_TARGET}x${g <= GEOMEAN_TARGET ? ", met" : ", missed"}), warm ${geo(warm).toFixed(2)}x; worst cold ${Math.max(...cold).toFixed(1)}x; ${missed} of ${cold.length} over their target ("!")`,
  );
  console.log(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} else if (!hasErl) {
  console.log("(erl not installed: no BEAM comparison; apt-get install erlang-base to get ratios)");
}
