/** buildPackage: workflow.toml, directory contents, reproducibility, config errors. */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildPackage,
  computeVersion,
  readPackage,
  workflowTimeouts,
} from "../../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { expectPackageError, FIXTURES } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const HELLO = join(FIXTURES, "hello");
const scratch = mkdtempSync(join(tmpdir(), "aion-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A fresh package directory with the hello beams and the given workflow.toml. */
function dir(toml: string, files: Record<string, string> = {}): string {
  const d = join(scratch, `p${n++}`);
  mkdirSync(d);
  for (const m of ["hello_flow", "hello_util"])
    copyFileSync(join(HELLO, `${m}.beam`), join(d, `${m}.beam`));
  writeFileSync(join(d, "workflow.toml"), toml);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, ".."), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const BASE = 'entry_module = "hello_flow"\nentry_function = "run"\n';

describe("the hello fixture", () => {
  const built = buildPackage(HELLO);

  test("manifest mirrors workflow.toml", () => {
    const m = built.manifest;
    expect(m.entry_module).toBe("hello_flow");
    expect(m.timeout).toEqual({ secs: 300, nanos: 0 });
    expect(m.activities).toEqual([{ activity_type: "greet" }, { activity_type: "log" }]);
    expect(m.output_schema).toEqual({ type: "string" });
    expect(m.input_schema).toEqual({
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: { name: { type: "string", minLength: 1 } },
    });
    expect(m.additional_workflows).toEqual([
      {
        workflow_type: "hello_shout",
        entry_module: "hello_flow",
        entry_function: "shout",
        input_schema: { type: "object" },
        output_schema: { type: "string" },
        timeout: { secs: 1, nanos: 500_000_000 },
        internal: true,
      },
    ]);
    expect(built.defaultOutput).toBe(join(HELLO, "hello_flow.aion"));
  });

  test("version is the timeouts form over the directory's beams", () => {
    expect(built.versionForm).toBe("timeouts");
    expect(built.version).toBe(computeVersion(built.modules, workflowTimeouts(built.manifest)));
    const p = readPackage(built.bytes, "hello.aion");
    expect(p.version).toBe(built.version);
    expect([...p.sources.keys()]).toEqual(["hello_flow"]);
  });

  test("building twice gives identical bytes", () => {
    expect(buildPackage(HELLO).bytes).toEqual(built.bytes);
    const copy = dir(readFileSync(join(HELLO, "workflow.toml"), "utf8"), {
      "schemas/output.json": '{"type": "string"}',
      "src/hello_flow.gleam": new TextDecoder().decode(built.sources.get("hello_flow")),
    });
    // Same inputs in another directory (other file times, other inode order): same bytes.
    expect(buildPackage(copy).bytes).toEqual(built.bytes);
  });

  test("the minimal fixture has no timeout, so its version is the legacy form", () => {
    const min = buildPackage(join(FIXTURES, "minimal"));
    expect(min.versionForm).toBe("legacy");
    expect(min.manifest.input_schema).toBe(true);
    expect(min.manifest.activities).toEqual([]);
  });
});

describe("workflow.toml", () => {
  test("timeouts in every accepted spelling", () => {
    const cases: [string, { secs: number; nanos: number }][] = [
      ["90", { secs: 90, nanos: 0 }],
      ["2.5", { secs: 2, nanos: 500_000_000 }],
      ['"250ms"', { secs: 0, nanos: 250_000_000 }],
      ['"1h"', { secs: 3600, nanos: 0 }],
      ["{ secs = 7, nanos = 3 }", { secs: 7, nanos: 3 }],
    ];
    for (const [text, want] of cases) {
      expect(buildPackage(dir(`${BASE}timeout = ${text}\n`)).manifest.timeout).toEqual(want);
    }
  });

  test("activities as names or tables, schemas as files", () => {
    const d = dir(
      `${BASE}activities = ["a", { activity_type = "b" }]\ninput_schema = "in.json"\noutput_schema = false\n`,
      { "in.json": '{"type":"integer"}' },
    );
    const m = buildPackage(d).manifest;
    expect(m.activities).toEqual([{ activity_type: "a" }, { activity_type: "b" }]);
    expect(m.input_schema).toEqual({ type: "integer" });
    expect(m.output_schema).toBe(false);
  });

  const errors: [string, string, Record<string, string>?][] = [
    ["entry_module = ", "(syntax)"],
    ['entry_function = "run"\n', "entry_module"],
    [`${BASE}entry_modul = "x"\n`, "entry_modul"],
    [`${BASE}timeout = "soon"\n`, "timeout"],
    [`${BASE}timeout = -5\n`, "timeout"],
    [`${BASE}activities = "greet"\n`, "activities"],
    [`${BASE}activities = [1]\n`, "activities[0]"],
    [`${BASE}input_schema = "../../etc/passwd"\n`, "input_schema"],
    [`${BASE}input_schema = "/etc/passwd"\n`, "input_schema"],
    [`${BASE}input_schema = "missing.json"\n`, "input_schema"],
    [`${BASE}input_schema = "bad.json"\n`, "input_schema", { "bad.json": "{nope" }],
    [`${BASE}input_schema = "list.json"\n`, "input_schema", { "list.json": "[1]" }],
    [`${BASE}input_schema = 3\n`, "input_schema"],
    [`${BASE}[input_schema]\nwhen = 1979-05-27T07:32:00Z\n`, "input_schema.when"],
    [`${BASE}additional_workflows = 1\n`, "additional_workflows"],
    [
      `${BASE}[[additional_workflows]]\nworkflow_type = "t"\n`,
      "additional_workflows[0].entry_module",
    ],
    [`${BASE}[[additional_workflows]]\nbogus = 1\n`, "additional_workflows[0].bogus"],
  ];
  errors.forEach(([toml, where, files], i) => {
    test(`refuses a bad ${where} (case ${i})`, () => {
      const d = dir(toml, files);
      const err = expectPackageError(() => buildPackage(d), "config");
      expect(err.where).toBe(where);
      expect(err.file).toBe(join(d, "workflow.toml"));
    });
  });

  test("missing workflow.toml, no beams, and module errors", () => {
    const empty = join(scratch, "empty");
    mkdirSync(empty);
    expectPackageError(() => buildPackage(empty), "io");
    writeFileSync(join(empty, "workflow.toml"), BASE);
    expectPackageError(() => buildPackage(empty), "config");
    expectPackageError(
      () => buildPackage(dir(`entry_module = "hello_flow"\nentry_function = "walk"\n`)),
      "entry_function_missing",
    );
    expectPackageError(
      () => buildPackage(dir(`entry_module = "x"\nentry_function = "run"\n`)),
      "entry_module_missing",
    );
  });

  test("symbolic links under src/ are not followed", () => {
    const d = dir(BASE, { "src/real.gleam": "pub fn a() { 1 }" });
    symlinkSync(join(HELLO, "src"), join(d, "src", "linked"));
    symlinkSync(join(HELLO, "src", "hello_flow.gleam"), join(d, "src", "file.gleam"));
    expect([...buildPackage(d).sources.keys()]).toEqual(["real"]);
  });
});
