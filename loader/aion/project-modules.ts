/**
 * Finding a project's compiled modules: the beam set every archive of the
 * project ships. Looked for, in order, in
 *
 * 1. `build/dev/erlang/<package>/ebin/*.beam`: what `gleam build` writes, one
 *    folder per package (the project and each dependency);
 * 2. `ebin/*.beam`: a rebar/erlc-style project;
 * 3. `*.beam` in the project root: the flat layout.
 *
 * The first place that has any `.beam` is used. The whole set is shipped, as
 * the original packager does (the dependency closure of the project, e.g.
 * gleam_stdlib included), except the Gleam SDK's test-only modules (below).
 * Files are read in sorted order and symbolic links are not followed, so the
 * same tree always gives the same modules and the build never leaves it.
 */
import { type Dirent, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PackageError } from "./errors.ts";

const BEAM = ".beam";
export const GLEAM_BUILD = join("build", "dev", "erlang");

/** The SDK package whose ebin also holds test machinery. */
const SDK_PACKAGE = "aion_flow";

/**
 * The SDK's in-process engine double (`aion_flow_ffi`, a name the engine
 * owns) and its `aion@testing` helpers: built for `gleam test`, never for
 * deploying. Left out only when they come from the SDK's own package; a
 * project module so named still fails packaging as reserved.
 */
function isSdkTestOnly(module: string): boolean {
  return (
    module === "aion_flow_ffi" || module === "aion@testing" || module.startsWith("aion@testing@")
  );
}

/** A compiled module found but deliberately not shipped. */
export interface ExcludedModule {
  readonly module: string;
  readonly package: string;
  readonly reason: "sdk_test_only";
}

/** The beam set of a project. */
export interface ProjectModules {
  /** `.beam` bytes by module name, in sorted order. */
  readonly modules: ReadonlyMap<string, Uint8Array>;
  /** Where the modules came from: `build/dev/erlang/*\/ebin`, `ebin` or `.`. */
  readonly layout: "gleam" | "ebin" | "root";
  readonly excluded: readonly ExcludedModule[];
}

/**
 * The compiled modules of the project at `root`.
 * @throws PackageError `not_built` for a Gleam project with nothing compiled,
 *   `config` when there is no `.beam` at all or two packages compile the same
 *   module, `io` when a file cannot be read.
 */
export function findProjectModules(root: string): ProjectModules {
  const gleam = fromGleamBuild(root);
  if (gleam !== undefined) return gleam;
  for (const [layout, at] of [
    ["ebin", join(root, "ebin")],
    ["root", root],
  ] as const) {
    const modules = new Map<string, Uint8Array>();
    if (isDirectory(at)) collectBeams(at, modules, () => undefined);
    if (modules.size > 0) return { modules, layout, excluded: [] };
  }
  if (isFile(join(root, "gleam.toml"))) {
    throw new PackageError(
      "not_built",
      root,
      GLEAM_BUILD,
      "the Gleam project has no compiled modules; run `gleam build` first (or package with --build)",
    );
  }
  throw new PackageError(
    "config",
    root,
    "*.beam",
    `no compiled .beam files in ${GLEAM_BUILD}/*/ebin, ebin/ or the directory itself`,
  );
}

function fromGleamBuild(root: string): ProjectModules | undefined {
  const build = join(root, GLEAM_BUILD);
  if (!isDirectory(build)) return undefined;
  const modules = new Map<string, Uint8Array>();
  const owner = new Map<string, string>();
  const excluded: ExcludedModule[] = [];
  for (const pkg of list(build)) {
    const ebin = join(build, pkg.name, "ebin");
    if (!pkg.isDirectory() || !isDirectory(ebin)) continue;
    collectBeams(ebin, modules, (module) => {
      if (pkg.name === SDK_PACKAGE && isSdkTestOnly(module)) {
        excluded.push({ module, package: pkg.name, reason: "sdk_test_only" });
        return "skip";
      }
      const first = owner.get(module);
      if (first !== undefined) {
        throw new PackageError(
          "config",
          root,
          join(GLEAM_BUILD, pkg.name, "ebin", module + BEAM),
          `module '${module}' is provided by both ${first} and ${pkg.name}; rename one`,
        );
      }
      owner.set(module, pkg.name);
      return undefined;
    });
  }
  return modules.size === 0 && excluded.length === 0
    ? undefined
    : { modules, layout: "gleam", excluded };
}

/** Adds every `<module>.beam` file in `dir` (not in sub-folders); `admit` may skip one. */
function collectBeams(
  dir: string,
  into: Map<string, Uint8Array>,
  admit: (module: string) => "skip" | undefined,
): void {
  for (const e of list(dir)) {
    if (!e.isFile() || !e.name.endsWith(BEAM) || e.name.length <= BEAM.length) continue;
    const module = e.name.slice(0, -BEAM.length);
    if (admit(module) === "skip") continue;
    into.set(module, readBytes(join(dir, e.name)));
  }
}

/** Directory entries sorted by name, so reading order never depends on the filesystem. */
export function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch (e) {
    throw new PackageError("io", dir, "(directory)", `cannot list: ${(e as Error).message}`);
  }
}

export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new PackageError("io", path, "(file)", `cannot read: ${(e as Error).message}`);
  }
}

function isDirectory(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
