/**
 * Runs the differential conformance fixtures (fixtures/conformance/*.expected,
 * recorded from real Erlang by scripts/build-fixtures.sh) on our VM.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { formatW } from "../../terms/format.ts";
import type { Term } from "../../terms/term.ts";
import { jitDebug, ManualClock, type Outcome } from "../../vm/index.ts";

export const CONFORMANCE_DIR = join(import.meta.dir, "../../fixtures/conformance");

export interface ExpectedCase {
  readonly fn: string;
  readonly kind: string;
  readonly text: string;
}

export function readExpected(module: string): ExpectedCase[] {
  const text = readFileSync(join(CONFORMANCE_DIR, `${module}.expected`), "utf8");
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const [fn, kind, ...rest] = l.split("\t");
      return { fn: fn!, kind: kind!, text: rest.join("\t") };
    });
}

/** The `kind\ttext` line our VM gives, in the fixture runner's format. */
export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case "value":
      return `value\t${formatW(o.value)}`;
    case "timeout":
      return "timeout\t";
    default:
      return `${o.cls}\t${formatW(o.reason)}`;
  }
}

/** Runs every case of `module` in a fresh process each; returns our lines. */
export function runModule(module: string, cases: readonly ExpectedCase[]): Map<string, string> {
  const rt = createRuntime({ clock: new ManualClock(), paths: [CONFORMANCE_DIR], log: () => {} });
  rt.code.loadFile(join(CONFORMANCE_DIR, `${module}.beam`));
  const out = new Map<string, string>();
  for (const c of cases) {
    let line: string;
    try {
      const o = rt.callSync(module, c.fn, [], 2_000_000);
      line = o.kind === "exception" && o.killed ? `died\t${formatW(o.reason)}` : describeOutcome(o);
    } catch (e) {
      line = `host-crash\t${e instanceof Error ? e.message : String(e)}`;
    }
    out.set(c.fn, line);
  }
  return out;
}

/** erl's result line (`kind\ttext`) for `module:fn()`. */
export function erlLine(module: string, fn: string): string {
  const c = readExpected(module).find((e) => e.fn === fn);
  if (c === undefined) throw new Error(`no expected result for ${module}:${fn}`);
  return `${c.kind}\t${c.text}`;
}

/** How {@link jitRuntime} builds a runtime. */
export interface JitRuntimeOptions {
  /** Entries before a region compiles (1: on first entry). */
  readonly jitHot: number;
  readonly sliceReductions?: number;
  /** Driven by the event loop (`Runtime.call`) instead of stepped on a manual clock (`callSync`). */
  readonly driven?: boolean;
}

/** A JIT-tier runtime with `dir/module.beam` loaded. */
export function jitRuntime(dir: string, module: string, o: JitRuntimeOptions) {
  const rt = createRuntime({
    ...(o.driven ? {} : { clock: new ManualClock() }),
    paths: [dir],
    log: () => {},
    tier: "jit",
    jitHot: o.jitHot,
    sliceReductions: o.sliceReductions,
  });
  rt.code.loadFile(join(dir, `${module}.beam`));
  return rt;
}

/**
 * Runs `module:fn(args)` (from `dir`, the conformance fixtures unless
 * given) stepped on the JIT tier: its outcome and every source generated for
 * the module, in order, as `[site, source]`.
 */
export function runWithSources(
  module: string,
  fn: string,
  jitHot: number,
  {
    dir = CONFORMANCE_DIR,
    args = [],
    sliceReductions,
  }: {
    dir?: string;
    args?: Term[];
    sliceReductions?: number;
  } = {},
): { out: string; sources: [string, string][] } {
  const sources: [string, string][] = [];
  jitDebug.onSource = (site, src) => {
    if (site.startsWith(`${module}@`)) sources.push([site, src]);
  };
  try {
    const rt = jitRuntime(dir, module, { jitHot, sliceReductions });
    return { out: describeOutcome(rt.callSync(module, fn, args, 2_000_000)), sources };
  } finally {
    jitDebug.onSource = null;
  }
}
