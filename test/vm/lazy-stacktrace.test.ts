/**
 * An exception keeps only a raw stack trace when it is thrown (the faulting
 * pc and the return addresses it can show) and builds the Erlang list when
 * the list is first read, as BEAM's `build_stacktrace` does. The list must
 * be what building it at the throw gives, whenever it is read: in a handler
 * after the stack was unwound, from an exit reason, or after the process
 * died and its stack was dropped.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { buildStacktrace, ErlangError, ManualClock, type Runtime } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { CONFORMANCE_DIR, readExpected } from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

interface Thrown {
  readonly error: ErlangError;
  /** The trace built from the process's state at the throw. */
  readonly eager: string;
}

/**
 * A runtime whose VM records, for every Erlang exception that reaches its
 * interpreter loop without a trace yet, the trace built right then.
 */
function recordingRuntime(paths: string[]): { rt: Runtime; thrown: Thrown[] } {
  const rt = createRuntime({ clock: new ManualClock(), paths, log: () => {} });
  const thrown: Thrown[] = [];
  const vm = rt.vm;
  const handleThrow = vm.handleThrow.bind(vm);
  vm.handleThrow = (p, e, pc) => {
    if (e instanceof ErlangError && !e.hasStacktrace) {
      thrown.push({ error: e, eager: formatW(buildStacktrace(vm.code, p, pc, e)) });
    }
    return handleThrow(p, e, pc);
  };
  return { rt, thrown };
}

// ---- every exception of the conformance fixtures (recorded from real erl) ----

const MODULES = readdirSync(CONFORMANCE_DIR)
  .filter((f) => f.endsWith(".expected"))
  .map((f) => f.slice(0, -".expected".length));

describe("a trace built late equals the trace at the throw", () => {
  for (const module of MODULES) {
    test(module, () => {
      const { rt, thrown } = recordingRuntime([CONFORMANCE_DIR]);
      rt.code.loadFile(join(CONFORMANCE_DIR, `${module}.beam`));
      for (const c of readExpected(module)) {
        const before = thrown.length;
        try {
          rt.callSync(module, c.fn, [], 2_000_000);
        } catch {
          // A halt or a host crash: the conformance suite judges those.
        }
        // Read every trace of the case now, its processes gone or moved on.
        for (const t of thrown.slice(before)) {
          expect(`${c.fn}: ${formatW(t.error.stack_ as Term)}`).toBe(`${c.fn}: ${t.eager}`);
        }
      }
    });
  }

  test("the fixtures throw plenty of exceptions", () => {
    const { rt, thrown } = recordingRuntime([CONFORMANCE_DIR]);
    rt.code.loadFile(join(CONFORMANCE_DIR, "core_exception.beam"));
    for (const c of readExpected("core_exception")) rt.callSync("core_exception", c.fn, []);
    expect(thrown.length).toBeGreaterThan(50);
  });
});

// ---- traces read after the process died (needs erlc) -------------------------

/** Built from fixtures/vm/lazy_trace.erl (scripts/build-fixtures.sh). */
const dir = join(import.meta.dir, "../../fixtures/vm");

/** `{lazy_trace, F, A, [{file, "lazy_trace.erl"}, {line, L}]}` as formatW writes it. */
function frame(fn: string, arity: number | string, line: number, extra = ""): string {
  const file = [..."lazy_trace.erl"].map((c) => c.charCodeAt(0)).join(",");
  return `{lazy_trace,${fn},${arity},[{file,[${file}]},{line,${line}}${extra}]}`;
}

const FUN = (name: string) => `'-${name}/1-fun-0-'`;
/** The frames of a(N) calling down to a(0) or b(0), innermost first (a runs at even depths). */
function ab(n: number): string[] {
  const out: string[] = [];
  for (let d = n; d >= 0; d--) {
    const inA = d % 2 === 0;
    out.push(frame(inA ? "a" : "b", 2, (inA ? 8 : 10) + (d === n ? 0 : 1)));
  }
  return out;
}

function trace(frames: string[]): string {
  return `[${frames.slice(0, 8).join(",")}]`;
}

