/**
 * `.aion` packages: the zip container the original engine writes, its
 * manifest, the content-hash version, validation, a deterministic writer, a
 * builder from a directory, and the JSON Schema check for workflow input.
 * See docs/package-format.md.
 *
 * Reading: `readPackage(bytes, fileName)` verifies container, manifest,
 * version and modules, and throws only {@link PackageError}.
 * Deploying: load each of `pkg.modules` under
 * `deployedModuleName(name, pkg.version)`; trust timeouts only from
 * `declaredTimeouts(pkg.manifest, pkg.versionForm)`.
 * Starting: `validateInput(schema, input)` returns the problems, if any.
 * Projects: `buildProject(dir)` builds one archive per `[[workflow]]` of a
 * project's workflow.toml (or the one of a flat workflow.toml);
 * `outputPaths` says where each goes; `runGleamBuild` is `--build`;
 * `compileErlangSources` / `compileElixirSources` run erlc / elixirc over `src/`.
 */
export { type BuiltPackage, buildPackage } from "./build.ts";
export { parseWorkflowConfig, readWorkflowConfig, type WorkflowConfig } from "./config.ts";
export {
  type Duration,
  formatDuration,
  parseHumanDuration,
  parseSerdeDuration,
} from "./duration.ts";
export {
  compileElixirSources,
  type ElixirBuildOptions,
  type ElixirBuildReport,
  elixirSources,
} from "./elixir-build.ts";
export { isSafeLogicalName } from "./entries.ts";
export {
  compileErlangSources,
  type ErlcBuildOptions,
  type ErlcBuildReport,
  erlangSources,
} from "./erlc-build.ts";
export { PackageError, type PackageErrorCode } from "./errors.ts";
export { type GleamBuildOptions, runGleamBuild } from "./gleam-build.ts";
export { DEFAULT_LIMITS, type ExtractionLimits, withLimits } from "./limits.ts";
export {
  type DeclaredActivity,
  FORMAT_VERSION,
  type JsonValue,
  type Manifest,
  type ManifestDraft,
  type WorkflowEntry,
  workflowTypes,
} from "./manifest.ts";
export { parseManifest, serializeManifest } from "./manifest-json.ts";
export {
  DEPLOYED_SEPARATOR,
  deployedModuleName,
  ENGINE_MODULES,
  parseDeployedModuleName,
  reservedReason,
} from "./names.ts";
export type { Package, PackageContents } from "./package.ts";
export { type BuiltProject, buildProject, type ProjectPackage } from "./project.ts";
export {
  type ExcludedModule,
  findProjectModules,
  type ProjectModules,
} from "./project-modules.ts";
export { outputPaths } from "./project-output.ts";
export type { ProjectConfig, ProjectWorkflow } from "./project-toml.ts";
export { type ReadOptions, readPackage } from "./read.ts";
export { type InputError, validateInput } from "./schema/validate-input.ts";
export { type ValidateOptions, validateModules, validatePackage } from "./validate.ts";
export {
  computeVersion,
  declaredTimeouts,
  TIMEOUTS_DOMAIN,
  type TimeoutEntry,
  type VersionForm,
  workflowTimeouts,
} from "./version.ts";
export {
  type PackageInput,
  type WriteOptions,
  type WrittenPackage,
  writePackage,
} from "./write.ts";
export { type Compression, writeZip, type ZipInput } from "./zip/write.ts";
