/**
 * Writing a `.aion` archive: stamp the manifest with the version, check the
 * result like a reader would, and lay the entries out in canonical order
 * (manifest.json, then beam/ and src/ entries in UTF-8 byte order of their
 * logical names) with fixed metadata, so the same input gives the same bytes.
 */
import { isSafeLogicalName, MANIFEST_ENTRY, moduleEntry, sourceEntry } from "./entries.ts";
import { PackageError } from "./errors.ts";
import { FORMAT_VERSION, type Manifest, type ManifestDraft } from "./manifest.ts";
import { serializeManifest } from "./manifest-json.ts";
import type { PackageContents } from "./package.ts";
import { type ValidateOptions, validateModules } from "./validate.ts";
import {
  computeVersion,
  sortedModuleNames,
  type VersionForm,
  workflowTimeouts,
} from "./version.ts";
import { type Compression, writeZip } from "./zip/write.ts";

export interface PackageInput {
  /** The manifest without `version` and `format_version`; those are stamped. */
  readonly manifest: ManifestDraft;
  /** `.beam` bytes by logical module name (the module's own name). */
  readonly modules: ReadonlyMap<string, Uint8Array>;
  /** Optional Gleam sources by logical name (stored as `src/<name>.gleam`). */
  readonly sources?: ReadonlyMap<string, Uint8Array>;
}

export interface WriteOptions {
  /**
   * Which hash to stamp. Default: `timeouts` when any workflow has a timeout
   * (so the engine may trust it), otherwise `legacy` (readable by every
   * engine version and equally exact when there is nothing else to bind).
   */
  readonly versionForm?: VersionForm;
  /** Default `store`: byte-identical across machines (deflate output depends on the zlib build). */
  readonly compression?: Compression;
  /** Module checks before writing; on by default. */
  readonly validate?: boolean | ValidateOptions;
  /** Named in errors. */
  readonly fileName?: string;
}

export interface WrittenPackage extends PackageContents {
  /** The archive. */
  readonly bytes: Uint8Array;
  readonly version: string;
  readonly versionForm: VersionForm;
}

/** Builds the archive bytes for `input`. Throws {@link PackageError} on invalid input. */
export function writePackage(input: PackageInput, options: WriteOptions = {}): WrittenPackage {
  const file = options.fileName ?? "<new package>";
  const draft = input.manifest;
  const additional = draft.additional_workflows ?? [];
  const hasTimeout = draft.timeout !== undefined || additional.some((w) => w.timeout !== undefined);
  const versionForm = options.versionForm ?? (hasTimeout ? "timeouts" : "legacy");
  const modules = ordered(input.modules, file, "module");
  const sources = ordered(input.sources ?? new Map(), file, "source");
  const unstamped = { ...draft, additional_workflows: additional };
  const version =
    versionForm === "timeouts"
      ? computeVersion(modules, workflowTimeouts(unstamped))
      : computeVersion(modules);
  const manifest: Manifest = { ...unstamped, version, format_version: FORMAT_VERSION };
  const contents = { manifest, modules, sources };
  if (options.validate !== false) {
    validateModules(contents, file, options.validate === true ? {} : options.validate);
  }
  const bytes = writeZip(
    [
      { name: MANIFEST_ENTRY, data: serializeManifest(manifest) },
      ...[...modules].map(([name, data]) => ({ name: moduleEntry(name), data })),
      ...[...sources].map(([name, data]) => ({ name: sourceEntry(name), data })),
    ],
    options.compression ?? "store",
    file,
  );
  return { ...contents, bytes, version, versionForm };
}

/** The map in canonical order, refusing names that would make unsafe entry paths. */
function ordered(
  m: ReadonlyMap<string, Uint8Array>,
  file: string,
  what: "module" | "source",
): Map<string, Uint8Array> {
  for (const name of m.keys()) {
    if (!isSafeLogicalName(name)) {
      const entry = what === "module" ? moduleEntry(name) : sourceEntry(name);
      throw new PackageError("entry_path", file, entry, `unsafe ${what} name '${name}'`);
    }
  }
  return new Map(sortedModuleNames(m.keys()).map((k) => [k, m.get(k)!]));
}
