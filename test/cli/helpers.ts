/** Running the `aion` CLI as a subprocess, and a worker subprocess, for the CLI tests. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

export const ROOT = join(import.meta.dir, "../..");
const AION = join(ROOT, "bin/aion.ts");

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aion ARGS...` to completion. */
export async function aion(...args: string[]): Promise<CliRun> {
  const p = Bun.spawn(["bun", AION, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
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

/** Starts `aion worker` on `db` and waits until its endpoint file answers. */
export async function startWorker(db: string, activities: string): Promise<Subprocess> {
  const p = Bun.spawn(["bun", AION, "worker", "--db", db, activities], {
    cwd: ROOT,
    stdout: "ignore",
    stderr: "pipe",
  });
  const file = `${db}.worker.json`;
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const { pid, url } = JSON.parse(readFileSync(file, "utf8")) as { pid: number; url: string };
      if (pid === p.pid) {
        const ok = await fetch(`${url}/v1/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return p;
      }
    }
    if (p.exitCode !== null) break;
    await Bun.sleep(25);
  }
  p.kill("SIGKILL");
  throw new Error(`worker did not come up: ${await new Response(p.stderr).text()}`);
}

/** Polls `aion describe` until the workflow's status is `status` (bounded). */
export async function waitForStatus(
  db: string,
  id: string,
  status: string,
): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  for (let i = 0; i < 100; i++) {
    last = (await aionJson("describe", id, "--db", db)) as Record<string, unknown>;
    if (last.status === status) return last;
    await Bun.sleep(50);
  }
  throw new Error(`${id} never reached ${status}: ${JSON.stringify(last)}`);
}
