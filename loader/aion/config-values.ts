/**
 * Value readers shared by both forms of `workflow.toml` (flat and project):
 * each checks one key's shape and throws a `config` PackageError naming the
 * key (and, through `fail`, its line) when it is wrong.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { PackageError } from "./errors.ts";
import type { JsonValue } from "./manifest.ts";
import { formatSchemaProblem, schemaProblems } from "./schema/meta-schema.ts";
import type { TomlTable } from "./toml.ts";

/** Builds the error for `key` (a full path such as `workflow[1].output`). */
export type Fail = (key: string, detail: string) => PackageError;

/** A plain TOML table (not an array, date or other value). */
export function isTable(v: unknown): v is TomlTable {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}

/** Refuses keys outside `allowed`, so typos surface instead of being ignored. */
export function checkKeys(
  t: TomlTable,
  allowed: ReadonlySet<string>,
  prefix: string,
  fail: Fail,
): void {
  for (const k of Object.keys(t)) {
    if (!allowed.has(k))
      throw fail(prefix + k, `unknown key (expected one of: ${[...allowed].join(", ")})`);
  }
}

/** A required non-empty string. */
export function requiredString(t: TomlTable, key: string, prefix: string, fail: Fail): string {
  const v = t[key];
  if (v === undefined) throw fail(prefix + key, "missing");
  if (typeof v !== "string" || v.length === 0)
    throw fail(prefix + key, `must be a non-empty string (got ${describe(v)})`);
  return v;
}

/**
 * `relPath` resolved inside `root`, or a `config` error: absolute paths and
 * paths that climb out of the project are refused, so a config can never
 * make the packager read or write elsewhere.
 */
export function confinedPath(root: string, relPath: string, key: string, fail: Fail): string {
  const base = resolve(root);
  const path = resolve(base, relPath);
  const rel = relative(base, path);
  if (isAbsolute(relPath) || rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw fail(key, `'${relPath}' is outside the project directory`);
  }
  return path;
}

/** A JSON Schema document read from a file inside `root`: an object or true/false. */
export function schemaFile(root: string, relPath: string, key: string, fail: Fail): JsonValue {
  const path = confinedPath(root, relPath, key, fail);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw fail(key, `cannot read JSON from '${relPath}': ${(e as Error).message}`);
  }
  if (typeof doc !== "boolean" && !isTable(doc)) {
    throw fail(key, `'${relPath}' must hold a JSON object or true/false`);
  }
  const problems = schemaProblems(doc);
  if (problems.length > 0) {
    const what = problems.map(formatSchemaProblem).join("; ");
    throw fail(key, `'${relPath}' is not a valid JSON Schema: ${what}`);
  }
  return doc as JsonValue;
}

/** A short description of a TOML value's kind, for "must be X (got Y)" messages. */
export function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (isTable(v)) return "a table";
  if (typeof v === "string") return v.length === 0 ? "an empty string" : "a string";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a float";
  if (typeof v === "boolean") return "a boolean";
  return "a date or time";
}
