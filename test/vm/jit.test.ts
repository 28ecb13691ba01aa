/**
 * The JIT tier (vm/interp/jit) against the other tiers: every conformance
 * fixture must give identical outcomes under closures, fused blocks and
 * generated code (compiled on first entry, so every region the fixtures
 * run goes through generated code), also with a slice of 2 reductions
 * (a yield at almost every call, mid-region). Plus targeted cases: the
 * faulting pc of an exception raised inside a generated block, yields and
 * receive loops, natives called from generated code (BIF frames, tail calls,
 * traps), slow paths that leave a region mid-block, and code generation
 * being shared between VMs.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { binaryFromString } from "../../terms/binary.ts";
import { formatW } from "../../terms/format.ts";
import type { Term } from "../../terms/term.ts";
import { jitDebug, jitStats, ManualClock, type Tier } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  CONFORMANCE_DIR,
  describeOutcome,
  readExpected,
  runWithSources,
} from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const TIERS: readonly Tier[] = ["closures", "fused", "jit"];

function runtime(tier: Tier, sliceReductions?: number, paths: string[] = [CONFORMANCE_DIR]) {
  // jitHot 1: every region is compiled on first entry, so the fixtures run generated code.
  return createRuntime({
    clock: new ManualClock(),
    paths,
    log: () => {},
    tier,
    sliceReductions,
    jitHot: 1,
  });
}

function runFixture(module: string, tier: Tier, sliceReductions?: number): string[] {
  const rt = runtime(tier, sliceReductions);
  rt.code.loadFile(join(CONFORMANCE_DIR, `${module}.beam`));
  return readExpected(module).map((c) => {
    try {
      const o = rt.callSync(module, c.fn, [], 2_000_000);
      const line =
        o.kind === "exception" && o.killed ? `died\t${formatW(o.reason)}` : describeOutcome(o);
      return `${c.fn}\t${line}`;
    } catch (e) {
      return `${c.fn}\thost-crash\t${e instanceof Error ? e.message : String(e)}`;
    }
  });
}

const modules = readdirSync(CONFORMANCE_DIR)
  .filter((f) => f.endsWith(".expected"))
  .map((f) => f.slice(0, -".expected".length))
  .sort();

describe("tiers agree on the conformance fixtures", () => {
  for (const module of modules) {
    test(module, () => {
      const [closures, ...others] = TIERS.map((t) => runFixture(module, t));
      for (const o of others) expect(o).toEqual(closures!);
      // Yielding at nearly every call must not change anything either.
      expect(runFixture(module, "jit", 2)).toEqual(closures!);
      // Three tiers plus a yield-everywhere run of a whole fixture: up to ~30 s
      // seen on a loaded machine. Runs are bounded by reductions, not by this.
    }, 300_000);
  }
});

// ---- targeted cases ----------------------------------------------------------------

/** Built from fixtures/vm/jit_cases.erl (scripts/build-fixtures.sh). */
const dir = join(import.meta.dir, "../../fixtures/vm");

function call(tier: Tier, fn: string, args: Term[], slice?: number): string {
  const rt = runtime(tier, slice, [dir]);
  rt.code.loadFile(join(dir, "jit_cases.beam"));
  return describeOutcome(rt.callSync("jit_cases", fn, args, 2_000_000));
}

/**
 * Runs `module:fn(args)` (from fixtures/vm) at the default JIT threshold, with
 * `sliceReductions` per slice: its outcome and the sites of the regions it
 * compiled, in order.
 */
function atDefaultThreshold(
  module: string,
  fn: string,
  args: Term[],
  sliceReductions?: number,
): { out: string; sites: string[] } {
  const { out, sources } = runWithSources(module, fn, 2, { dir, args, sliceReductions });
  return { out, sites: sources.map(([site]) => site) };
}

