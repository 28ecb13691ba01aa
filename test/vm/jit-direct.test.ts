/**
 * Direct functions (vm/interp/jit/direct.ts): which functions run as JS
 * recursion, the shape of their code, and how they hand back to their
 * region. Their results, stack traces included, are checked against real
 * erl by the core_direct conformance module, which jit.test.ts also runs
 * with every region compiled on first entry and with two-reduction slices.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  CONFORMANCE_DIR,
  describeOutcome,
  erlLine,
  jitRuntime,
  readExpected,
  runWithSources,
} from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const MODULE = "core_direct";

const fromErl = (fn: string): string => erlLine(MODULE, fn);
const run = (fn: string, jitHot: number) => runWithSources(MODULE, fn, jitHot);

/**
 * Calls `f` from so deep in JS recursion that it has room for only about
 * 500 more frames of the recursing function: enough for the VM, not for a
 * 1500-deep run of generated code. The depth that fits is found first with
 * the same function (so its frames are as big in both walks).
 */
function withLittleStack<T>(f: () => T): T {
  let reached = 0;
  let out: T | undefined;
  const dig = (n: number, at: number, then: (() => void) | null): number => {
    reached = at;
    if (n > 0) return dig(n - 1, at + 1, then) + 1;
    then?.();
    return 0;
  };
  // A few walks to the end, so later walks run the same (optimised) code.
  for (let i = 0; i < 3; i++) {
    try {
      dig(1e7, 0, null);
    } catch {
      // Out of stack at `reached`.
    }
  }
  dig(reached - 500, 0, () => {
    out = f();
  });
  return out as T;
}

const directSources = (sources: [string, string][]) =>
  sources.filter(([site]) => site.endsWith(" direct")).map(([, src]) => src);

