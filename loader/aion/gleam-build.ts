/**
 * `aion package --build`: run `gleam build` in the project before packaging,
 * as the original CLI does. The compiler's own output goes to stderr (stdout
 * is the packager's report). Kept apart from the builder, which never starts
 * processes, so packaging itself stays a pure function of the files.
 */
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
  let status: number | null;
  try {
    // fd 2 for the child's stdout too: our stdout carries only the packager's report.
    status = Bun.spawnSync([gleam, "build"], {
      cwd: root,
      stdin: "ignore",
      stdout: 2,
      stderr: "inherit",
      env: { ...process.env, PATH: path },
    }).exitCode;
  } catch (e) {
    throw new PackageError(
      "build",
      root,
      "--build",
      `cannot run ${gleam}: ${(e as Error).message}`,
    );
  }
  if (status !== 0) {
    throw new PackageError(
      "build",
      root,
      "--build",
      `\`gleam build\` failed (exit status ${status})`,
    );
  }
}