describe("jit: targeted cases", () => {
  test("an exception inside a generated block reports its own line", () => {
    const jit = call("jit", "fault_trace", [5]);
    expect(jit).toBe(call("closures", "fault_trace", [5]));
    // element/2 is on line 7 of the source, after two inlined instructions.
    expect(jit).toContain("{line,7}");
    expect(jit).toContain("badarg");
  });

  test("error/exit/throw raised mid-block (returned, not thrown) report the call's line", () => {
    // Lines from erl (OTP 25): jit_cases:raise_trace(5, Kind) tops its trace
    // with raise_mid/2 at line 65, 66 or 67 (the file name prints as ~w does).
    const FILE = `[${[..."jit_cases.erl"].map((c) => c.charCodeAt(0)).join(",")}]`;
    for (const [kind, line] of [
      ["error", 65],
      ["exit", 66],
      ["throw", 67],
    ] as const) {
      const args = [5, atom(kind)];
      const want = `value\t{${kind},{bad,6,12},{jit_cases,raise_mid,2,[{file,${FILE}},{line,${line}}]}}`;
      for (const tier of TIERS) expect(call(tier, "raise_trace", args)).toBe(want);
      expect(call("jit", "raise_trace", args, 2)).toBe(want);
    }
  });

  test("loops yield mid-region and resume with the same result", () => {
    for (const slice of [1, 2, 3, 4000]) {
      expect(call("jit", "count", [10_000, 0], slice)).toBe("value\t15000");
    }
  });

  test("receive loops (selective, out of order)", () => {
    const sources: string[] = [];
    jitDebug.onSource = (site, src) => {
      if (site.startsWith("jit_cases@")) sources.push(src);
    };
    try {
      expect(call("jit", "recv", [300], 2)).toBe(call("closures", "recv", [300]));
      expect(call("jit", "recv", [300])).toBe("value\t45150");
    } finally {
      jitDebug.onSource = null;
    }
    // A failed pattern steps past the message and jumps straight back to
    // loop_rec (the loop_rec_end block threaded into the test's branch).
    expect(sources.join("\n")).toMatch(
      /\{ p\.mailbox\.save\+\+; [^}]*pc = base \+ \d+; continue; \}/,
    );
  });

  test("deep body recursion returns through generated code", () => {
    expect(call("jit", "deep", [20_000], 5)).toBe(call("closures", "deep", [20_000]));
  });

  test("select_val on atoms, ints and a fallback", () => {
    for (const [arg, want] of [
      [7, "seven"],
      [-3, "minus"],
      [8, "other"],
    ] as const) {
      expect(call("jit", "sel", [arg])).toBe(`value\t${want}`);
    }
  });

  test("natives called from generated code: BIF frame, tail calls, traps", () => {
    const fault = call("jit", "bif_fault", [binaryFromString("12x")]);
    expect(fault).toBe(call("closures", "bif_fault", [binaryFromString("12x")]));
    expect(fault).toContain("{erlang,binary_to_integer,[<<49,50,120>>]");
    expect(call("jit", "tail", [42])).toBe("value\t<<52,50>>");
    expect(call("jit", "last", [41])).toBe("value\t<<52,50>>");
    // lists:seq traps (a native tail-calling its continuation) past its slice.
    expect(call("jit", "seq_len", [100_000])).toBe("value\t150000");
    expect(call("jit", "seq_len", [100_000], 3)).toBe("value\t150000");
    expect(call("jit", "round_trips", [5000, 0], 2)).toBe(
      call("closures", "round_trips", [5000, 0]),
    );
  });

  test("slow paths leave the region mid-block and the loop resumes in it", () => {
    // Values from erl (OTP 25): jit_cases:big_sum(2000, 1), jit_cases:unaligned(5000).
    for (const slice of [3, 4000]) {
      expect(call("jit", "big_sum", [2000, 1], slice)).toBe("value\t11497177");
      expect(call("jit", "unaligned", [5000], slice)).toBe("value\t12520000");
    }
  });

  test("slow paths and function_clause share one call site per region", () => {
    // JSC delays a function's optimising compile while a quarter of its
    // call and load sites have seen no values; a call per slow path (never
    // run in a loop that stays on its fast paths) kept every region waiting
    // five extra rounds. big_sum has arithmetic slow paths and a func_info.
    const sources: string[] = [];
    jitDebug.onSource = (site, src) => {
      // Regions only: big_sum first runs as a direct function, whose slow
      // paths keep deoptimising until it goes back to its region.
      if (site.startsWith("jit_cases@") && !site.endsWith(" direct")) sources.push(src);
    };
    try {
      expect(call("jit", "big_sum", [2000, 1])).toBe("value\t11497177");
    } finally {
      jitDebug.onSource = null;
    }
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect(src.match(/break run;/g)?.length ?? 0).toBeGreaterThan(0);
      expect(src.match(/hs\[at\]\(/g)?.length).toBe(1);
      // No slow path calls its closure in place.
      expect(src).not.toMatch(/return h\d+\(/);
    }
    // function_clause through the shared exit: core_exception's
    // t_function_clause* cases, run by every tier above.
  });

  test("a loop that fills its slice is compiled before the total threshold", () => {
    // At the default threshold count_via/2's region waits for its 128th
    // call (the warm-up gate) and then 2048 entries (one per round, its
    // entry); entered 1000 times in one slice of 4000 reductions it is a
    // tight loop. (It calls add/2 every round, so it is no direct candidate.)
    const packed = atDefaultThreshold("jit_cases", "count_via", [1800, 0], 4000);
    expect(packed.out).toBe("value\t2700");
    // count_via/2's region and add/2's (also entered 1800 times in the slice).
    expect(new Set(packed.sites).size).toBe(2);
    expect(packed.sites.some((s) => s.endsWith(" direct"))).toBe(false);
    // The same 1800 rounds spread over slices of 300 reductions (at most
    // 150 entries in one, under the floor of 1000) stay interpreted.
    const spread = atDefaultThreshold("jit_cases", "count_via", [1800, 0], 300);
    expect(spread.out).toBe("value\t2700");
    expect(spread.sites).toEqual([]);
  });

  test("a direct candidate whose first 32 calls come in a burst is compiled at once", () => {
    // count/2 (a loop calling only itself) may run direct. When its first
    // 32 calls came within one slice and 64 reductions it is a loop running
    // now, and compiles there and then.
    const packed = atDefaultThreshold("jit_cases", "count", [1800, 0], 4000);
    expect(packed.out).toBe("value\t2700");
    expect(packed.sites.length).toBe(1);
    expect(packed.sites[0]).toEndWith(" direct");
    for (const slice of [300, 100, 40]) {
      const sliced = atDefaultThreshold("jit_cases", "count", [1800, 0], slice);
      expect(sliced.out).toBe("value\t2700");
      expect(sliced.sites).toEqual(packed.sites);
    }
    // Slices of 20 reductions split the first 32 calls, and no slice
    // reaches the stub's 250 entries: it stays interpreted.
    const spread = atDefaultThreshold("jit_cases", "count", [1800, 0], 20);
    expect(spread.out).toBe("value\t2700");
    expect(spread.sites).toEqual([]);
    // In one slice but among other work (sparse/1 calls it twice per ~100
    // reductions): not at once, and 300 calls never make 250 entries after
    // the 128-call warm-up.
    const mixed = atDefaultThreshold("jit_cases", "sparse", [150], 100_000);
    expect(mixed.out).toBe("value\tok");
    expect(mixed.sites).not.toContain(packed.sites[0]);
  });

  test("a direct candidate warmed sparsely is compiled once it fills a sixteenth of a slice", () => {
    const count = atDefaultThreshold("jit_cases", "count", [1800, 0]).sites[0]!;
    // sparse/1 calls count/2 twice per ~100 reductions: 400 calls, under
    // 128 in any slice, so it gets its stubs but never 250 entries in one
    // slice (spin/1, a loop of 101 calls per call, compiles at once).
    const sparse = atDefaultThreshold("jit_cases", "sparse", [200]);
    expect(sparse.out).toBe("value\tok");
    expect(sparse.sites).not.toContain(count);
    // Then one run of 601 calls: 250 of them in a slice compile it (under
    // a region's 1000 in a slice, and all its calls together under the
    // total threshold of 2048).
    const dense = atDefaultThreshold("jit_cases", "sparse_then_dense", [200]);
    expect(dense.out).toBe("value\t900");
    expect(dense.sites).toContain(count);
  });

  test("a function called only from other code gets hot too", () => {
    // round_trips/2 calls tail/1 once per round; tail never calls itself,
    // so its calls (not loops of its own) must make it hot.
    const { out, sites } = atDefaultThreshold("jit_cases", "round_trips", [5000, 0]);
    expect(out).toBe(call("closures", "round_trips", [5000, 0]));
    // round_trips/2 and tail/1.
    expect(new Set(sites).size).toBe(2);
  });

  test("a region entered only by a jump from another region gets hot", () => {
    // jit_big:spin/2 is longer than one region; its loop clause, in the
    // second slice, is reached from the first by a forward jump. 75000 from erl.
    const { out, sites } = atDefaultThreshold("jit_big", "spin", [50_000, 0]);
    expect(out).toBe("value\t75000");
    // Both slices: the entry's and the loop clause's.
    expect(new Set(sites).size).toBe(2);
  });

  test("generated code is shared by every VM that loads the module", () => {
    const seen: string[] = [];
    jitDebug.onSource = (site) => {
      if (site.startsWith("jit_cases@")) seen.push(site);
    };
    const before = jitStats.compiled;
    call("jit", "count", [100, 0]);
    const firstCompiles = jitStats.compiled - before;
    call("jit", "count", [100, 0]);
    jitDebug.onSource = null;
    // The second VM generated the same sources but compiled nothing new.
    expect(seen.length).toBeGreaterThan(0);
    expect(jitStats.compiled - before).toBe(firstCompiles);
  });
});
