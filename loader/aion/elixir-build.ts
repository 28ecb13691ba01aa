/**
 * `aion package` on an Elixir project: compile `src/*.ex` into `ebin/` with
 * `elixirc`, then copy into `ebin/` the Elixir standard library modules the
 * project needs, from the user's own Elixir install (never from this
 * repository): the closure of its `Elixir.*` imports, plus every
 * implementation of each protocol in that closure (protocols find their
 * implementations by name at run time, which no import shows). The engine's
 * own Elixir module, `Aion.Workflow`, is provided by the engine, not copied.
 */
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { loadBeam } from "../load.ts";
import { runBuildTool } from "./build-tool.ts";
import { PackageError } from "./errors.ts";

/** Where to look for `elixirc`; tests pass their own PATH. */
export interface ElixirBuildOptions {
  /** A PATH-style list of folders; default: this process's PATH. */
  readonly path?: string;
  /** Modules the engine provides (not copied even if the install has them). */
  readonly provided?: ReadonlySet<string>;
  /** Folders of modules the sources call (the engine's `Aion.Workflow`), for elixirc's checks. */
  readonly codePath?: readonly string[];
}

/** What {@link compileElixirSources} did. */
export interface ElixirBuildReport {
  /** The sources compiled (relative paths), sorted. */
  readonly compiled: readonly string[];
  /** The Elixir standard library modules copied into ebin/, sorted. */
  readonly stdlib: readonly string[];
}

/** The `.ex` files directly under `src/`, sorted; none for a Gleam or Mix project. */
export function elixirSources(root: string): string[] {
  if (isFile(join(root, "gleam.toml")) || isFile(join(root, "mix.exs"))) return [];
  const src = join(root, "src");
  if (!lstatSync(src, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ex") && e.name.length > ".ex".length)
    .map((e) => join("src", e.name))
    .sort();
}

/**
 * Compiles the project's `src/*.ex` into `ebin/` and copies the standard
 * library modules they need beside them. Does nothing without sources.
 * @throws PackageError `build` when `elixirc` is not on PATH, a file does not
 *   compile, or the install's standard library cannot be found
 */
export function compileElixirSources(
  root: string,
  options: ElixirBuildOptions = {},
): ElixirBuildReport {
  const sources = elixirSources(root);
  if (sources.length === 0) return { compiled: [], stdlib: [] };
  const path = options.path ?? process.env.PATH ?? "";
  const elixirc = Bun.which("elixirc", { PATH: path });
  if (elixirc === null) {
    throw new PackageError(
      "build",
      root,
      sources[0]!,
      "`elixirc` is not on PATH: install Elixir (e.g. apt-get install elixir) to compile src/*.ex",
    );
  }
  const ebin = join(root, "ebin");
  mkdirSync(ebin, { recursive: true });
  runBuildTool({
    argv: [
      elixirc,
      "--ignore-module-conflict",
      "--no-docs",
      ...(options.codePath ?? []).flatMap((d) => ["-pa", d]),
      "-o",
      "ebin",
      ...sources,
    ],
    root,
    path,
    env: { ERL_COMPILER_OPTIONS: "deterministic" },
    startSubject: sources[0]!,
    exitSubject: sources.join(" "),
    failed: (status) => `\`elixirc\` failed (exit status ${status}); its messages are above`,
  });
  const stdlibDir = join(dirname(dirname(realpathSync(elixirc))), "lib", "elixir", "ebin");
  if (!lstatSync(stdlibDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new PackageError(
      "build",
      root,
      elixirc,
      `cannot find Elixir's standard library (looked in ${stdlibDir})`,
    );
  }
  const stdlib = stdlibClosure(ebin, stdlibDir, options.provided ?? new Set());
  for (const m of stdlib) copyFileSync(join(stdlibDir, `${m}.beam`), join(ebin, `${m}.beam`));
  return { compiled: sources, stdlib };
}

/**
 * The standard library modules (by name) that the modules in `ebin`
 * reach: imports followed transitively, and every implementation of each
 * protocol reached.
 */
function stdlibClosure(ebin: string, stdlibDir: string, provided: ReadonlySet<string>): string[] {
  const available = new Set(
    readdirSync(stdlibDir)
      .filter((f) => f.endsWith(".beam"))
      .map((f) => f.slice(0, -".beam".length)),
  );
  const own = readdirSync(ebin)
    .filter((f) => f.endsWith(".beam"))
    .map((f) => f.slice(0, -".beam".length))
    .filter((m) => !available.has(m));
  const found = new Set<string>();
  const queue = own.map((m) => join(ebin, `${m}.beam`));
  const reach = (m: string) => {
    if (available.has(m) && !provided.has(m) && !found.has(m)) {
      found.add(m);
      queue.push(join(stdlibDir, `${m}.beam`));
    }
  };
  while (queue.length > 0) {
    const file = queue.pop()!;
    const mod = loadBeam(new Uint8Array(readFileSync(file)), file);
    for (const i of mod.imports) reach(i.module.name);
    if (mod.exports.some((e) => e.name.name === "__protocol__")) {
      const prefix = `${mod.name.name}.`;
      for (const impl of available) if (impl.startsWith(prefix)) reach(impl);
    }
  }
  return [...found].sort();
}

function isFile(p: string): boolean {
  return lstatSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
