/**
 * Running a project's build tool (erlc, elixirc, gleam) for `aion package`:
 * its output goes to our stderr (stdout carries only the packager's report),
 * and a tool that cannot start or exits non-zero is a `build` PackageError.
 */
import { PackageError } from "./errors.ts";

export interface BuildToolRun {
  /** The command and its arguments; `argv[0]` is the tool's path. */
  readonly argv: readonly string[];
  /** The project folder (the tool's working directory). */
  readonly root: string;
  /** The PATH the tool runs with. */
  readonly path: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** What a failure to start names (a file, a flag). */
  readonly startSubject: string;
  /** What a non-zero exit names. */
  readonly exitSubject: string;
  /** The failure text for a non-zero exit status. */
  readonly failed: (status: number | null) => string;
}

/** @throws PackageError (`build`) when the tool cannot run or fails */
export function runBuildTool(run: BuildToolRun): void {
  let status: number | null;
  try {
    status = Bun.spawnSync([...run.argv], {
      cwd: run.root,
      stdin: "ignore",
      stdout: 2,
      stderr: "inherit",
      env: { ...process.env, PATH: run.path, ...run.env },
    }).exitCode;
  } catch (e) {
    throw new PackageError(
      "build",
      run.root,
      run.startSubject,
      `cannot run ${run.argv[0]}: ${(e as Error).message}`,
    );
  }
  if (status !== 0) throw new PackageError("build", run.root, run.exitSubject, run.failed(status));
}
