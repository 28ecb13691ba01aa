/**
 * Crash recovery: a subprocess engine is SIGKILLed between record and effect
 * (child recorded, timer started, activity scheduled, continue-as-new
 * recorded, signal received) and with a query in flight; a new engine on the
 * same SQLite file must finish every workflow with the result and history of
 * an uninterrupted run.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "aion-engine-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runner = join(import.meta.dir, "crash-runner.ts");

async function spawn(
  db: string,
  mode: string,
  crash = "",
): Promise<{ code: number | null; out: string }> {
  const p = Bun.spawn(["bun", runner, db, mode], {
    env: { ...process.env, CRASH_AFTER: crash },
    stdout: "pipe",
    stderr: "inherit",
  });
  const out = await new Response(p.stdout).text();
  return { code: await p.exited, out };
}

let baseline: unknown;

describe("crash recovery", () => {
  test("uninterrupted baseline", async () => {
    const db = join(dir, "baseline.db");
    expect((await spawn(db, "run")).code).toBe(0);
    const r = await spawn(db, "finish");
    const { state: _state, ...rest } = JSON.parse(r.out) as { state: unknown };
    baseline = rest;
    expect(baseline).toMatchObject({
      results: { s1: { status: "Completed" }, cd: { status: "Completed" }, sig: { result: 3 } },
    });
  });

  for (const point of [
    "TimerStarted:1",
    "ActivityScheduled:1",
    "ChildWorkflowStarted:1",
    "WorkflowContinuedAsNew:1",
    "SignalReceived:2",
    "TimerFired:3",
    "query",
  ]) {
    test(`SIGKILL after ${point}`, async () => {
      const db = join(dir, `${point.replace(":", "-")}.db`);
      const first = await spawn(db, "run", point);
      expect(first.code).not.toBe(0);
      const r = await spawn(db, "finish");
      const { state, ...rest } = JSON.parse(r.out) as { state: unknown };
      expect(rest).toEqual(baseline as object);
      // A query right after restart is answered by the replayed workflow (or it already ended).
      expect(["saga", "AlreadyTerminalError"]).toContain(state as string);
    }, 20_000);
  }
});
