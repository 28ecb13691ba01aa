/**
 * Building every archive a project declares: read `workflow.toml` (either
 * form, config.ts), find the one beam set (project-modules.ts) and the
 * first-party Gleam sources under `src/`, and write one package per workflow
 * entry, all from those same modules. Nothing is written to disk here; the
 * caller picks the paths (project-output.ts) and writes the bytes.
 */
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { readWorkflowConfig } from "./config.ts";
import type { ManifestDraft } from "./manifest.ts";
import {
  type ExcludedModule,
  findProjectModules,
  list,
  type ProjectModules,
  readBytes,
} from "./project-modules.ts";
import { readPackage } from "./read.ts";
import { type WriteOptions, type WrittenPackage, writePackage } from "./write.ts";

const GLEAM = ".gleam";

/** One archive of a project. */
export interface ProjectPackage extends WrittenPackage {
  /** The workflow type it serves first: its entry module. */
  readonly workflowType: string;
  /** Where the config says to write it (the project root joined with `output`). */
  readonly output: string;
}

/** Everything {@link buildProject} made. */
export interface BuiltProject {
  readonly root: string;
  /** Which form of workflow.toml was read. */
  readonly form: "flat" | "project";
  /** Where the modules were found. */
  readonly layout: ProjectModules["layout"];
  /** One per workflow entry, in the config's order. */
  readonly packages: readonly ProjectPackage[];
  /** Compiled modules found and deliberately left out. */
  readonly excluded: readonly ExcludedModule[];
}

/**
 * Builds the archives of the project at `root`. The flat form gives one
 * package written by default to `<root>/<entry_module>.aion`.
 * @throws PackageError
 */
export function buildProject(root: string, options: WriteOptions = {}): BuiltProject {
  const config = readWorkflowConfig(root);
  const found = findProjectModules(root);
  const sources = new Map<string, Uint8Array>();
  const src = join(root, "src");
  if (config.includeSource && lstatSync(src, { throwIfNoEntry: false })?.isDirectory()) {
    collectSources(src, "", sources);
  }
  const entries: { manifest: ManifestDraft; output: string }[] =
    config.form === "flat"
      ? [{ manifest: config.manifest, output: `${config.manifest.entry_module}.aion` }]
      : config.workflows.map((w) => ({ manifest: w.manifest, output: w.output }));
  const packages = entries.map(({ manifest, output }) => {
    const written = writePackage(
      { manifest, modules: found.modules, sources },
      // Errors name the archive being built (the flat form: the directory, as always).
      { fileName: config.form === "flat" ? root : join(root, output), ...options },
    );
    // Prove the bytes read back (container, manifest, version) before anyone ships them.
    readPackage(written.bytes, join(root, output), { validate: false });
    return { ...written, workflowType: manifest.entry_module, output: join(root, output) };
  });
  return { root, form: config.form, layout: found.layout, packages, excluded: found.excluded };
}

/**
 * Gleam sources under `src/`, by path without the extension. Symbolic links
 * are skipped so a build never reads outside the directory.
 */
function collectSources(at: string, prefix: string, out: Map<string, Uint8Array>): void {
  for (const e of list(at)) {
    const path = join(at, e.name);
    if (e.isDirectory()) collectSources(path, `${prefix}${e.name}/`, out);
    else if (e.isFile() && e.name.endsWith(GLEAM) && e.name.length > GLEAM.length) {
      out.set(prefix + e.name.slice(0, -GLEAM.length), readBytes(path));
    }
  }
}
