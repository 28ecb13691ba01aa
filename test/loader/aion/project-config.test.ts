/**
 * The project form of workflow.toml ([[workflow]] tables): what it yields, and
 * that every bad input is a `config` PackageError naming the file, the line
 * and the key. Also the line locator behind those errors.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseWorkflowConfig } from "../../../loader/aion/index.ts";
import { isSyntaxError, parseToml } from "../../../loader/aion/toml.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { expectPackageError } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const scratch = mkdtempSync(join(tmpdir(), "aion-project-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
mkdirSync(join(scratch, "schemas"));
writeFileSync(join(scratch, "schemas", "in.json"), '{"type":"object"}');
writeFileSync(join(scratch, "schemas", "out.json"), "true");
writeFileSync(join(scratch, "schemas", "list.json"), "[1, 2]");
writeFileSync(join(scratch, "schemas", "broken.json"), "{nope");
const FILE = join(scratch, "workflow.toml");

/** A complete [[workflow]] table for `module`, with `extra` lines appended. */
function entry(module: string, extra = ""): string {
  return [
    "[[workflow]]",
    `entry_module = "${module}"`,
    'entry_function = "run"',
    "timeout_seconds = 60",
    'input_schema = "schemas/in.json"',
    'output_schema = "schemas/out.json"',
    'activities = ["a", "b"]',
    extra,
  ].join("\n");
}

/** The same table without `key`. */
function without(key: string, module = "m"): string {
  return entry(module)
    .split("\n")
    .filter((l) => !l.startsWith(`${key} =`))
    .join("\n");
}

describe("a valid project", () => {
  test("yields one manifest draft per [[workflow]], in order, with outputs", () => {
    const toml = `[package]\ninclude_source = false\n\n${entry("app@one", 'output = "dist/./one.aion"')}\n${entry("app@two")}\n`;
    const c = parseWorkflowConfig(toml, scratch);
    if (c.form !== "project") throw new Error(`read as ${c.form}`);
    expect(c.includeSource).toBe(false);
    expect(c.workflows.map((w) => w.output)).toEqual(["dist/one.aion", "app@two.aion"]);
    expect(c.workflows[0]!.manifest).toEqual({
      entry_module: "app@one",
      entry_function: "run",
      input_schema: { type: "object" },
      output_schema: true,
      timeout: { secs: 60, nanos: 0 },
      activities: [{ activity_type: "a" }, { activity_type: "b" }],
    });
  });

  test("include_source defaults to true; activities may be empty", () => {
    const c = parseWorkflowConfig(entry("m").replace('["a", "b"]', "[]"), scratch);
    if (c.form !== "project") throw new Error(`read as ${c.form}`);
    expect(c.includeSource).toBe(true);
    expect(c.workflows[0]!.manifest.activities).toEqual([]);
  });

  test("a file without [[workflow]] or [package] is the flat form", () => {
    const c = parseWorkflowConfig('entry_module = "m"\nentry_function = "run"\n', scratch);
    expect(c.form).toBe("flat");
  });
});

