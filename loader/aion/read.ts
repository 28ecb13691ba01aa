/**
 * Reading a `.aion` archive: container, entry names, manifest, version, and
 * (unless disabled) the module checks of {@link validateModules}.
 */
import { classifyEntry } from "./entries.ts";
import { PackageError } from "./errors.ts";
import { DEFAULT_LIMITS, type ExtractionLimits } from "./limits.ts";
import { parseManifest } from "./manifest-json.ts";
import type { Package } from "./package.ts";
import { type ValidateOptions, validateModules } from "./validate.ts";
import { sortedModuleNames, verifyVersion } from "./version.ts";
import { readCentralDirectory } from "./zip/directory.ts";
import { extractEntry, locateEntries } from "./zip/extract.ts";

export interface ReadOptions {
  /** Extraction ceilings; defaults to {@link DEFAULT_LIMITS}. */
  readonly limits?: ExtractionLimits;
  /**
   * Module checks (entry module and functions, reserved names, beam names,
   * loadability). On by default; `false` reads structure, manifest and version only.
   */
  readonly validate?: boolean | ValidateOptions;
}

/**
 * Reads and verifies a package. Every problem is a {@link PackageError}
 * naming `fileName` and the entry or field at fault; nothing else escapes.
 */
export function readPackage(
  bytes: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
): Package {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const directory = readCentralDirectory(bytes, fileName, limits);
  const seen = new Set<string>();
  const kinds = directory.records.map((r) => {
    if (seen.has(r.name)) {
      throw new PackageError("duplicate_entry", fileName, r.name, "entry appears more than once");
    }
    seen.add(r.name);
    return classifyEntry(r.name, fileName);
  });
  if (!kinds.some((k) => k.kind === "manifest")) {
    throw new PackageError(
      "manifest_missing",
      fileName,
      "manifest.json",
      "the archive has no manifest",
    );
  }
  const located = locateEntries(bytes, fileName, directory, limits);
  let manifestBytes: Uint8Array = new Uint8Array();
  const modules = new Map<string, Uint8Array>();
  const sources = new Map<string, Uint8Array>();
  located.forEach((entry, i) => {
    const kind = kinds[i]!;
    if (kind.kind === "directory") {
      if (entry.record.uncompressedSize !== 0) {
        throw new PackageError("corrupt", fileName, entry.record.name, "directory entry has data");
      }
      return;
    }
    const data = extractEntry(entry, fileName);
    if (kind.kind === "manifest") manifestBytes = data;
    else if (kind.kind === "module") modules.set(kind.name, data);
    else sources.set(kind.name, data);
  });
  const manifest = parseManifest(manifestBytes, fileName);
  const contents = {
    manifest,
    modules: canonical(modules),
    sources: canonical(sources),
  };
  const versionForm = verifyVersion(manifest, contents.modules, fileName);
  if (options.validate !== false) {
    validateModules(contents, fileName, options.validate === true ? {} : options.validate);
  }
  return { ...contents, fileName, version: manifest.version, versionForm };
}

function canonical(m: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  return new Map(sortedModuleNames(m.keys()).map((k) => [k, m.get(k)!]));
}
