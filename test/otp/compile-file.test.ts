/**
 * OTP 25's own `compile:file/2` and `epp:parse_file/2,3` on the VM, reading
 * real files through io-device processes (file:open without `raw`,
 * nifs/stdlib/aion_file_io.erl), and the io protocol on such files: each case
 * of fixtures/otp/compile_file/compile_file_cases.erl runs here against a
 * fresh temporary directory and must print (`~w`) exactly what erl printed
 * (recorded by scripts/fixtures/otp-compile-file.sh). Skipped without an OTP
 * install (the compiler's beams come from it, never from this repository).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { listToArray, stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { ManualClock } from "../../vm/index.ts";
import { compilerEbins } from "./compiler-harness.ts";

// The compiler does real work (several modules through every pass): seconds on a loaded machine.
setDefaultTimeout(300_000);

const FIXTURE = join(import.meta.dir, "../../fixtures/otp/compile_file");
const ebins = compilerEbins();

const expected = new Map(
  readFileSync(join(FIXTURE, "compile_file_cases.expected"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const tab = l.indexOf("\t");
      return [l.slice(0, tab), l.slice(tab + 1)] as const;
    }),
);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Cases known to differ from erl, with the cause (docs/otp-compat.md). They run
 * as `test.failing`, so fixing one makes the suite say so until it is removed.
 */
const KNOWN: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Runs every case on the VM in a fresh directory: case name -> `~w` text. */
function runCases(): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "aion-compile-file-"));
  dirs.push(dir);
  const rt = createRuntime({
    clock: new ManualClock(),
    log: () => {},
    otpPaths: ebins!,
    paths: [FIXTURE],
  });
  const o = rt.callSync("compile_file_cases", "results", [stringToList(dir)], 2_000_000_000);
  if (o.kind !== "value") throw new Error(`results/1 did not return: ${JSON.stringify(o.kind)}`);
  const out = new Map<string, string>();
  for (const pair of listToArray(o.value)!) {
    const [name, result] = pair as Term[];
    out.set(formatW(name!), formatW(result!));
  }
  return out;
}

describe.skipIf(ebins === null)("compile:file/2 and epp on real files, as erl", () => {
  let results: Map<string, string> | null = null;
  const ours = () => (results ??= runCases());

  test("the recorded table has every case", () => {
    expect([...ours().keys()].sort()).toEqual([...expected.keys()].sort());
  });

  for (const [name, want] of expected) {
    const body = () => {
      expect(ours().get(name)).toBe(want);
    };
    if (KNOWN.has(name)) test.failing(`${name} [known: ${KNOWN.get(name)}]`, body);
    else test(name, body);
  }
});

describe.skipIf(ebins === null)("code:lib_dir/1,2 (what -include_lib resolves with)", () => {
  const call = (args: Term[], fn = "lib_dir") => {
    const rt = createRuntime({ clock: new ManualClock(), log: () => {}, otpPaths: ebins! });
    const o = rt.callSync("code", fn, args, 10_000_000);
    if (o.kind !== "value") throw new Error(`code:${fn} did not return: ${o.kind}`);
    return formatW(o.value);
  };
  const kernelEbin = () => ebins!.find((d) => /\/kernel-[0-9][^/]*\/ebin$/.test(d))!;

  test("an application on the code path: the parent of its ebin, by atom or string", () => {
    const lib = kernelEbin().slice(0, -"/ebin".length);
    expect(call([atom("kernel")])).toBe(formatW(stringToList(lib)));
    expect(call([stringToList("kernel")])).toBe(formatW(stringToList(lib)));
    expect(call([atom("kernel"), atom("include")])).toBe(formatW(stringToList(`${lib}/include`)));
  });

  test("an unknown application is {error,bad_name}; other argument types no clause, as in OTP", () => {
    expect(call([atom("no_such_app")])).toBe("{error,bad_name}");
    expect(call([atom("no_such_app"), atom("include")])).toBe("{error,bad_name}");
    expect(() => call([42])).toThrow();
    expect(() => call([atom("kernel"), stringToList("include")])).toThrow();
  });
});
