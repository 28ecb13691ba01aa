/**
 * A JS exception inside a native (a VM bug, not Erlang's) must not pass for
 * an Erlang exception: the process ends with
 * `exit:{aion_internal_error, <<"TypeError: ...">>}` whatever `try` it is in,
 * monitors see that reason, and the JS stack is logged.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { formatW } from "../../terms/format.ts";
import { defineNatives, ManualClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DIR = join(import.meta.dir, "../../fixtures/vm");

function runtime(log: string[]) {
  const failing = defineNatives("probe_host", {
    "boom/0": () => {
      throw new TypeError("m.get is not a function");
    },
    "limit/0": () => {
      throw new RangeError("Maximum call stack size exceeded");
    },
  });
  const rt = createRuntime({
    clock: new ManualClock(),
    paths: [DIR],
    natives: [failing],
    log: (t) => log.push(t),
  });
  rt.code.loadFile(join(DIR, "internal_error_probe.beam"));
  return rt;
}

test("a TypeError in a native ends the process, uncaught, as aion_internal_error", () => {
  const log: string[] = [];
  const o = runtime(log).callSync("internal_error_probe", "caught", []);
  expect(o.kind).toBe("exception");
  if (o.kind !== "exception") return;
  expect(o.cls).toBe("exit");
  expect(formatW(o.reason)).toBe(
    "{aion_internal_error,<<84,121,112,101,69,114,114,111,114,58,32,109,46,103,101,116,32,105,115,32,110,111,116,32,97,32,102,117,110,99,116,105,111,110>>}",
  );
  const report = log.join("");
  expect(report).toContain("Internal VM error in process");
  expect(report).toContain("TypeError: m.get is not a function");
  // The JS stack, pointing into this test's native.
  expect(report).toContain("internal-error.test.ts");
});

test("monitors and links see the internal error as the exit reason", () => {
  const o = runtime([]).callSync("internal_error_probe", "watched", []);
  expect(o.kind).toBe("value");
  if (o.kind !== "value") return;
  expect(formatW(o.value)).toStartWith("{down,{aion_internal_error,<<84,121,112,101,69");
});

test("a JS stack overflow stays an Erlang system_limit, which code may catch", () => {
  const o = runtime([]).callSync("internal_error_probe", "limited", []);
  expect(o.kind === "value" && formatW(o.value)).toBe("{caught,error,system_limit}");
});
