/** The in-memory form of a `.aion` package. */
import type { Manifest } from "./manifest.ts";
import type { VersionForm } from "./version.ts";

/** What a package holds, however it was obtained. */
export interface PackageContents {
  readonly manifest: Manifest;
  /** `.beam` bytes by logical module name, in canonical (UTF-8 byte) order. */
  readonly modules: ReadonlyMap<string, Uint8Array>;
  /** Gleam sources by logical name (`src/<name>.gleam`), in the same order. */
  readonly sources: ReadonlyMap<string, Uint8Array>;
}

/** A package read from an archive, with its version verified. */
export interface Package extends PackageContents {
  /** The file name given to `readPackage`, used in error messages. */
  readonly fileName: string;
  /** The verified content hash (equal to `manifest.version`). */
  readonly version: string;
  /** Which form of the hash the version is; only `timeouts` vouches for timeouts. */
  readonly versionForm: VersionForm;
}