describe("traces read after the process died", () => {
  function run(fn: string, n: number) {
    const { rt, thrown } = recordingRuntime([dir]);
    rt.code.loadFile(join(dir, "lazy_trace.beam"));
    const p = rt.spawn("lazy_trace", fn, [n]);
    p.reportCrash = false;
    rt.vm.runUntilIdle();
    expect(p.status).toBe("dead");
    // The process's stack is gone: only what the exception kept is left.
    expect(p.ret.length).toBe(0);
    expect(p.stack.length).toBe(0);
    const e = p.uncaught;
    if (e === null) throw new Error(`${fn}(${n}) did not raise`);
    return { e, p, thrown };
  }

  test("an uncaught exit: its trace is the trace at the throw", () => {
    for (const n of [0, 1, 5, 30]) {
      const { e, thrown } = run("exit_deep", n);
      expect(e.cls).toBe("exit");
      expect(formatW(e.stack_ as Term)).toBe(trace([frame(FUN("exit_deep"), 0, 18), ...ab(n)]));
      expect(thrown.map((t) => t.eager)).toEqual([formatW(e.stack_ as Term)]);
    }
  });

  test("an error's exit reason carries the same trace", () => {
    const { e, p } = run("error_deep", 3);
    const expected = trace([frame(FUN("error_deep"), 0, 19), ...ab(3)]);
    expect(formatW(e.stack_ as Term)).toBe(expected);
    expect(formatW(p.exitReason)).toBe(`{broken,${expected}}`);
  });

  test("a throw through self-recursion collapses the run of return addresses", () => {
    const { e, p } = run("throw_deep", 50);
    const expected = trace([frame(FUN("throw_deep"), 0, 20), frame("s", 2, 14), frame("s", 2, 15)]);
    expect(formatW(e.stack_ as Term)).toBe(expected);
    expect(formatW(p.exitReason)).toBe(`{{nocatch,ball},${expected}}`);
  });

  test("a BIF frame keeps its arguments; function_clause and error/3 theirs", () => {
    const erts = "[{error_info,#{module => erl_erts_errors}}]";
    expect(formatW(run("bif_args", 2).e.stack_ as Term)).toBe(
      trace([`{erlang,atom_to_list,[2],${erts}}`, frame(FUN("bif_args"), 1, 21), ...ab(2)]),
    );
    // fc/1 is the fun's tail call: no frame of the fun.
    expect(formatW(run("clause", 1).e.stack_ as Term)).toBe(
      trace([frame("fc", "[1]", 16), ...ab(1)]),
    );
    expect(formatW(run("error3", 0).e.stack_ as Term)).toBe(
      trace([frame(FUN("error3"), "[0]", 23, ",{error_info,#{module => lazy_trace}}"), ...ab(0)]),
    );
  });

  test("raise/3 rethrows the trace the handler built", () => {
    const { e, thrown } = run("reraised", 2);
    expect(formatW(e.stack_ as Term)).toBe(
      trace([frame(FUN("exit_deep"), 0, 18), ...ab(2), frame("reraised", 1, 25)]),
    );
    // The first exception's trace, built late by the handler, is the one at its throw.
    expect(thrown.length).toBe(1);
    expect(formatW(e.stack_ as Term)).toBe(thrown[0]!.eager);
  });

  test("an exit rethrown by handlers it does not match keeps the trace of its throw", () => {
    const { e, thrown } = run("passthrough2", 2);
    const expected = trace([
      frame(FUN("exit_deep"), 0, 18),
      ...ab(2),
      frame("passthrough", 1, 31),
      frame("passthrough2", 1, 32),
    ]);
    expect(formatW(e.stack_ as Term)).toBe(expected);
    expect(thrown.map((t) => t.eager)).toEqual([expected]);
  });

  test("runtime outcomes report the same trace", () => {
    const { rt } = recordingRuntime([dir]);
    rt.code.loadFile(join(dir, "lazy_trace.beam"));
    const o = rt.callSync("lazy_trace", "exit_deep", [1]);
    expect(o.kind === "exception" && formatW(o.stack)).toBe(
      trace([frame(FUN("exit_deep"), 0, 18), ...ab(1)]),
    );
    const list = rt.callSync("lazy_trace", "id", [listFromArray([atom("x")])]);
    expect(list.kind === "value" && formatW(list.value)).toBe("[x]");
  });
});
