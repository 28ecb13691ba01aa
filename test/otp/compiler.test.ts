/**
 * The OTP compiler as a yardstick: OTP 25's own `compile:forms/2` on the VM
 * must produce byte-identical `.beam` output to real erl (recorded per module
 * in fixtures/otp/compiler/expected.tsv). Compiling is slow on the VM, so by
 * default a handful of modules run; `AION_COMPILER_CORPUS=all` runs the whole
 * corpus (every .erl under fixtures/). Skipped without an OTP install.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { compileOnVm, compilerEbins, compilerRuntime, readCorpus } from "./compiler-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DEFAULT_SET = new Set(["cli__hello", "cli__crashy__crashy", "vm__internal_error_probe"]);
const all = process.env.AION_COMPILER_CORPUS === "all";
const ebins = compilerEbins();
const corpus = readCorpus();

test("the corpus is recorded", () => {
  expect(corpus.length).toBeGreaterThan(100);
  for (const n of DEFAULT_SET) expect(corpus.some((e) => e.name === n)).toBe(true);
});

describe.skipIf(ebins === null)("compile:forms/2 on the VM is byte-identical to erl's", () => {
  const rt = ebins === null ? null : compilerRuntime(ebins);
  for (const e of corpus) {
    if (!all && !DEFAULT_SET.has(e.name)) continue;
    test(e.name, () => expect(compileOnVm(rt!, e.name)).toBe(`${e.size} ${e.sha256}`), 600_000);
  }
});
