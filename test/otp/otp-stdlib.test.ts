/**
 * OTP compatibility proof (issue 4): the recorded real-erl table
 * fixtures/otp/otp_cases.expected replayed twice.
 *
 * 1. "OTP's code on our VM": a runtime where OTP 25's own lists, string,
 *    io_lib, io_lib_format, io_lib_pretty, unicode_util, proplists, orddict,
 *    queue, sets, maps and gb_trees `.beam` files replace our library
 *    (`createRuntime({ preferOtp })`); BIFs stay native as on BEAM. The same
 *    code ran in erl, so results must match exactly, deep-list shapes included.
 * 2. "Our library": natives plus nifs/stdlib, compared after the recorded
 *    normalisation (flattening, sorting, opaque structures to lists), since
 *    unspecified shapes may legitimately differ.
 *
 * Needs OTP's stdlib `ebin` only for part 1 (skipped without it); the
 * expectations themselves are committed, so erl is never run here.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Runtime } from "../../vm/index.ts";
import {
  type Case,
  caseName,
  type Got,
  loadCases,
  otpRuntime,
  otpStdlibEbin,
  ourRuntime,
  runCase,
} from "./harness.ts";
import { NOT_PROVIDED, OTP_ON_VM, OUR_LIBRARY } from "./known-differences.ts";

// OTP's own modules run many cases each: fast when idle, seconds on a loaded machine.
setDefaultTimeout(60_000);

const cases = loadCases();
const ebin = otpStdlibEbin();

/** The module a case exercises (the otp_funs wrappers drive one module each). */
const WRAPPED: Readonly<Record<string, string>> = {
  queue_ops: "queue",
  sets_ops: "sets",
  gbt_ops: "gb_trees",
  orddict_ops: "orddict",
  maps_iter: "maps",
};
const subject = (c: Case) => (c.mod === "otp_funs" ? (WRAPPED[c.fun] ?? c.mod) : c.mod);

function checkKnown(known: ReadonlyMap<number, readonly [string, string]>): void {
  for (const [line, [mf]] of known) {
    const c = cases[line - 1];
    expect(c && `${c.mod}:${c.fun}`).toBe(mf);
  }
}

/** One test per case; known differences must still differ (`test.failing`). */
function replay(
  rt: () => Runtime,
  known: ReadonlyMap<number, readonly [string, string]>,
  expected: (c: Case) => Got,
  got: (g: Got) => Got,
  skip: (c: Case) => boolean = () => false,
): void {
  let shared: Runtime | null = null;
  const runtime = () => (shared ??= rt());
  test("known-difference entries name the right cases", () => checkKnown(known));
  for (const c of cases) {
    if (skip(c)) continue;
    const name = caseName(c);
    const body = () => expect(got(runCase(runtime(), c))).toEqual(expected(c));
    if (known.has(c.line)) test.failing(`${name} [known: ${known.get(c.line)![1]}]`, body);
    else test(name, body);
  }
}

describe.skipIf(ebin === null)(
  "OTP 25's own library .beam files on our VM match erl exactly",
  () => {
    replay(
      () => otpRuntime(ebin!),
      OTP_ON_VM,
      (c) => ({ kind: c.kind, raw: c.raw, normalised: c.normalised }),
      (g) => g,
    );
  },
);

describe("our library (natives + nifs/stdlib) matches erl after normalisation", () => {
  replay(
    ourRuntime,
    OUR_LIBRARY,
    (c) => ({ kind: c.kind, raw: "", normalised: c.normalised }),
    (g) => ({ kind: g.kind, raw: "", normalised: g.normalised }),
    (c) => NOT_PROVIDED.includes(subject(c)),
  );
});