// [toml, key named, line named, words the detail must contain]
const errors: [string, string, number, string][] = [
  // bad TOML
  ['[[workflow]]\nentry_module = "m\n', "(syntax)", 2, "not valid TOML"],
  [`${entry("m")}\nentry_module = "again"\n`, "(syntax)", 9, "redefine"],
  ['# header\n\n[[workflow]\nentry_module = "m"\n', "(syntax)", 3, "not valid TOML"],
  // missing keys
  [without("entry_module"), "workflow[0].entry_module", 1, "missing"],
  [without("entry_function"), "workflow[0].entry_function", 1, "missing"],
  [without("timeout_seconds"), "workflow[0].timeout_seconds", 1, "missing"],
  [without("input_schema"), "workflow[0].input_schema", 1, "missing"],
  [without("output_schema"), "workflow[0].output_schema", 1, "missing"],
  [without("activities"), "workflow[0].activities", 1, "activities = []"],
  [`${entry("a")}\n${without("entry_function", "b")}`, "workflow[1].entry_function", 9, "missing"],
  ["[package]\ninclude_source = true\n", "workflow", 0, "at least one [[workflow]]"],
  // wrong types
  [
    entry("m").replace("timeout_seconds = 60", 'timeout_seconds = "60"'),
    "workflow[0].timeout_seconds",
    4,
    "got a string",
  ],
  [
    entry("m").replace("timeout_seconds = 60", "timeout_seconds = 0"),
    "workflow[0].timeout_seconds",
    4,
    "at least 1",
  ],
  [
    entry("m").replace("timeout_seconds = 60", "timeout_seconds = 1.5"),
    "workflow[0].timeout_seconds",
    4,
    "whole number",
  ],
  [
    entry("m").replace('entry_function = "run"', "entry_function = 3"),
    "workflow[0].entry_function",
    3,
    "got an integer",
  ],
  [entry("m").replace('["a", "b"]', '"a"'), "workflow[0].activities", 7, "array of strings"],
  [entry("m").replace('["a", "b"]', '["a", 2]'), "workflow[0].activities[1]", 7, "got an integer"],
  [entry("m").replace('["a", "b"]', '["a", "a"]'), "workflow[0].activities[1]", 7, "twice"],
  [entry("m", "output = true"), "workflow[0].output", 8, "got a boolean"],
  [
    entry("m").replace('"schemas/in.json"', '{ type = "object" }'),
    "workflow[0].input_schema",
    5,
    "got a table",
  ],
  [
    `[package]\ninclude_source = "yes"\n${entry("m")}`,
    "package.include_source",
    2,
    "true or false",
  ],
  ['workflow = "m"\n', "workflow", 1, "[[workflow]] tables"],
  ['[workflow]\nentry_module = "m"\n', "workflow", 1, "[[workflow]] tables"],
  ['package = 1\n[[workflow]]\nentry_module = "m"\n', "package", 1, "must be a table"],
  // unknown tables and keys
  [`${entry("m")}\n[deploy]\nnamespace = "x"\n`, "deploy", 9, "unknown table"],
  [`${entry("m")}\n[package]\ncompress = true\n`, "package.compress", 10, "unknown key"],
  [entry("m", "entry_modul = 'x'"), "workflow[0].entry_modul", 8, "unknown key"],
  [`entry_function = "run"\n${entry("m")}`, "entry_function", 1, "inside a [[workflow]]"],
  // schema files, paths and repeats
  [
    entry("m").replace("schemas/in.json", "schemas/none.json"),
    "workflow[0].input_schema",
    5,
    "cannot read JSON",
  ],
  [
    entry("m").replace("schemas/in.json", "schemas/broken.json"),
    "workflow[0].input_schema",
    5,
    "cannot read JSON",
  ],
  [
    entry("m").replace("schemas/out.json", "schemas/list.json"),
    "workflow[0].output_schema",
    6,
    "JSON object or true/false",
  ],
  [
    entry("m").replace("schemas/in.json", "../in.json"),
    "workflow[0].input_schema",
    5,
    "outside the project",
  ],
  [entry("m", 'output = "/tmp/x.aion"'), "workflow[0].output", 8, "outside the project"],
  [entry("m", 'output = "a/../../x.aion"'), "workflow[0].output", 8, "outside the project"],
  [entry("m").replace('"m"', '"m$1"'), "workflow[0].entry_module", 2, "not a usable module name"],
  [
    `${entry("m")}\n${entry("m")}`,
    "workflow[1].entry_module",
    10,
    "already the entry of workflow[0]",
  ],
  [
    `${entry("a", 'output = "x.aion"')}\n${entry("b", 'output = "./x.aion"')}`,
    "workflow[1].output",
    16,
    "also written by workflow[0]",
  ],
];

describe("bad input is a config error naming file, line and key", () => {
  errors.forEach(([toml, key, line, words], i) => {
    test(`${key} (case ${i})`, () => {
      const err = expectPackageError(() => parseWorkflowConfig(toml, scratch), "config");
      expect(err.file).toBe(FILE);
      expect(err.where).toBe(key);
      if (line > 0) {
        expect(err.line).toBe(line);
        expect(err.message).toStartWith(`${FILE}:${line}: ${key}: `);
      } else {
        expect(err.line).toBeUndefined();
      }
      expect(err.detail).toContain(words);
    });
  });
});

describe("the TOML line locator", () => {
  const text = [
    "top = 1", // 1
    "[package]", // 2
    "  include_source = false", // 3
    "[[workflow]]", // 4
    'entry_module = "a"', // 5
    "[workflow.extra]", // 6
    "deep = 2", // 7
    "[[workflow]]", // 8
    'notes = """', // 9
    "fake = 1", // 10: inside a multi-line string
    '"""', // 11
    "activities = [", // 12
    '  "x",', // 13
    "]", // 14
    '"quoted key" = 3', // 15
  ].join("\n");
  const parsed = parseToml(text);
  if (isSyntaxError(parsed)) throw new Error(parsed.message);

  test("finds headers, keys, sub-tables of array elements and quoted keys", () => {
    expect(parsed.lineOf("top")).toBe(1);
    expect(parsed.lineOf("package")).toBe(2);
    expect(parsed.lineOf("package.include_source")).toBe(3);
    expect(parsed.lineOf("workflow[0]")).toBe(4);
    expect(parsed.lineOf("workflow[0].entry_module")).toBe(5);
    expect(parsed.lineOf("workflow[0].extra.deep")).toBe(7);
    expect(parsed.lineOf("workflow[1]")).toBe(8);
    expect(parsed.lineOf("workflow[1].activities[0]")).toBe(12);
    expect(parsed.lineOf("workflow[1].quoted key")).toBe(15);
  });

  test("skips multi-line strings and falls back to the nearest written ancestor", () => {
    expect(parsed.lineOf("workflow[1].fake")).toBe(8);
    expect(parsed.lineOf("workflow[1].missing")).toBe(8);
    expect(parsed.lineOf("nowhere")).toBeUndefined();
  });

  test("a syntax error after a multi-line array is placed on its own line", () => {
    const r = parseToml("a = [\n  1,\n  2,\n]\nb = \n");
    expect(isSyntaxError(r) && r.line).toBe(5);
  });
});
