/**
 * The VM benchmark set (issue #16): the kinds of work real programs do, each
 * an exported function of a module in bench/erl taking one size argument.
 * Shared by the runner (bench/run.ts) and the child that times one benchmark
 * in a fresh Bun process (bench/vm-child.ts). Targets are the cold
 * ratios to BEAM; they are printed beside the figures, never asserted.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface VmBench {
  /** Short id (command-line filter). */
  readonly id: string;
  readonly title: string;
  readonly module: string;
  readonly fn: string;
  readonly arg: number;
  /** Cold ratio to BEAM the issue asks for. */
  readonly target: number;
  /** Needs OTP's compiler and stdlib beams on the code path. */
  readonly otp?: boolean;
}

export const VM_BENCHES: readonly VmBench[] = [
  {
    id: "fib",
    title: "call-heavy recursion (fib 27)",
    module: "bench_vm",
    fn: "fib",
    arg: 27,
    target: 8,
  },
  {
    id: "deep",
    title: "deep body recursion (5 x 100k)",
    module: "bench_work",
    fn: "deep_recursion",
    arg: 5,
    target: 8,
  },
  {
    id: "ring",
    title: "message ring (200 procs x 500)",
    module: "bench_work",
    fn: "ring",
    arg: 500,
    target: 8,
  },
  {
    id: "spawn",
    title: "spawn + monitor (20k)",
    module: "bench_work",
    fn: "spawn_monitor_many",
    arg: 20000,
    target: 8,
  },
  {
    id: "records",
    title: "binary records build + parse (200k)",
    module: "bench_work",
    fn: "records",
    arg: 200000,
    target: 6,
  },
  {
    id: "append",
    title: "binary append + match (100k)",
    module: "bench_vm",
    fn: "binary_build_match",
    arg: 100000,
    target: 6,
  },
  {
    id: "maps",
    title: "maps/lists processing (2 x 20k)",
    module: "bench_work",
    fn: "maps_lists",
    arg: 2,
    target: 5,
  },
  {
    id: "selective",
    title: "selective receive (3 x 2000)",
    module: "bench_work",
    fn: "selective_receive",
    arg: 3,
    target: 8,
  },
  {
    id: "intbin",
    title: "integer<->binary round trips (300k)",
    module: "bench_work",
    fn: "int_bin",
    arg: 300000,
    target: 8,
  },
  {
    id: "compiler",
    title: "OTP compiler: compile:forms x3 modules",
    module: "bench_work",
    fn: "compile_set",
    arg: 1,
    target: 8,
    otp: true,
  },
];

/**
 * The modules a fresh `erl -noshell -eval ...` has loaded when the BEAM
 * side's timer starts (OTP 25; printed by
 * `erl -noshell -eval 'io:format("~p~n", [lists:sort([M || {M, _} <- code:all_loaded()])]), halt().'`):
 * its boot loads them (kernel, stdlib, and the scanner, parser, linter and
 * evaluator `-eval` runs on). Our side loads the ones on its code path
 * before its timer starts too, so neither side's cold figure includes
 * loading what the other had loaded already; each side still loads (and we
 * still decode and compile on first use) everything else the program calls,
 * such as the compiler's own modules. Names not on our path are skipped.
 */
export const BEAM_BOOT_MODULES: readonly string[] = `
application application_controller application_master atomics beam_lib binary c code
code_server counters erl_anno erl_distribution erl_eval erl_features erl_init erl_internal
erl_lint erl_parse erl_prim_loader erl_scan erl_signal_handler erl_tracer erlang erpc
error_handler error_logger erts_code_purger erts_dirty_process_signal_handler
erts_internal erts_literal_area_collector ets file file_io_server file_server filename
gb_sets gb_trees gen gen_event gen_server global global_group heart inet inet_config
inet_db inet_gethost_native inet_parse inet_udp init io_lib kernel kernel_config
kernel_refc lists logger logger_backend logger_config logger_filters logger_formatter
logger_h_common logger_handler_watcher logger_olp logger_proxy logger_server
logger_simple_h logger_std_h logger_sup maps net_kernel orddict ordsets os otp_internal
peer persistent_term prim_buffer prim_eval prim_file prim_inet prim_net prim_socket
prim_zip proc_lib proplists queue rand raw_file_io rpc socket_registry standard_error
string supervisor supervisor_bridge unicode unicode_util user user_sup zlib
`
  .trim()
  .split(/\s+/);

/** Geometric-mean target over all kinds of work. */
export const GEOMEAN_TARGET = 4;

export const BENCH_ERL_DIR = join(import.meta.dir, "erl");

/** The installed OTP's compiler and stdlib `ebin` folders, or null when OTP is absent. */
export function otpEbins(root = "/usr/lib/erlang/lib"): string[] | null {
  if (!existsSync(root)) return null;
  const names = readdirSync(root);
  const pick = (app: string): string | null => {
    const dir = names
      .filter((d) => d.startsWith(`${app}-`))
      .sort()
      .at(-1);
    if (dir === undefined) return null;
    const ebin = join(root, dir, "ebin");
    return existsSync(join(ebin, `${app === "compiler" ? "compile" : "lists"}.beam`)) ? ebin : null;
  };
  const compiler = pick("compiler");
  const stdlib = pick("stdlib");
  return compiler && stdlib ? [compiler, stdlib] : null;
}

/**
 * One benchmark on real BEAM in a fresh `erl`: the first of `rounds` runs
 * (timer:tc, after code:ensure_loaded) is cold, the best later one warm.
 * Null when erl is missing or the run failed.
 */
export function beamTiming(
  b: VmBench,
  rounds: number,
): { cold: number; warm: number; result: string } | null {
  const call = `${b.module}:${b.fn}(${b.arg})`;
  const expr = [
    `{module, _} = code:ensure_loaded(${b.module})`,
    `Ts = [timer:tc(fun() -> ${call} end) || _ <- lists:seq(1, ${rounds})]`,
    `[{C, R} | Warm] = Ts`,
    `io:format("~p ~p ~w~n", [C, lists:min([T || {T, _} <- Warm]), R])`,
    "halt()",
  ].join(", ");
  const r = spawnSync("erl", ["-noshell", "-pa", BENCH_ERL_DIR, "-eval", `${expr}.`], {
    encoding: "utf8",
    timeout: 600_000,
  });
  if (r.error || r.status !== 0) return null;
  const [cold, warm, ...rest] = r.stdout.trim().split(" ");
  return { cold: Number(cold) / 1000, warm: Number(warm) / 1000, result: rest.join(" ") };
}
