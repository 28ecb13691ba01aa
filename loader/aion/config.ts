/**
 * Reading `<dir>/workflow.toml` in either of its forms:
 *
 * - the flat form (workflow-toml.ts): top-level manifest keys, one package;
 * - the project form (project-toml.ts): `[[workflow]]` tables (and an
 *   optional `[package]`), one archive per table, as the original CLI reads.
 *
 * A file with a `workflow` or `package` key is the project form. Every
 * problem is a `config` PackageError naming the file, the line (when it can
 * be found) and the key.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Fail } from "./config-values.ts";
import { PackageError } from "./errors.ts";
import type { ManifestDraft } from "./manifest.ts";
import { type ProjectConfig, parseProjectConfig } from "./project-toml.ts";
import { isSyntaxError, parseToml } from "./toml.ts";
import { parseFlatConfig } from "./workflow-toml.ts";

export const CONFIG_FILE = "workflow.toml";

/** What a `workflow.toml` says, by form. */
export type WorkflowConfig =
  | { readonly form: "flat"; readonly manifest: ManifestDraft; readonly includeSource: true }
  | ({ readonly form: "project" } & ProjectConfig);

/** Reads and checks `<dir>/workflow.toml`. */
export function readWorkflowConfig(dir: string): WorkflowConfig {
  const file = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PackageError("io", file, "(file)", `cannot read: ${(e as Error).message}`);
  }
  return parseWorkflowConfig(text, dir);
}

/** Parses `text` as the contents of `<dir>/workflow.toml`. */
export function parseWorkflowConfig(text: string, dir: string): WorkflowConfig {
  const file = join(dir, CONFIG_FILE);
  const parsed = parseToml(text);
  if (isSyntaxError(parsed)) {
    throw new PackageError(
      "config",
      file,
      "(syntax)",
      `not valid TOML: ${parsed.message}`,
      parsed.line,
    );
  }
  const fail: Fail = (key, detail) =>
    new PackageError("config", file, key, detail, parsed.lineOf(key));
  const doc = parsed.doc;
  if ("workflow" in doc || "package" in doc) {
    return { form: "project", ...parseProjectConfig(doc, dir, fail) };
  }
  return { form: "flat", manifest: parseFlatConfig(doc, dir, fail), includeSource: true };
}
