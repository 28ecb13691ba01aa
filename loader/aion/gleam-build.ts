/**
 * `aion package --build`: run `gleam build` in the project before packaging,
 * as the original CLI does. The compiler's own output goes to stderr (stdout
 * is the packager's report). Kept apart from the builder, which never starts
 * processes, so packaging itself stays a pure function of the files.
 */

import { runBuildTool } from "./build-tool.ts";
import { PackageError } from "./errors.ts";

/** Where to look for `gleam`; tests pass their own PATH. */
export interface GleamBuildOptions {
  /** A PATH-style list of folders; default: this process's PATH. */
  readonly path?: string;
}

/**
 * Runs `gleam build` in `root` and waits for it.
 * @throws PackageError `build` when `gleam` is not on PATH or the build fails
 */
export function runGleamBuild(root: string, options: GleamBuildOptions = {}): void {
  const path = options.path ?? process.env.PATH ?? "";
  const gleam = Bun.which("gleam", { PATH: path });
  if (gleam === null) {
    throw new PackageError(
      "build",
      root,
      "--build",
      "`gleam` is not on PATH: install Gleam, or run `gleam build` yourself and package without --build",
    );
  }
  runBuildTool({
    argv: [gleam, "build"],
    root,
    path,
    startSubject: "--build",
    exitSubject: "--build",
    failed: (status) => `\`gleam build\` failed (exit status ${status})`,
  });
}
