/**
 * The hand-written assembly fixtures (fixtures/asm/*.S): instructions OTP 25's
 * compiler cannot emit (update_record, bs_match, executable_line, debug_line)
 * and rare OTP 22-25 forms, assembled by loader/asm and run on our VM. Each
 * `x.expected` line is `function<TAB>kind<TAB>result` (results printed with
 * ~w); each .S header says how its expectations were obtained.
 *
 * Every fixture runs from both container forms (OTP 25-27's, and OTP 28's
 * negative-count AtU8 with an uncompressed LitT), and the committed .beam
 * files must be exactly what the assembler produces now.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assemble } from "../../loader/asm/index.ts";
import { createRuntime } from "../../nifs/index.ts";
import { ManualClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { describeOutcome } from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DIR = join(import.meta.dir, "../../fixtures/asm");
const fixtures = [...new Bun.Glob("*.S").scanSync({ cwd: DIR })].map((f) => f.slice(0, -2)).sort();

function expectations(module: string): [string, string][] {
  return readFileSync(join(DIR, `${module}.expected`), "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const [fn, ...rest] = l.split("\t");
      return [fn!, rest.join("\t")];
    });
}

function runAll(module: string, bytes: Uint8Array): Map<string, string> {
  const rt = createRuntime({ clock: new ManualClock(), log: () => {} });
  rt.code.loadBytes(bytes, `${module}.beam`);
  const out = new Map<string, string>();
  for (const [fn] of expectations(module))
    out.set(fn, describeOutcome(rt.callSync(module, fn, [], 2_000_000)));
  return out;
}

test("the fixtures cover the OTP 26-28 instructions", () => {
  const all = fixtures.map((m) => readFileSync(join(DIR, `${m}.S`), "utf8")).join("\n");
  for (const op of [
    "update_record",
    "bs_match",
    "executable_line",
    "debug_line",
    "call_fun2",
    "make_fun3",
    "init_yregs",
    "swap",
    "{tr,",
    "bs_create_bin",
    "recv_marker_reserve",
    "recv_marker_bind",
    "recv_marker_use",
    "recv_marker_clear",
    "badrecord",
  ])
    expect(all).toContain(op);
});

for (const module of fixtures) {
  describe(module, () => {
    const text = readFileSync(join(DIR, `${module}.S`), "utf8");
    const bytes = assemble(text, { file: `${module}.S` });
    const modern = assemble(text, { file: `${module}.S`, otp28: true });

    test("the committed .beam is the assembler's output", () => {
      expect(
        Buffer.from(readFileSync(join(DIR, `${module}.beam`))).equals(Buffer.from(bytes)),
      ).toBe(true);
    });

    const ours = runAll(module, bytes);
    const ours28 = runAll(module, modern);
    for (const [fn, expected] of expectations(module)) {
      test(fn, () => {
        expect(ours.get(fn)).toBe(expected);
        expect(ours28.get(fn)).toBe(expected);
      });
    }
  });
}

test("the committed OTP 28 form of asm_record is the assembler's output", () => {
  const text = readFileSync(join(DIR, "asm_record.S"), "utf8");
  const bytes = assemble(text, { file: "asm_record.S", otp28: true });
  expect(
    Buffer.from(readFileSync(join(DIR, "asm_record.otp28.beam"))).equals(Buffer.from(bytes)),
  ).toBe(true);
});
