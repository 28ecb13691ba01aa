/**
 * `workflow.toml`, flat form: how a package directory describes its manifest
 * (the project form, with `[[workflow]]` tables, is project-toml.ts). Keys mirror
 * manifest.json; durations may be written for humans ("30s", "5m", 90), and
 * schemas may be inline tables or paths (relative to the directory, and
 * confined to it) of JSON files. Unknown keys are refused so typos surface.
 *
 * ```toml
 * entry_module = "hello_flow"
 * entry_function = "run"
 * timeout = "5m"                  # optional
 * activities = ["greet"]          # optional
 * input_schema = "schemas/in.json" # or an inline table; default: true (anything)
 * [[additional_workflows]]        # optional, repeatable
 * workflow_type = "hello_shout"
 * entry_module = "hello_flow"
 * entry_function = "shout"
 * internal = false                # optional
 * ```
 */

import {
  checkKeys,
  type Fail,
  isTable,
  schemaFile,
  requiredString as str,
} from "./config-values.ts";
import { type Duration, parseHumanDuration, parseSerdeDuration } from "./duration.ts";
import type { DeclaredActivity, JsonValue, ManifestDraft, WorkflowEntry } from "./manifest.ts";
import type { TomlTable as Table } from "./toml.ts";

const TOP_KEYS = new Set([
  "entry_module",
  "entry_function",
  "timeout",
  "activities",
  "input_schema",
  "output_schema",
  "additional_workflows",
]);
const WORKFLOW_KEYS = new Set([
  "workflow_type",
  "entry_module",
  "entry_function",
  "timeout",
  "input_schema",
  "output_schema",
  "internal",
]);

/**
 * Reads the flat form from a parsed `<dir>/workflow.toml` (see config.ts)
 * into a manifest draft; `fail` builds the error for a key.
 */
export function parseFlatConfig(doc: Table, dir: string, fail: Fail): ManifestDraft {
  checkKeys(doc, TOP_KEYS, "", fail);
  const extra = doc.additional_workflows ?? [];
  if (!Array.isArray(extra)) throw fail("additional_workflows", "must be an array of tables");
  return {
    entry_module: str(doc, "entry_module", "", fail),
    entry_function: str(doc, "entry_function", "", fail),
    input_schema: schema(doc, "input_schema", "", dir, fail),
    output_schema: schema(doc, "output_schema", "", dir, fail),
    ...timeout(doc, "timeout", "", fail),
    activities: activities(doc.activities, fail),
    additional_workflows: extra.map((w: unknown, i: number) =>
      workflow(w, `additional_workflows[${i}].`, dir, fail),
    ),
  };
}

function workflow(v: unknown, p: string, dir: string, fail: Fail): WorkflowEntry {
  if (!isTable(v)) throw fail(p.slice(0, -1), "must be a table");
  checkKeys(v, WORKFLOW_KEYS, p, fail);
  const internal = v.internal ?? false;
  if (typeof internal !== "boolean") throw fail(`${p}internal`, "must be true or false");
  return {
    workflow_type: str(v, "workflow_type", p, fail),
    entry_module: str(v, "entry_module", p, fail),
    entry_function: str(v, "entry_function", p, fail),
    input_schema: schema(v, "input_schema", p, dir, fail),
    output_schema: schema(v, "output_schema", p, dir, fail),
    ...timeout(v, "timeout", p, fail),
    internal,
  };
}

function timeout(t: Table, key: string, p: string, fail: Fail): { timeout?: Duration } {
  const v = t[key];
  if (v === undefined) return {};
  const d = isTable(v) ? parseSerdeDuration(v) : parseHumanDuration(v);
  if (typeof d === "string") throw fail(p + key, d);
  return { timeout: d };
}

function activities(v: unknown, fail: Fail): DeclaredActivity[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw fail("activities", "must be an array");
  return v.map((a: unknown, i: number) => {
    const name = isTable(a) ? a.activity_type : a;
    if (typeof name !== "string" || name.length === 0) {
      throw fail(`activities[${i}]`, "must be an activity type name (or { activity_type = ... })");
    }
    return { activity_type: name };
  });
}

/** An inline schema, or a JSON file named relative to (and inside) `dir`; default `true`. */
function schema(t: Table, key: string, p: string, dir: string, fail: Fail): JsonValue {
  const v = t[key];
  if (v === undefined) return true;
  if (typeof v === "boolean") return v;
  if (isTable(v)) return json(v, p + key, fail);
  if (typeof v !== "string")
    throw fail(p + key, "must be a table, true/false, or a JSON file path");
  return schemaFile(dir, v, p + key, fail);
}

/** TOML values that have no JSON form (dates, times) are refused. */
function json(v: unknown, key: string, fail: Fail): JsonValue {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw fail(key, "non-finite numbers have no JSON form");
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => json(x, `${key}[${i}]`, fail));
  if (isTable(v)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) {
      // defineProperty, not assignment: a "__proto__" key must stay a plain key.
      Object.defineProperty(out, k, {
        value: json(x, `${key}.${k}`, fail),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  throw fail(key, "value has no JSON form (dates and times are not allowed in schemas)");
}
