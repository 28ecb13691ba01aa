/**
 * Versioned deploys: `.aion` packages stored, routed and loaded under
 * `<module>$<version>` so several versions of a workflow run side by side.
 *
 * ```ts
 * const { engine, deployments } = await openDeployed({ store: "./aion.db" });
 * await deployments.deploy(await Bun.file("hello.aion").bytes(), "hello.aion");
 * const id = await deployments.start("hello_flow", { name: "Ada" });
 * ```
 */
export {
  type AttachOptions,
  Deployments,
  type DeployResult,
  reservedModules,
  type VersionInfo,
} from "./deployments.ts";
export { DORMANT_MODULE } from "./dormant.ts";
export {
  DeployError,
  type DeployErrorCode,
  InvalidInputError,
  InvalidPackageError,
  NoPackageError,
  UnknownVersionError,
  VersionConflictError,
} from "./errors.ts";
export { loadPackageModules, packageWorkflows } from "./load.ts";
export { manifestDifferences } from "./manifest-diff.ts";
export { type DeployedEngine, type OpenDeployedOptions, openDeployed } from "./open.ts";
export type { DeployedWorkflow } from "./registry.ts";
export { type ModuleMapping, renameModules, renameTerm } from "./rename.ts";
