/**
 * Refusals of the deploy layer. Every one extends `DeployError` and carries a
 * stable `code`, so the CLI and the HTTP API map them to exit codes and
 * status codes without `instanceof` chains.
 */
import type { InputError, PackageErrorCode } from "../../loader/aion/index.ts";

/** Discriminant of every deploy error. */
export type DeployErrorCode =
  | "invalid-package"
  | "reserved-module"
  | "no-package"
  | "unknown-version"
  | "invalid-input"
  | "version-conflict";

/** Base class of every deploy error. */
export abstract class DeployError extends Error {
  abstract readonly code: DeployErrorCode;
}

/** The archive is not a valid `.aion` package (wraps the loader's `PackageError`). */
export class InvalidPackageError extends DeployError {
  override readonly name = "InvalidPackageError";
  readonly code: "invalid-package" | "reserved-module";
  constructor(
    readonly packageCode: PackageErrorCode,
    message: string,
  ) {
    super(message);
    this.code = packageCode === "reserved_module" ? "reserved-module" : "invalid-package";
  }
}

/**
 * A package's version is already deployed with a different manifest (the
 * version hashes the modules, not the schemas or activities). Refused rather
 * than overwritten: runs recorded under that version must keep meaning one
 * manifest.
 */
export class VersionConflictError extends DeployError {
  override readonly name = "VersionConflictError";
  readonly code = "version-conflict";
  constructor(
    readonly fileName: string,
    readonly version: string,
    /** The manifest fields that differ from the deployed package's. */
    readonly fields: readonly string[],
  ) {
    super(
      `${fileName}: version ${version} is already deployed with a different manifest ` +
        `(${fields.join(", ")} differ); the version hashes only the modules, so change a ` +
        "module (for example its -vsn attribute) to deploy a new version",
    );
  }
}

/** No deployed package serves this workflow type. */
export class NoPackageError extends DeployError {
  override readonly name = "NoPackageError";
  readonly code = "no-package";
  constructor(readonly workflowType: string) {
    super(`no package is deployed for workflow type ${workflowType}`);
  }
}

/** The requested version of a workflow type was never deployed. */
export class UnknownVersionError extends DeployError {
  override readonly name = "UnknownVersionError";
  readonly code = "unknown-version";
  constructor(
    readonly workflowType: string,
    readonly version: string,
  ) {
    super(`workflow type ${workflowType} has no deployed version ${version}`);
  }
}

/** The workflow input does not satisfy the package's input schema. */
export class InvalidInputError extends DeployError {
  override readonly name = "InvalidInputError";
  readonly code = "invalid-input";
  constructor(
    readonly workflowType: string,
    readonly problems: readonly InputError[],
  ) {
    super(
      `input of ${workflowType} does not match its schema: ${problems
        .map((p) => `${p.path}: ${p.message}`)
        .join("; ")}`,
    );
  }

  /** The JSON paths at fault, in report order. */
  get paths(): readonly string[] {
    return this.problems.map((p) => p.path);
  }
}
