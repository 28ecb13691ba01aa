/**
 * Building the one package of a directory: {@link buildProject} for a
 * `workflow.toml` that declares a single workflow (the flat form always
 * does). Kept as the simple entry point for one-package directories; a
 * project with several `[[workflow]]` entries is built with `buildProject`.
 */
import { join } from "node:path";
import { CONFIG_FILE } from "./config.ts";
import { PackageError } from "./errors.ts";
import { buildProject } from "./project.ts";
import type { WriteOptions, WrittenPackage } from "./write.ts";

/** {@link writePackage}'s result plus the default output path (flat form: `<dir>/<entry_module>.aion`). */
export interface BuiltPackage extends WrittenPackage {
  readonly defaultOutput: string;
}

/**
 * Builds the `.aion` bytes for the package directory `dir`.
 * @throws PackageError (`config` when workflow.toml declares several workflows)
 */
export function buildPackage(dir: string, options: WriteOptions = {}): BuiltPackage {
  const built = buildProject(dir, options);
  const [only, ...more] = built.packages;
  if (only === undefined || more.length > 0) {
    throw new PackageError(
      "config",
      join(dir, CONFIG_FILE),
      "workflow",
      `declares ${built.packages.length} workflows; build them with buildProject`,
    );
  }
  const { workflowType: _type, output, ...written } = only;
  return { ...written, defaultOutput: output };
}
