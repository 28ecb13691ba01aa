/**
 * Logger message text (nifs/kernel/logger.ts): each case of
 * fixtures/otp/logger/aion_logger_cases.erl logs one event, and the text our
 * logger writes after its `=LEVEL REPORT====` header must be what OTP 25's
 * logger_formatter made of the same event in real erl (recorded by
 * scripts/fixtures/otp-logger.sh): report_cb fun/1 and fun/2 (good, bad,
 * crashing), the default formatting of maps and key-value lists, lazy funs,
 * strings and formats. Needs no Erlang install.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DIR = join(import.meta.dir, "../../fixtures/otp/logger");
const recorded = readFileSync(join(DIR, "aion_logger_cases.expected"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => l.split("\t") as [string, string, string?]);
const cases = recorded.filter(([name]) => name !== "format_reports");
const reports = recorded.find(([name]) => name === "format_reports")![1];

const logged: string[] = [];
let rt: Runtime | null = null;
const runtime = () =>
  (rt ??= createRuntime({ clock: new ManualClock(), log: (t) => logged.push(t), paths: [DIR] }));

/** One logged event: its header's title and the message after the header line. */
function parse(text: string): { title: string; body: string } {
  const lines = text.split("\n");
  const header = /^=(.*)==== \d\d-\w\w\w-\d{4}::\d\d:\d\d:\d\d\.\d{6} ===$/.exec(lines[0]!);
  expect(header).not.toBeNull();
  expect(lines.at(-1)).toBe("");
  return { title: header![1]!, body: lines.slice(1, -1).join("\n") };
}

test("every case is recorded", () => expect(cases.length).toBeGreaterThanOrEqual(33));

describe("logger events format as OTP 25's logger_formatter", () => {
  for (const [name, hex, title] of cases) {
    test(name, () => {
      logged.length = 0;
      const o = runtime().callSync("aion_logger_cases", "run", [atom(name)], 5_000_000);
      expect(o).toEqual({ kind: "value", value: atom("ok") });
      expect(logged.length).toBe(1);
      expect(parse(logged[0]!)).toEqual({
        title: title!,
        body: Buffer.from(hex, "hex").toString("utf8"),
      });
    });
  }
});

test("logger:format_report/1 returns OTP's {Format, Args}", () => {
  const o = runtime().callSync("aion_logger_cases", "format_reports", []);
  expect(o.kind === "value" && formatW(o.value)).toBe(reports);
});

test("a message at a filtered level is not even read (logger:info(x) is ok)", () => {
  logged.length = 0;
  const o = runtime().callSync("logger", "info", [atom("x")]);
  expect(o).toEqual({ kind: "value", value: atom("ok") });
  expect(logged).toEqual([]);
});

test("a malformed message is function_clause when logged, as OTP's do_log_allowed", () => {
  const o = runtime().callSync("logger", "error", [atom("x")]);
  expect(o.kind === "exception" && o.reason).toBe(atom("function_clause"));
  const two = runtime().callSync("logger", "error", [atom("foo"), atom("bar")]);
  expect(two.kind === "exception" && two.reason).toBe(atom("function_clause"));
});