describe("direct functions", () => {
  test("fib runs as a JS function calling itself, with no process state", () => {
    const { out, sources } = run("t_fib", 1);
    expect(out).toBe(fromErl("t_fib"));
    const fib = directSources(sources).find((s) => /x0 = d\(x0, dp \+ 1\)/.test(s));
    expect(fib).toBeDefined();
    const body = fib!.slice(fib!.indexOf("function d("), fib!.indexOf("\nfunction dx("));
    // Two self calls, one deeper each, each checking for a deoptimisation on return.
    expect(body.match(/x0 = d\(x0, dp \+ 1\); if \(x0 === DEOPT\)/g)?.length).toBe(2);
    // Registers and the frame in locals; jumps are breaks, not a dispatch loop.
    expect(body).not.toMatch(/\b(stk|yb|ret|p)\b|switch|continue/);
    expect(body).toMatch(/break L\d+;/);
    // A resume function per return point, taking X0 and the frame's Y0:
    // a frame rebuilt by a deoptimisation returns into direct code.
    expect(fib!.match(/\nfunction r\d+\(x0, y0, dp\) \{/g)?.length).toBe(2);
  });

  test("every way out by deoptimisation is outlined to one exit call", () => {
    // JSC optimises a function once most of its value profiles have seen a
    // value, later the bigger it is: never-run exits inline kept fib's code
    // in the baseline tier for the most rounds JSC allows (docs/jit.md).
    const { out, sources } = run("t_fib", 1);
    expect(out).toBe(fromErl("t_fib"));
    const fib = directSources(sources).find((s) => /x0 = d\(x0, dp \+ 1\)/.test(s))!;
    // Each function of the factory by name: its parameters and body.
    const fns = new Map<string, { params: string; body: string }>();
    for (const chunk of fib.split("\nfunction ").slice(1)) {
      const m = /^(\w+)\(([^)]*)\) \{\n([\s\S]*)$/.exec(chunk)!;
      fns.set(m[1]!, { params: m[2]!, body: m[3]! });
    }
    const parts = [...fns.keys()].filter((n) => /^(d|r\d+)$/.test(n));
    expect(parts.length).toBe(3);
    for (const name of parts) {
      const { body } = fns.get(name)!;
      // The part itself only numbers its ways out and breaks to one call.
      expect(body).not.toMatch(/dq\.|resume =|return DEOPT|x\[\d+\] =/);
      const ways = [...body.matchAll(/way = (\d+); break cold;/g)].map((m) => Number(m[1]));
      expect(ways.length).toBeGreaterThan(0);
      expect(ways).toEqual(ways.map((_, i) => i + 1));
      expect(body.split(`return ${name}x(way, `).length).toBe(2);
      // Its exit function has one case per way out, each ending the run,
      // and sees the registers by the part's own names.
      const exit = fns.get(`${name}x`)!;
      expect(exit.params).toMatch(/^way, x0\b/);
      const cases = [...exit.body.matchAll(/\ncase (\d+): ([^\n]*)/g)];
      expect(cases.map((c) => Number(c[1]))).toEqual(ways);
      for (const c of cases) expect(c[2]).toMatch(/dq\.push\([^;]*\); return DEOPT;$/);
    }
  });

  test("at the default threshold a small recursion runs direct", () => {
    // fib(23) is 46k calls: a candidate after its 128th call, compiled
    // once it has filled a sixteenth of a slice.
    const { out, sources } = run("t_fib", 2);
    expect(out).toBe(fromErl("t_fib"));
    expect(directSources(sources).length).toBe(1);
  });

  test("a recursion too deep for one direct run goes back to its region for good", () => {
    // build(30000): a direct run stops after 2000 calls and rebuilds 2000
    // frames; the function's region is then compiled with its self calls
    // inside it (a region next to direct code leaves for the entry instead).
    const { out, sources } = run("t_deep_build", 2);
    expect(out).toBe(fromErl("t_deep_build"));
    const direct = sources.filter(([site]) => site.endsWith(" direct"));
    expect(direct.length).toBe(2); // build/1 and total/1
    for (const [site, src] of direct) {
      const entry = /saveState\(vm, p, (base \+ \d+),/.exec(src)![1]!;
      const regions = sources.filter(([s]) => s === site.slice(0, -" direct".length));
      expect(regions.length).toBeGreaterThan(0);
      const last = regions[regions.length - 1]![1];
      expect(last).toContain(`pc = ${entry}; continue;`);
      expect(last).not.toContain(`return ${entry};`);
    }
  });

  test("a run that overflows the JS stack is redone by the region", () => {
    // len/1 on 1500 elements is one direct run of 1500 JS calls. Started
    // with little JS stack left, the run overflows part-way down; the
    // function goes back to its region, which redoes the call on the
    // process's own stacks, and the result is erl's.
    run("t_len_1500", 1); // generated code cached, so the short-stack run only emits
    const normal = run("t_len_1500", 1);
    expect(normal.out).toBe(fromErl("t_len_1500"));
    const short = withLittleStack(() => run("t_len_1500", 1));
    expect(short.out).toBe(fromErl("t_len_1500"));
    const sites = (r: typeof normal) => r.sources.map(([site]) => site);
    const direct = sites(normal).filter((s) => s.endsWith(" direct"));
    expect(direct.length).toBe(1);
    const region = direct[0]!.slice(0, -" direct".length);
    // Normally the run completes direct and len/1 never needs its region.
    expect(sites(normal)).not.toContain(region);
    expect(sites(short).indexOf(region)).toBeGreaterThan(sites(short).indexOf(direct[0]!));
  });

  test("only functions whose every call is to themselves run direct", () => {
    // t_* functions call others (id/1, the recursions): none is direct.
    const { sources } = run("t_tree_depth", 1);
    const direct = sources.filter(([site]) => site.endsWith(" direct"));
    // depth/1 and tree/1.
    expect(direct.length).toBe(2);
    for (const [, src] of direct) expect(src).not.toMatch(/\bh\d+\(/);
  });

  test("a slow path runs its instruction's closure once, not the direct code again", () => {
    // grow/1's first instruction leaves its fast path once the value is a
    // bignum: resuming at the entry pc would run the direct code, stopping
    // at the same place for ever. fact/1's multiplication sits at the
    // return point of its self call: resuming there would run the resume
    // function, stopping at the same place until the function gave up on
    // direct code (1000 times). Run by the closure, each slow path happens
    // once per level, so fact/1 stays direct.
    const grow = run("t_grow", 1);
    expect(grow.out).toBe(fromErl("t_grow"));
    const fact = run("t_fact_bignum", 1);
    expect(fact.out).toBe(fromErl("t_fact_bignum"));
    const sites = fact.sources.map(([site]) => site);
    const direct = sites.filter((s) => s.endsWith(" direct"));
    expect(direct.length).toBe(1);
    expect(sites).not.toContain(direct[0]!.slice(0, -" direct".length));
  });

  test("a slow path deep in the recursion resumes in the closures with the frames rebuilt", () => {
    // fact(30) leaves small integers part-way back up; sum/1 meets an atom
    // four calls down and its stack trace lists the rebuilt frames.
    for (const fn of ["t_fact_bignum", "t_badarith_deep", "t_clause_deep", "t_float_slow_path"]) {
      for (const hot of [1, 2]) expect(run(fn, hot).out).toBe(fromErl(fn));
    }
  });
});

/** Built from fixtures/vm/jit_cases.erl (scripts/build-fixtures.sh). */
const VM_DIR = join(import.meta.dir, "../../fixtures/vm");

/** `module` from `dir` at the default JIT threshold, driven by the event loop or stepped. */
const loaded = (dir: string, module: string, stepped: boolean) =>
  jitRuntime(dir, module, { jitHot: 2, driven: !stepped });

/**
 * `jit_cases:fn(args)` driven by the event loop and stepped: the outcome,
 * checked to be the same both ways, in as many slices; and the driven VM.
 */
async function drivenAndStepped(fn: string, args: number[]) {
  const driven = loaded(VM_DIR, "jit_cases", false);
  const out = describeOutcome(await driven.call("jit_cases", fn, args));
  const stepped = loaded(VM_DIR, "jit_cases", true);
  expect(out).toBe(describeOutcome(stepped.callSync("jit_cases", fn, args)));
  expect(driven.vm.slices).toBe(stepped.vm.slices);
  expect(stepped.vm.extendedSlices).toBe(0);
  return { out, driven };
}

describe("a direct run at the end of its slice", () => {
  test("goes straight on when nothing else is runnable, its reductions counted", async () => {
    // fib(23): 92,735 calls, 23 slices' worth. Stepped, every slice ends
    // with the frames rebuilt and the process yielding.
    const { out, driven } = await drivenAndStepped("fib_reds", [23]);
    expect(out).toBe("value\t{28657,92000}");
    expect(driven.vm.extendedSlices).toBeGreaterThanOrEqual(20);
  });

  test("yields as before while another process is runnable", async () => {
    // A process spinning beside fib gets as many slices as fib does (erl:
    // 184,000 reductions beside fib's own 190,889).
    const driven = loaded(VM_DIR, "jit_cases", false);
    const out = describeOutcome(await driven.call("jit_cases", "fib_beside_spinner", [23]));
    expect(out).toBe("value\t{28657,92000,92000}");
    expect(driven.vm.extendedSlices).toBe(0);
  });

  test("is switched out when its process's heap limit is due a check", async () => {
    // grow/2 builds a million-element list in JS locals, out of the check's
    // sight: going on past the slice at which the check falls due let it
    // run 45 slices more before the limit (20,000 words) was noticed.
    const { out } = await drivenAndStepped("grow_limited", [1_000_000]);
    expect(out).toBe("value\tkilled");
  });

  test("still lets the event loop in between drains", async () => {
    // count/2 is a direct loop alone in the VM for 30 million rounds: the
    // host's timer runs before it ends.
    const driven = loaded(VM_DIR, "jit_cases", false);
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 1);
    const out = describeOutcome(await driven.call("jit_cases", "count", [30_000_000, 0]));
    expect(out).toBe("value\t45000000");
    expect(fired).toBe(true);
    expect(driven.vm.extendedSlices).toBeGreaterThan(0);
  });

  test("core_direct's cases give erl's results when the event loop drives them", async () => {
    const rt = loaded(CONFORMANCE_DIR, MODULE, false);
    for (const c of readExpected(MODULE)) {
      expect(`${c.fn}\t${describeOutcome(await rt.call(MODULE, c.fn, []))}`).toBe(
        `${c.fn}\t${fromErl(c.fn)}`,
      );
    }
    expect(rt.vm.extendedSlices).toBeGreaterThan(0);
  });
});
