/**
 * The conformance fixtures, run from beams our assembler made out of erlc's
 * listings: every case must behave exactly as on erlc's own beam, and (apart
 * from the VM's documented known failures) give the result recorded from
 * real Erlang/OTP. This is the behavioural half of the assembler's round-trip
 * proof (test/loader/asm-roundtrip.test.ts is the byte-level half).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assemble } from "../../loader/asm/index.ts";
import { createRuntime } from "../../nifs/index.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock } from "../../vm/index.ts";
import {
  CONFORMANCE_DIR,
  describeOutcome,
  type ExpectedCase,
  readExpected,
} from "./conformance-harness.ts";

// Each test runs every case of a module twice (our assembly and erlc's beam): seconds of
// CPU when idle, tens of seconds on a loaded machine. Runs are bounded by reductions
// (callSync's maxSlices), so this only has to outlast the slowest machine, not a hang.
setDefaultTimeout(300_000);

const modules = readdirSync(CONFORMANCE_DIR)
  .filter((f) => f.endsWith(".expected"))
  .map((f) => f.slice(0, -".expected".length))
  .sort();

/** Runs each case in a fresh call on a runtime that loaded `bytes` as `module`. */
function run(
  module: string,
  bytes: Uint8Array,
  cases: readonly ExpectedCase[],
): Map<string, string> {
  const rt = createRuntime({ clock: new ManualClock(), paths: [CONFORMANCE_DIR], log: () => {} });
  rt.code.loadBytes(bytes, `${module}.beam`);
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

let total = 0;
let matchingErlang = 0;

for (const module of modules) {
  describe(`${module} (assembled by aion asm)`, () => {
    const cases = readExpected(module);
    const listing = readFileSync(join(CONFORMANCE_DIR, `${module}.S`), "utf8");
    let ours: Map<string, string> | null = null;
    let erlc: Map<string, string> | null = null;
    const results = () => {
      ours ??= run(module, assemble(listing, { file: `${module}.S` }), cases);
      erlc ??= run(
        module,
        new Uint8Array(readFileSync(join(CONFORMANCE_DIR, `${module}.beam`))),
        cases,
      );
      return { ours, erlc };
    };
    test("every case behaves as on erlc's beam", () => {
      const { ours, erlc } = results();
      for (const c of cases)
        expect(`${c.fn}\t${ours.get(c.fn)}`).toBe(`${c.fn}\t${erlc.get(c.fn)}`);
      total += cases.length;
      matchingErlang += cases.filter((c) => ours.get(c.fn) === `${c.kind}\t${c.text}`).length;
    });
  });
}

test("a large sample of cases gives real Erlang's results", () => {
  // The remainder are the VM's known conformance failures, identical on both beams.
  expect(total).toBeGreaterThan(700);
  expect(matchingErlang / total).toBeGreaterThan(0.95);
});
