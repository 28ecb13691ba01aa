/**
 * VM benchmarks against real BEAM (issue #16). Each benchmark runs in a
 * fresh `bun` process (bench/vm-child.ts) and, when `erl` is installed, in a
 * fresh `erl` in the same run: the first run is "cold" (what a user running
 * a program once sees), the best later run "warm". Ours runs twice: from
 * the TypeScript sources (as a library imports the VM) and precompiled (as
 * `aion run` runs a program once `aion precompile` has been run: the child
 * bundled with its bytecode cached, bin/precompile.ts); the targets are
 * judged on the precompiled figures, and `BENCH_PRECOMPILED=0` runs the
 * sources only. Both sides time inside
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
 * so each side runs BENCH_COLD_RUNS fresh processes, the sides taking
 * turns: cold is their median, warm the best warm round of any; the load
 * average is printed alongside.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { precompile } from "../bin/precompile.ts";
import { beamTiming, GEOMEAN_TARGET, otpEbins, VM_BENCHES, type VmBench } from "./vm-benchmarks.ts";

interface Timing {
  cold: number;
  warm: number;
  result: string;
}

const ROUNDS = Math.max(2, Number(process.env.BENCH_ROUNDS ?? 4));
const COLD_RUNS = Math.max(1, Number(process.env.BENCH_COLD_RUNS ?? 3));
/** Where the precompiled child goes: the package's dist/, beside the precompiled CLI. */
const DIST = join(import.meta.dir, "..", "dist");
/** The precompiled child (see the top), built afresh for every run; null: sources only. */
async function precompiledChild(): Promise<string | null> {
  if (process.env.BENCH_PRECOMPILED === "0") return null;
  await precompile(join(import.meta.dir, "vm-child.ts"), DIST, "bench-vm-child");
  return join(DIST, "bench-vm-child.js");
}
const PRECOMPILED = await precompiledChild();

/** Cold: median of the fresh processes; warm: the best of them. Null if any run failed. */
function combine(runs: readonly Timing[]): Timing {
  const colds = runs.map((r) => r.cold).sort((a, b) => a - b);
  return {
    cold: colds[(colds.length - 1) >> 1]!,
    warm: Math.min(...runs.map((r) => r.warm)),
    result: runs[0]!.result,
  };
}

/** One benchmark's figures: ours from the sources, ours precompiled, BEAM's. */
interface Sides {
  readonly src: Timing;
  /** Null when BENCH_PRECOMPILED=0. */
  readonly pre: Timing | null;
  /** Null without `erl` or when one of its runs failed. */
  readonly beam: Timing | null;
}

/**
 * Runs each side in turn, COLD_RUNS fresh processes each, so a drift in the
 * machine's speed (common on shared hosts, and lasting minutes) touches all
 * sides alike instead of whichever side ran during it. A failure message
 * when any of our runs failed.
 */
function alternate(b: VmBench, withBeam: boolean): Sides | string {
  const src: Timing[] = [];
  const pre: Timing[] = [];
  const beam: Timing[] = [];
  let beamOk = withBeam;
  for (let i = 0; i < COLD_RUNS; i++) {
    const s = ours(b, join(import.meta.dir, "vm-child.ts"));
    if (typeof s === "string") return s;
    src.push(s);
    if (PRECOMPILED !== null) {
      const p = ours(b, PRECOMPILED);
      if (typeof p === "string") return `precompiled: ${p}`;
      pre.push(p);
    }
    if (!beamOk) continue;
    const e = beamTiming(b, ROUNDS);
    if (e === null) beamOk = false;
    else beam.push(e);
  }
  return {
    src: combine(src),
    pre: pre.length > 0 ? combine(pre) : null,
    beam: beamOk ? combine(beam) : null,
  };
}

/** One fresh run of the child at `file` (the source or the precompiled one). */
function ours(b: VmBench, file: string): Timing | string {
  const r = spawnSync("bun", [file, b.id, String(ROUNDS)], { encoding: "utf8", timeout: 600_000 });
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
/** Cold ratios: the judged ones (precompiled, else sources), the sources'; warm ratios. */
const judged: number[] = [];
const fromSrc: number[] = [];
const warm: number[] = [];
let missed = 0;
const col = (x: string, w: number): string => x.padStart(w);

console.log(
  `${"benchmark".padEnd(40)} ${col("cold src", 9)} ${col("precomp", 8)} ${col("BEAM", 7)} ${col("src", 6)} ${col("precomp", 7)} ${col("target", 6)}   ${col("warm ours", 9)} ${col("BEAM", 7)} ${col("ratio", 6)}`,
);
for (const b of selected) {
  if (b.otp && !hasOtp) {
    console.log(`${b.title.padEnd(40)} skipped: OTP's compiler/stdlib beams not installed`);
    continue;
  }
  const sides = alternate(b, hasErl);
  if (typeof sides === "string") {
    console.log(`${b.title.padEnd(40)} ${sides}`);
    continue;
  }
  const { src, pre, beam } = sides;
  const w = Math.min(src.warm, pre?.warm ?? Number.POSITIVE_INFINITY);
  const rs = beam ? src.cold / beam.cold : null;
  const rp = beam && pre ? pre.cold / beam.cold : null;
  const rj = rp ?? rs;
  const rw = beam ? w / beam.warm : null;
  if (rs !== null && rj !== null && rw !== null) {
    fromSrc.push(rs);
    judged.push(rj);
    warm.push(rw);
    if (rj > b.target) missed++;
  }
  const mismatch = [src, pre].find((t) => beam && t && t.result !== beam.result);
  const note =
    mismatch && beam ? `  RESULT MISMATCH: ours ${mismatch.result} vs BEAM ${beam.result}` : "";
  const mark = rj === null || rj <= b.target ? " " : "!";
  console.log(
    `${b.title.padEnd(40)} ${col(ms(src.cold), 9)} ${col(pre ? ms(pre.cold) : "-", 8)} ${col(beam ? ms(beam.cold) : "-", 7)} ${col(ratio(rs), 6)} ${col(ratio(rp), 7)} ${col(`${b.target}x`, 6)}${mark}  ${col(ms(w), 9)} ${col(beam ? ms(beam.warm) : "-", 7)} ${col(ratio(rw), 6)}${note}`,
  );
}
if (judged.length) {
  const g = geo(judged);
  const which = PRECOMPILED === null ? "from sources" : "precompiled";
  console.log(
    `geometric mean: cold ${g.toFixed(2)}x ${which} (target ${GEOMEAN_TARGET}x${g <= GEOMEAN_TARGET ? ", met" : ", missed"})${PRECOMPILED === null ? "" : `, ${geo(fromSrc).toFixed(2)}x from sources`}, warm ${geo(warm).toFixed(2)}x; worst cold ${Math.max(...judged).toFixed(1)}x ${which}; ${missed} of ${judged.length} over their target ("!")`,
  );
  console.log(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} else if (!hasErl) {
  console.log("(erl not installed: no BEAM comparison; apt-get install erlang-base to get ratios)");
}
