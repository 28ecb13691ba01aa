/** Running the `aion` CLI as a subprocess, and a worker subprocess, for the CLI tests. */
import { join } from "node:path";
import type { Subprocess } from "bun";
import { readLines } from "../store/subprocess.ts";

export const ROOT = join(import.meta.dir, "../..");
export const AION = join(ROOT, "bin/aion.ts");

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aion ARGS...` to completion. */
export function aion(...args: string[]): Promise<CliRun> {
  return aionWithStdin(undefined, ...args);
}

/** Runs `aion ARGS...` to completion with `stdin` as its standard input (none if undefined). */
export function aionWithStdin(stdin: string | undefined, ...args: string[]): Promise<CliRun> {
  return aionWith({ stdin }, ...args);
}

/** Runs `aion ARGS...` to completion with a standard input and extra environment variables. */
export async function aionWith(
  opts: { readonly stdin?: string; readonly env?: Readonly<Record<string, string>> },
  ...args: string[]
): Promise<CliRun> {
  const { stdin, env } = opts;
  const p = Bun.spawn(["bun", AION, ...args], {
    cwd: ROOT,
    env: env === undefined ? undefined : { ...process.env, ...env },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, stdout, stderr };
}

/** `aion ARGS... --json`, expecting exit 0; resolves with the parsed stdout. */
export async function aionJson(...args: string[]): Promise<unknown> {
  const r = await aion(...args, "--json");
  if (r.code !== 0)
    throw new Error(`aion ${args.join(" ")} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Starts `aion worker` on `db` and resolves once it announces on stderr that
 * it serves (it writes its endpoint file and listens first), however long the
 * start takes on a loaded machine. Rejects with its stderr if it exits first.
 */
export async function startWorker(db: string, activities: string): Promise<Subprocess> {
  const p = Bun.spawn(["bun", AION, "worker", "--db", db, activities], {
    cwd: ROOT,
    stdout: "ignore",
    stderr: "pipe",
  });
  let announced: () => void = () => {};
  const serving = new Promise<true>((resolve) => {
    announced = () => resolve(true);
  });
  // Read stderr to its end in the background, so the worker never blocks on a full pipe.
  const stderr = readLines(p.stderr, (line) => {
    if (line.startsWith("aion worker: serving ") && line.includes(`(pid ${p.pid})`)) announced();
  });
  const up = await Promise.race([serving, stderr.then(() => false as const)]);
  if (!up) {
    p.kill("SIGKILL");
    throw new Error(`worker exited ${await p.exited} before serving: ${(await stderr).join("\n")}`);
  }
  return p;
}

/**
 * Waits for workflow `id` to end (`aion result --wait`, which long-polls the
 * worker: no sleeps, no deadline of its own) and resolves with its `describe`
 * record, which must show `status`.
 */
export async function waitForStatus(
  db: string,
  id: string,
  status: string,
): Promise<Record<string, unknown>> {
  const ended = await aion("result", id, "--wait", "--db", db, "--json");
  if (ended.code !== 0 && ended.code !== 1)
    throw new Error(
      `aion result ${id} --wait exited ${ended.code}: ${ended.stdout}${ended.stderr}`,
    );
  const described = (await aionJson("describe", id, "--db", db)) as Record<string, unknown>;
  if (described.status !== status)
    throw new Error(`${id} ended ${JSON.stringify(described)}, not ${status}`);
  return described;
}
