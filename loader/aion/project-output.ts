/**
 * Where the archives of a built project go. Without `-o`, each goes where
 * its config says (`output`, inside the project). With `-o OUT`:
 *
 * - one archive: OUT is the file, unless OUT is an existing directory or ends
 *   with a path separator, in which case the archive goes into it;
 * - several archives: OUT is a directory (made if missing) and each archive
 *   goes into it under its `output` file name; an OUT ending in `.aion` is
 *   refused, since it cannot hold several archives.
 *
 * `-o` is the caller's own path, so it may point outside the project.
 */
import { lstatSync } from "node:fs";
import { basename, join, sep } from "node:path";
import { PackageError } from "./errors.ts";
import type { BuiltProject } from "./project.ts";

/** The target path of each package of `built`, in order. */
export function outputPaths(built: BuiltProject, out?: string): string[] {
  const packages = built.packages;
  if (out === undefined) return packages.map((p) => p.output);
  const isDir =
    out.endsWith(sep) ||
    out.endsWith("/") ||
    lstatSync(out, { throwIfNoEntry: false })?.isDirectory();
  if (packages.length === 1 && !isDir) return [out];
  if (!isDir && out.endsWith(".aion")) {
    throw new PackageError(
      "config",
      out,
      "-o",
      `the project declares ${packages.length} workflows: give -o a directory, not a .aion file`,
    );
  }
  const seen = new Map<string, string>();
  return packages.map((p) => {
    const name = basename(p.output);
    const other = seen.get(name);
    if (other !== undefined) {
      throw new PackageError(
        "config",
        out,
        "-o",
        `${other} and ${p.workflowType} both write ${name}; give them distinct output file names`,
      );
    }
    seen.set(name, p.workflowType);
    return join(out, name);
  });
}
