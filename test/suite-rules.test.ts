/**
 * Rules the test suite keeps so that it passes the same on a loaded machine
 * as on an idle one (issue 10): every test file sets its own default
 * timeout (bun applies a preload's to the first file only; see
 * test/timeouts.ts), never below the suite's, so a slow but correct test is
 * not failed by the load beside it.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { TEST_TIMEOUT_MS } from "./timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The argument of a top-level `setDefaultTimeout(...)` call, or undefined. */
function defaultTimeoutOf(source: string): string | undefined {
  return /^setDefaultTimeout\(([^)]*)\);$/m.exec(source)?.[1];
}

test("every test file sets a default timeout of at least the suite's", () => {
  const files = testFiles(import.meta.dir);
  expect(files.length).toBeGreaterThan(100);
  const offenders: string[] = [];
  for (const file of files) {
    const arg = defaultTimeoutOf(readFileSync(file, "utf8"));
    const ms = arg === "TEST_TIMEOUT_MS" ? TEST_TIMEOUT_MS : Number(arg?.replaceAll("_", ""));
    if (arg === undefined || !(ms >= TEST_TIMEOUT_MS))
      offenders.push(`${relative(import.meta.dir, file)}: ${arg ?? "no setDefaultTimeout"}`);
  }
  expect(offenders).toEqual([]);
});

test("the rule reads what a file sets", () => {
  expect(defaultTimeoutOf("import x;\nsetDefaultTimeout(60_000);\n")).toBe("60_000");
  expect(defaultTimeoutOf("  setDefaultTimeout(1);\n")).toBeUndefined();
  expect(defaultTimeoutOf("test('a', () => {});\n")).toBeUndefined();
});
