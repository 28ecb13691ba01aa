/**
 * manifest.json to and from the {@link Manifest} model. Parsing checks every
 * field's presence and shape and names the field at fault; unknown fields are
 * ignored (as the original engine's serde model does), so newer writers can
 * add fields without breaking this reader. Writing emits the original key
 * order as compact JSON, omitting an absent `timeout` and an empty
 * `additional_workflows`, so the bytes are stable.
 */
import { type Duration, parseSerdeDuration } from "./duration.ts";
import { MANIFEST_ENTRY } from "./entries.ts";
import { PackageError } from "./errors.ts";
import {
  type DeclaredActivity,
  FORMAT_VERSION,
  type JsonValue,
  type Manifest,
  type WorkflowEntry,
} from "./manifest.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true });
type Fields = Readonly<Record<string, unknown>>;

/** Parses and shape-checks manifest.json. `format_version` is checked first. */
export function parseManifest(bytes: Uint8Array, file: string): Manifest {
  let doc: unknown;
  try {
    doc = JSON.parse(UTF8.decode(bytes));
  } catch (e) {
    throw new PackageError(
      "manifest_json",
      file,
      MANIFEST_ENTRY,
      `not UTF-8 JSON: ${(e as Error).message}`,
    );
  }
  const fail = (field: string, detail: string): PackageError =>
    new PackageError("manifest_field", file, `${MANIFEST_ENTRY}: ${field}`, detail);
  const root = object(doc, "(root)", fail);
  const format = root.format_version;
  if (format === undefined) throw fail("format_version", "missing field");
  if (format !== FORMAT_VERSION) {
    throw new PackageError(
      "format_version",
      file,
      `${MANIFEST_ENTRY}: format_version`,
      `format version ${JSON.stringify(format)} is not supported (only ${FORMAT_VERSION})`,
    );
  }
  const version = string(root, "version", fail);
  if (!/^[0-9a-f]{64}$/.test(version)) {
    throw fail("version", "must be 64 lowercase hexadecimal digits");
  }
  const extra = root.additional_workflows;
  if (extra !== undefined && extra !== null && !Array.isArray(extra)) {
    throw fail("additional_workflows", "must be a list");
  }
  const activities = root.activities;
  if (!Array.isArray(activities)) throw fail("activities", "must be a list");
  return {
    entry_module: string(root, "entry_module", fail),
    entry_function: string(root, "entry_function", fail),
    input_schema: schema(root, "input_schema", fail),
    output_schema: schema(root, "output_schema", fail),
    ...timeout(root, "timeout", fail),
    activities: activities.map((a, i) => activity(a, `activities[${i}]`, fail)),
    version,
    format_version: FORMAT_VERSION,
    additional_workflows: (extra ?? []).map((w: unknown, i: number) =>
      workflow(w, `additional_workflows[${i}]`, fail),
    ),
  };
}

/** The manifest as compact JSON bytes, keys in the original engine's order. */
export function serializeManifest(m: Manifest): Uint8Array {
  const doc: Record<string, unknown> = {
    entry_module: m.entry_module,
    entry_function: m.entry_function,
    input_schema: m.input_schema,
    output_schema: m.output_schema,
  };
  if (m.timeout !== undefined) doc.timeout = durationJson(m.timeout);
  doc.activities = m.activities.map((a) => ({ activity_type: a.activity_type }));
  doc.version = m.version;
  doc.format_version = m.format_version;
  if (m.additional_workflows.length > 0) {
    doc.additional_workflows = m.additional_workflows.map((w) => {
      const entry: Record<string, unknown> = {
        workflow_type: w.workflow_type,
        entry_module: w.entry_module,
        entry_function: w.entry_function,
        input_schema: w.input_schema,
        output_schema: w.output_schema,
      };
      if (w.timeout !== undefined) entry.timeout = durationJson(w.timeout);
      entry.internal = w.internal;
      return entry;
    });
  }
  return new TextEncoder().encode(JSON.stringify(doc));
}

type Fail = (field: string, detail: string) => PackageError;

function durationJson(d: Duration): { secs: number; nanos: number } {
  return { secs: d.secs, nanos: d.nanos };
}

function object(v: unknown, field: string, fail: Fail): Fields {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw fail(field, "must be an object");
  return v as Fields;
}

function string(o: Fields, key: string, fail: Fail, prefix = ""): string {
  const v = o[key];
  if (v === undefined) throw fail(prefix + key, "missing field");
  if (typeof v !== "string" || v.length === 0)
    throw fail(prefix + key, "must be a non-empty string");
  return v;
}

function schema(o: Fields, key: string, fail: Fail, prefix = ""): JsonValue {
  const v = o[key];
  if (v === undefined) throw fail(prefix + key, "missing field");
  if (typeof v !== "boolean" && (typeof v !== "object" || v === null || Array.isArray(v))) {
    throw fail(prefix + key, "must be a JSON Schema (an object or true/false)");
  }
  return v as JsonValue;
}

/** `{timeout}` when present, `{}` when absent or null (serde's Option). */
function timeout(o: Fields, key: string, fail: Fail, prefix = ""): { timeout?: Duration } {
  const v = o[key];
  if (v === undefined || v === null) return {};
  const d = parseSerdeDuration(v);
  if (typeof d === "string") throw fail(prefix + key, d);
  return { timeout: d };
}

function activity(v: unknown, field: string, fail: Fail): DeclaredActivity {
  return { activity_type: string(object(v, field, fail), "activity_type", fail, `${field}.`) };
}

function workflow(v: unknown, field: string, fail: Fail): WorkflowEntry {
  const o = object(v, field, fail);
  const p = `${field}.`;
  const internal = o.internal ?? false;
  if (typeof internal !== "boolean") throw fail(`${p}internal`, "must be true or false");
  return {
    workflow_type: string(o, "workflow_type", fail, p),
    entry_module: string(o, "entry_module", fail, p),
    entry_function: string(o, "entry_function", fail, p),
    input_schema: schema(o, "input_schema", fail, p),
    output_schema: schema(o, "output_schema", fail, p),
    ...timeout(o, "timeout", fail, p),
    internal,
  };
}
