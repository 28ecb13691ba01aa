/**
 * Crash recovery: a subprocess engine is SIGKILLed between record and effect
 * (child recorded, timer started, activity scheduled, continue-as-new
 * recorded, signal received, signal sent but not delivered) and with a query
 * in flight; a new engine on the same SQLite file must finish every workflow
 * with the result and history of an uninterrupted run, except that an
 * activity attempt in flight at the kill runs again (at-least-once: see
 * rerun-compare.ts). A sent signal also
 * survives a second crash during the recovery that redelivers it, and reaches
 * its target exactly once.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { compareModuloReruns } from "./rerun-compare.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-engine-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runner = join(import.meta.dir, "crash-runner.ts");
// Each test runs two or three `bun` subprocesses on a SQLite file: about a
// second when idle, several times that on a loaded machine. The timeouts
// (120 s) only stop a hang.

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

type Finished = { results: unknown; histories: Record<string, string[]>; state: unknown };

/**
 * The recovered run against the baseline: identical results; identical
 * histories except for activity attempts re-run because a kill landed while
 * they ran (at-least-once), and each activity ran at most once more per kill.
 */
function expectSameAsBaseline(rest: Omit<Finished, "state">, kills = 1): void {
  const base = baseline as Finished;
  expect(rest.results).toEqual(base.results);
  expect(Object.keys(rest.histories).sort()).toEqual(Object.keys(base.histories).sort());
  for (const [id, history] of Object.entries(base.histories)) {
    const { reruns, mismatch } = compareModuloReruns(history, rest.histories[id]!);
    expect({ id, mismatch }).toEqual({ id, mismatch: null });
    for (const [activity, extra] of Object.entries(reruns))
      expect({ id, activity, extra: Math.min(extra, kills) }).toEqual({ id, activity, extra });
  }
}

/** The target's SignalReceived events: exactly the client's "done" and the two sends, once each. */
function expectTargetSignalsOnce(histories: Record<string, string[]>): void {
  const received = histories
    .tgt!.map((e) => JSON.parse(e) as Record<string, unknown>)
    .filter((e) => e.kind === "SignalReceived");
  expect(
    received.map((e) => [e.signalName, (e.payload as { bytes: string }).bytes, e.signalId]),
  ).toEqual([
    ["done", "null", undefined],
    ["add", "5", "snd/*/signal-1"],
    ["add", "0", "snd/*/signal-2"],
  ]);
  const sent = histories
    .snd!.map((e) => JSON.parse(e) as Record<string, unknown>)
    .filter((e) => e.kind === "SignalSent");
  expect(sent.map((e) => e.signalId)).toEqual(["snd/*/signal-1", "snd/*/signal-2"]);
}

describe("crash recovery", () => {
  test("uninterrupted baseline", async () => {
    const db = join(dir, "baseline.db");
    expect((await spawn(db, "run")).code).toBe(0);
    const r = await spawn(db, "finish");
    const { state: _state, ...rest } = JSON.parse(r.out) as { state: unknown };
    baseline = rest;
    expect(baseline).toMatchObject({
      results: {
        s1: { status: "Completed" },
        cd: { status: "Completed" },
        sig: { result: 3 },
        tgt: { status: "Completed", result: 5 },
        snd: { status: "Completed", result: "sent" },
      },
    });
    expectTargetSignalsOnce((rest as Finished).histories);
  }, 120_000);

  for (const point of [
    "TimerStarted:1",
    "ActivityScheduled:1",
    "ChildWorkflowStarted:1",
    "WorkflowContinuedAsNew:1",
    "SignalReceived:2",
    "TimerFired:3",
    "SignalSent:1",
    "SignalSent:2",
    "query",
  ]) {
    test(`SIGKILL after ${point}`, async () => {
      const db = join(dir, `${point.replace(":", "-")}.db`);
      const first = await spawn(db, "run", point);
      expect(first.code).not.toBe(0);
      const r = await spawn(db, "finish");
      const { state, ...rest } = JSON.parse(r.out) as Finished;
      expectSameAsBaseline(rest);
      // A query right after restart is answered by the replayed workflow (or it already ended).
      expect(["saga", "AlreadyTerminalError"]).toContain(state as string);
      if (point.startsWith("SignalSent")) expectTargetSignalsOnce((rest as Finished).histories);
    }, 120_000);
  }

  test("SIGKILL after SignalSent, then again after recovery redelivered it: delivered once", async () => {
    const db = join(dir, "signal-twice.db");
    expect((await spawn(db, "run", "SignalSent:1")).code).not.toBe(0);
    // The first recovery redelivers the signal; die right after the target recorded it,
    // before the sender moved on: the next recovery must not record it again.
    expect((await spawn(db, "recover", "SignalReceived:1")).code).not.toBe(0);
    const r = await spawn(db, "finish");
    const { state: _state, ...rest } = JSON.parse(r.out) as Finished;
    // Two kills: an activity in flight at both may run twice more.
    expectSameAsBaseline(rest, 2);
    expectTargetSignalsOnce(rest.histories);
  }, 120_000);
});
