/**
 * What each archive entry is. A package holds exactly three kinds of file:
 * `manifest.json`, `beam/<module>.beam` and `src/<path>.gleam`; anything
 * else, and any name that could mean something different on another system
 * (absolute, `..`, backslashes, empty or dot components, control characters,
 * drive letters), is refused before its data is read.
 */
import { PackageError } from "./errors.ts";

export const MANIFEST_ENTRY = "manifest.json";
const BEAM_PREFIX = "beam/";
const BEAM_SUFFIX = ".beam";
const SOURCE_PREFIX = "src/";
const SOURCE_SUFFIX = ".gleam";

/** An entry's role, with its logical name for modules and sources. */
export type EntryKind =
  | { readonly kind: "manifest" }
  | { readonly kind: "module"; readonly name: string }
  | { readonly kind: "source"; readonly name: string }
  | { readonly kind: "directory" };

/** Classifies an entry name, or throws a PackageError naming it. */
export function classifyEntry(entry: string, file: string): EntryKind {
  if (entry.endsWith("/")) {
    checkPath(entry.slice(0, -1), entry, file);
    if (entry.startsWith(BEAM_PREFIX) || entry.startsWith(SOURCE_PREFIX)) {
      return { kind: "directory" };
    }
    throw unexpected(entry, file);
  }
  checkPath(entry, entry, file);
  if (entry === MANIFEST_ENTRY) return { kind: "manifest" };
  if (entry.startsWith(BEAM_PREFIX)) {
    return { kind: "module", name: logicalName(entry, BEAM_PREFIX, BEAM_SUFFIX, file) };
  }
  if (entry.startsWith(SOURCE_PREFIX)) {
    return { kind: "source", name: logicalName(entry, SOURCE_PREFIX, SOURCE_SUFFIX, file) };
  }
  throw unexpected(entry, file);
}

/** The archive entry name for a module's logical name. */
export function moduleEntry(name: string): string {
  return BEAM_PREFIX + name + BEAM_SUFFIX;
}

/** The archive entry name for a source's logical name. */
export function sourceEntry(name: string): string {
  return SOURCE_PREFIX + name + SOURCE_SUFFIX;
}

/**
 * Whether a logical module or source name maps to a safe entry path: `/`
 * separated components, none empty, `.` or `..`, no backslash or control
 * characters, no drive letter.
 */
export function isSafeLogicalName(name: string): boolean {
  return pathProblem(name) === undefined;
}

function logicalName(entry: string, prefix: string, suffix: string, file: string): string {
  if (!entry.endsWith(suffix) || entry.length <= prefix.length + suffix.length) {
    throw new PackageError(
      "unexpected_entry",
      file,
      entry,
      `entries under ${prefix} must be named ${prefix}<name>${suffix}`,
    );
  }
  return entry.slice(prefix.length, -suffix.length);
}

function checkPath(path: string, entry: string, file: string): void {
  const problem = pathProblem(path);
  if (problem !== undefined) throw new PackageError("entry_path", file, entry, problem);
}

function pathProblem(path: string): string | undefined {
  if (path.length === 0) return "empty name";
  if (path.includes("\\")) return "backslash in name";
  if (path.startsWith("/")) return "absolute path";
  if (/^[A-Za-z]:/.test(path)) return "drive letter in name";
  if (/[\u0000-\u001f\u007f]/.test(path)) return "control character in name";
  for (const part of path.split("/")) {
    if (part === "") return "empty path component";
    if (part === "." || part === "..") return `'${part}' path component`;
  }
  return undefined;
}

function unexpected(entry: string, file: string): PackageError {
  return new PackageError(
    "unexpected_entry",
    file,
    entry,
    "a package holds only manifest.json, beam/<module>.beam and src/<path>.gleam",
  );
}
