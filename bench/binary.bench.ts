/**
 * Bit-syntax micro-benchmarks: building (appends, mixed segments, binary
 * comprehensions) and matching (bytes, little-endian ints, UTF-8, unaligned
 * fields) with fixtures/vm/bin_bench.beam, on aion-bun and, when `erl` is on
 * the PATH, on real BEAM for a ratio.
 *
 *   bun bench/binary.bench.ts              # all
 *   bun bench/binary.bench.ts append utf8  # a subset (by key)
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createRuntime } from "../nifs/index.ts";
import { atom } from "../terms/atom.ts";
import { binaryFromBytes, binaryFromString } from "../terms/binary.ts";
import { formatW } from "../terms/format.ts";
import type { Term } from "../terms/term.ts";

const DIR = join(import.meta.dir, "../fixtures/vm");
const ROUNDS = 3;
const N = 200_000;

function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) & 255;
  return b;
}

const TEXT = "aé€😀".repeat(N / 4);

interface Bench {
  readonly key: string;
  readonly name: string;
  readonly fn: string;
  /** Our argument. */
  readonly arg: () => Term;
  /** The same argument as an Erlang expression. */
  readonly erlArg: string;
}

const ERL_BYTES = `<< <<((I * 7 + 3) band 255)>> || I <- lists:seq(0, ${N - 1}) >>`;

const BENCHES: readonly Bench[] = [
  { key: "append", name: `<<Acc/binary, X>> x ${N}`, fn: "append", arg: () => N, erlArg: `${N}` },
  {
    key: "build",
    name: `mixed-segment build + match x ${N}`,
    fn: "build",
    arg: () => N,
    erlArg: `${N}`,
  },
  {
    key: "bytes",
    name: `match <<X, R/binary>> over ${N} bytes`,
    fn: "sum_bytes",
    arg: () => binaryFromBytes(bytes(N)),
    erlArg: ERL_BYTES,
  },
  {
    key: "ints",
    name: `match <<X:32/little, ...>> over ${N} bytes`,
    fn: "parse_ints",
    arg: () => binaryFromBytes(bytes(N)),
    erlArg: ERL_BYTES,
  },
  {
    key: "unaligned",
    name: `match <<_:3, X:13, R/bits>> over ${N} bytes`,
    fn: "unaligned",
    arg: () => binaryFromBytes(bytes(N)),
    erlArg: ERL_BYTES,
  },
  {
    key: "utf8",
    name: `utf8 decode ${N} code points`,
    fn: "utf8_count",
    arg: () => binaryFromString(TEXT),
    erlArg: `unicode:characters_to_binary(lists:append(lists:duplicate(${N / 4}, [$a, 233, 8364, 128512])))`,
  },
  {
    key: "compr",
    name: `binary comprehension over ${N} bytes`,
    fn: "comprehension",
    arg: () => binaryFromBytes(bytes(N)),
    erlArg: ERL_BYTES,
  },
];

function summary(t: string): string {
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

function ours(b: Bench): { ms: number; result: string } {
  let best = Number.POSITIVE_INFINITY;
  let result = "";
  for (let i = 0; i < ROUNDS; i++) {
    const rt = createRuntime({ paths: [DIR], log: () => {} });
    rt.code.loadFile(join(DIR, "bin_bench.beam"));
    const arg = b.arg();
    const t0 = performance.now();
    const p = rt.spawn(atom("bin_bench"), atom(b.fn), [arg]);
    while (p.status !== "dead") rt.vm.runUntilIdle();
    best = Math.min(best, performance.now() - t0);
    result = p.uncaught ? `error ${formatW(p.uncaught.reason)}` : formatW(p.result);
  }
  return { ms: best, result: summary(result) };
}

function beam(b: Bench): { ms: number; result: string } | null {
  const expr = `A = ${b.erlArg}, R = [timer:tc(bin_bench, ${b.fn}, [A]) || _ <- lists:seq(1, ${ROUNDS})], io:format("~p ~w~n", [lists:min([T || {T, _} <- R]), element(2, hd(R))]), halt().`;
  const r = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", expr], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 1 << 26,
  });
  if (r.error || r.status !== 0) return null;
  const [us, ...rest] = r.stdout.trim().split(" ");
  return { ms: Number(us) / 1000, result: summary(rest.join(" ")) };
}

const hasErl = spawnSync("erl", ["-noshell", "-eval", "halt()."]).status === 0;
const wanted = process.argv.slice(2);
const selected = BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.key));
console.log(
  `${"benchmark".padEnd(44)} ${"aion-bun".padStart(10)} ${"BEAM".padStart(10)} ${"ratio".padStart(7)}`,
);
for (const b of selected) {
  const o = ours(b);
  const e = hasErl ? beam(b) : null;
  const ratio = e ? `${(o.ms / e.ms).toFixed(1)}x` : "-";
  console.log(
    `${b.name.padEnd(44)} ${`${o.ms.toFixed(1)} ms`.padStart(10)} ${e ? `${e.ms.toFixed(1)} ms`.padStart(10) : "-".padStart(10)} ${ratio.padStart(7)}`,
  );
  if (e && e.result !== o.result)
    console.log(`  result differs: ours ${o.result}, BEAM ${e.result}`);
}
