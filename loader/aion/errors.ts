/**
 * The package layer's single error type. Every refusal while reading,
 * validating, writing or building a `.aion` package is a {@link PackageError}
 * whose `code` says what kind of problem it is and whose message names the
 * package file (with the line, for config files) and the entry, manifest
 * field or config key at fault.
 */

/** What went wrong, machine-readably. Stable: callers and tests switch on it. */
export type PackageErrorCode =
  // container
  | "truncated" // the bytes end inside a zip structure
  | "corrupt" // a zip structure is malformed, or data fails to inflate
  | "unsupported" // valid zip, but a feature we refuse (zip64, encryption, odd methods)
  | "limit" // a size, count or compression-ratio limit was exceeded
  | "crc" // an entry's CRC-32 does not match its data
  | "entry_path" // an entry name is unsafe or malformed
  | "duplicate_entry" // two entries have the same name
  | "unexpected_entry" // an entry outside manifest.json, beam/ and src/
  // manifest
  | "manifest_missing"
  | "manifest_json" // manifest.json is not UTF-8 JSON
  | "manifest_field" // a manifest field is missing or has the wrong shape
  | "format_version" // format_version is not 1
  | "version_mismatch" // the version is not the content hash in either form
  // modules
  | "entry_module_missing"
  | "entry_function_missing"
  | "reserved_module" // a module name the engine owns, or one containing `$`
  | "module_name_mismatch" // the .beam declares a different module than its file name
  | "beam_unloadable" // loadBeam refused the module
  | "duplicate_workflow" // two workflow entries share a workflow type
  // building
  | "config" // workflow.toml or a file it names is invalid
  | "not_built" // a Gleam project has no compiled modules yet
  | "build" // `gleam build` is not on PATH, or it failed
  | "io"; // a file could not be read or written

export class PackageError extends Error {
  override readonly name = "PackageError";

  constructor(
    readonly code: PackageErrorCode,
    /** The package (or build input) file the problem was found in. */
    readonly file: string,
    /** The archive entry, manifest field or config key at fault. */
    readonly where: string,
    /** What is wrong, without the location. */
    readonly detail: string,
    /** The 1-based line in `file` (config files), when known. */
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? "" : `:${line}`}: ${where}: ${detail}`);
  }

  /** `PackageError[code]: file: where: detail`, for logs and the CLI. */
  override toString(): string {
    return `PackageError[${this.code}]: ${this.message}`;
  }
}
