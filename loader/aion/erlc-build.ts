/**
 * `aion package` on an Erlang project: compile `src/*.erl` into `ebin/`
 * with `erlc` before packaging, so a project made by `aion new` goes from
 * source to package in one command. `ebin/` is then the beam set the
 * builder ships (project-modules.ts). Kept apart from the builder, which
 * never starts processes, as gleam-build.ts is.
 *
 * Gleam projects are left alone (`gleam build` compiles their Erlang FFI
 * files), and so are flat directories, whose `.beam` files are what ships.
 */
import { lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runBuildTool } from "./build-tool.ts";
import { PackageError } from "./errors.ts";

/** Where to look for `erlc`; tests pass their own PATH. */
export interface ErlcBuildOptions {
  /** A PATH-style list of folders; default: this process's PATH. */
  readonly path?: string;
}

/** What {@link compileErlangSources} did. */
export interface ErlcBuildReport {
  /** The sources compiled (paths relative to the project), in sorted order. */
  readonly compiled: readonly string[];
}

/** The `.erl` files directly under `src/`, sorted; none for a Gleam project. */
export function erlangSources(root: string): string[] {
  if (isFile(join(root, "gleam.toml"))) return [];
  const src = join(root, "src");
  if (!lstatSync(src, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".erl") && e.name.length > ".erl".length)
    .map((e) => join("src", e.name))
    .sort();
}

/**
 * Compiles the project's `src/*.erl` into `ebin/` (`erlc +deterministic`,
 * so the same sources give the same package version). Does nothing when
 * there are none.
 * @throws PackageError `build` when `erlc` is not on PATH or a file does not compile
 */
export function compileErlangSources(
  root: string,
  options: ErlcBuildOptions = {},
): ErlcBuildReport {
  const sources = erlangSources(root);
  if (sources.length === 0) return { compiled: [] };
  const path = options.path ?? process.env.PATH ?? "";
  const erlc = Bun.which("erlc", { PATH: path });
  if (erlc === null) {
    throw new PackageError(
      "build",
      root,
      sources[0]!,
      "`erlc` is not on PATH: install Erlang/OTP (e.g. apt-get install erlang-base) to compile src/*.erl, " +
        "or compile them into ebin/ yourself and package that directory without src/",
    );
  }
  mkdirSync(join(root, "ebin"), { recursive: true });
  runBuildTool({
    argv: [erlc, "+deterministic", "-o", "ebin", ...sources],
    root,
    path,
    startSubject: sources[0]!,
    exitSubject: sources.join(" "),
    failed: (status) => `\`erlc\` failed (exit status ${status}); its messages are above`,
  });
  return { compiled: sources };
}

function isFile(p: string): boolean {
  return lstatSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
