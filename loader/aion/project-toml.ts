/**
 * `workflow.toml`, project form: the descriptor Aion users already have
 * beside their Gleam project's `gleam.toml`. One `[[workflow]]` table per
 * archive to write; all of them are built from the project's one beam set.
 *
 * ```toml
 * [package]                                  # optional
 * include_source = true                      # default true: ship src/**\/*.gleam
 *
 * [[workflow]]                               # one or more
 * entry_module = "my_app@workflows@order"    # required; also the workflow type
 * entry_function = "run"                     # required
 * timeout_seconds = 3600                     # required, integer >= 1
 * input_schema = "schemas/input.json"        # required, JSON file inside the project
 * output_schema = "schemas/output.json"      # required, likewise
 * activities = ["charge"]                    # required, may be []
 * output = "order.aion"                      # optional; default <entry_module>.aion
 * ```
 *
 * Unknown tables and keys are refused, as in the original packager, so
 * typos fail loudly. Each entry becomes a manifest with no
 * `additional_workflows`: a child workflow is reached by its own entry
 * module, routed to its own archive.
 */
import { normalize } from "node:path";
import {
  checkKeys,
  confinedPath,
  describe,
  type Fail,
  isTable,
  requiredString,
  schemaFile,
} from "./config-values.ts";
import { isSafeLogicalName } from "./entries.ts";
import type { DeclaredActivity, ManifestDraft } from "./manifest.ts";
import { DEPLOYED_SEPARATOR } from "./names.ts";
import type { TomlTable } from "./toml.ts";

const TOP_KEYS = new Set(["package", "workflow"]);
const PACKAGE_KEYS = new Set(["include_source"]);
const WORKFLOW_KEYS = new Set([
  "entry_module",
  "entry_function",
  "timeout_seconds",
  "input_schema",
  "output_schema",
  "activities",
  "output",
]);
const AION = ".aion";

/** One `[[workflow]]` entry: the manifest to write and where. */
export interface ProjectWorkflow {
  readonly manifest: ManifestDraft;
  /** The archive path relative to the project root, normalized (`dist/x.aion`). */
  readonly output: string;
}

/** The project form of `workflow.toml`. */
export interface ProjectConfig {
  /** Ship the project's `src/**\/*.gleam` (never part of the version). */
  readonly includeSource: boolean;
  readonly workflows: readonly ProjectWorkflow[];
}

/** Reads the project form from a parsed `<root>/workflow.toml`. */
export function parseProjectConfig(doc: TomlTable, root: string, fail: Fail): ProjectConfig {
  for (const k of Object.keys(doc)) {
    if (TOP_KEYS.has(k)) continue;
    throw fail(
      k,
      isTable(doc[k])
        ? "unknown table (expected [package] or [[workflow]])"
        : "unknown key (a workflow.toml with [[workflow]] tables takes only [package] and [[workflow]]; put entry keys inside a [[workflow]] table)",
    );
  }
  const pkg = doc.package ?? {};
  if (!isTable(pkg)) throw fail("package", `must be a table ([package]), got ${describe(pkg)}`);
  checkKeys(pkg, PACKAGE_KEYS, "package.", fail);
  const includeSource = pkg.include_source ?? true;
  if (typeof includeSource !== "boolean") {
    throw fail("package.include_source", `must be true or false (got ${describe(includeSource)})`);
  }
  const list = doc.workflow;
  if (list === undefined) throw fail("workflow", "missing: declare at least one [[workflow]]");
  if (!Array.isArray(list) || list.length === 0 || !list.every(isTable)) {
    throw fail("workflow", "must be one or more [[workflow]] tables");
  }
  const workflows = list.map((w, i) => workflow(w, `workflow[${i}].`, root, fail));
  refuseRepeats(workflows, fail);
  return { includeSource, workflows };
}

function workflow(t: TomlTable, p: string, root: string, fail: Fail): ProjectWorkflow {
  checkKeys(t, WORKFLOW_KEYS, p, fail);
  const entryModule = requiredString(t, "entry_module", p, fail);
  if (!isSafeLogicalName(entryModule) || entryModule.includes(DEPLOYED_SEPARATOR)) {
    throw fail(`${p}entry_module`, `'${entryModule}' is not a usable module name`);
  }
  const manifest: ManifestDraft = {
    entry_module: entryModule,
    entry_function: requiredString(t, "entry_function", p, fail),
    input_schema: schemaFile(
      root,
      requiredString(t, "input_schema", p, fail),
      `${p}input_schema`,
      fail,
    ),
    output_schema: schemaFile(
      root,
      requiredString(t, "output_schema", p, fail),
      `${p}output_schema`,
      fail,
    ),
    timeout: { secs: timeoutSeconds(t, p, fail), nanos: 0 },
    activities: activities(t, p, fail),
  };
  const output = t.output === undefined ? entryModule + AION : requiredString(t, "output", p, fail);
  confinedPath(root, output, `${p}output`, fail);
  return { manifest, output: normalize(output) };
}

function timeoutSeconds(t: TomlTable, p: string, fail: Fail): number {
  const v = t.timeout_seconds;
  if (v === undefined) throw fail(`${p}timeout_seconds`, "missing");
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
    const got = typeof v === "number" ? String(v) : describe(v);
    throw fail(`${p}timeout_seconds`, `must be a whole number of seconds, at least 1 (got ${got})`);
  }
  return v;
}

/** Required (say `[]` for none), unique, non-empty names. */
function activities(t: TomlTable, p: string, fail: Fail): DeclaredActivity[] {
  const v = t.activities;
  const key = `${p}activities`;
  if (v === undefined) throw fail(key, "missing (write activities = [] for none)");
  if (!Array.isArray(v)) throw fail(key, `must be an array of strings (got ${describe(v)})`);
  const seen = new Set<string>();
  return v.map((a: unknown, i: number) => {
    if (typeof a !== "string" || a.length === 0) {
      throw fail(`${key}[${i}]`, `must be a non-empty string (got ${describe(a)})`);
    }
    if (seen.has(a)) throw fail(`${key}[${i}]`, `'${a}' is listed twice`);
    seen.add(a);
    return { activity_type: a };
  });
}

/** Entry modules are workflow types and outputs are files: neither may repeat. */
function refuseRepeats(workflows: readonly ProjectWorkflow[], fail: Fail): void {
  const modules = new Map<string, number>();
  const outputs = new Map<string, number>();
  workflows.forEach((w, i) => {
    const m = modules.get(w.manifest.entry_module);
    if (m !== undefined) {
      throw fail(
        `workflow[${i}].entry_module`,
        `'${w.manifest.entry_module}' is already the entry of workflow[${m}] (it is the workflow type, so it must be unique)`,
      );
    }
    modules.set(w.manifest.entry_module, i);
    const o = outputs.get(w.output);
    if (o !== undefined) {
      throw fail(`workflow[${i}].output`, `'${w.output}' is also written by workflow[${o}]`);
    }
    outputs.set(w.output, i);
  });
}
