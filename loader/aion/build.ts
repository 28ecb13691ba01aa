/**
 * Building a package from a directory: `workflow.toml`, the compiled `.beam`
 * files directly inside the directory (the dependency closure, one file per
 * module, named after the module) and, if present, Gleam sources under
 * `src/`. Everything is read in sorted order and written with fixed metadata,
 * so building the same directory twice gives the same bytes.
 */
import { type Dirent, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PackageError } from "./errors.ts";
import { parseWorkflowToml } from "./workflow-toml.ts";
import { type WriteOptions, type WrittenPackage, writePackage } from "./write.ts";

const BEAM = ".beam";
const GLEAM = ".gleam";

/** {@link writePackage}'s result plus the default output path, `<dir>/<entry_module>.aion`. */
export interface BuiltPackage extends WrittenPackage {
  readonly defaultOutput: string;
}

/** Builds the `.aion` bytes for the package directory `dir`. */
export function buildPackage(dir: string, options: WriteOptions = {}): BuiltPackage {
  const config = join(dir, "workflow.toml");
  const manifest = parseWorkflowToml(readText(config), dir);
  const modules = new Map<string, Uint8Array>();
  for (const e of list(dir)) {
    if (e.isFile() && e.name.endsWith(BEAM) && e.name.length > BEAM.length) {
      modules.set(e.name.slice(0, -BEAM.length), readBytes(join(dir, e.name)));
    }
  }
  if (modules.size === 0) {
    throw new PackageError("config", dir, "*.beam", "no compiled .beam files in the directory");
  }
  const sources = new Map<string, Uint8Array>();
  const src = join(dir, "src");
  if (lstatSync(src, { throwIfNoEntry: false })?.isDirectory()) collectSources(src, "", sources);
  const written = writePackage({ manifest, modules, sources }, { fileName: dir, ...options });
  return { ...written, defaultOutput: join(dir, `${manifest.entry_module}.aion`) };
}

/**
 * Gleam sources under `src/`, by path without the extension. Symbolic links
 * are skipped so a build never reads outside the directory.
 */
function collectSources(at: string, prefix: string, out: Map<string, Uint8Array>): void {
  for (const e of list(at)) {
    const path = join(at, e.name);
    if (e.isDirectory()) collectSources(path, `${prefix}${e.name}/`, out);
    else if (e.isFile() && e.name.endsWith(GLEAM) && e.name.length > GLEAM.length) {
      out.set(prefix + e.name.slice(0, -GLEAM.length), readBytes(path));
    }
  }
}

/** Directory entries sorted by name, so reading order never depends on the filesystem. */
function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (e) {
    throw new PackageError("io", dir, "(directory)", `cannot list: ${(e as Error).message}`);
  }
}

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new PackageError("io", path, "(file)", `cannot read: ${(e as Error).message}`);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new PackageError("io", path, "(file)", `cannot read: ${(e as Error).message}`);
  }
}
