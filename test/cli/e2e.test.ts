/**
 * The whole path through the command line, on a temporary SQLite file:
 * package → deploy → worker → start → query → SIGKILL the worker → restart
 * → signal → query → signal → completed, plus the history and exit codes.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { aion, aionJson, startWorker, waitForStatus } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-e2e-"));
const db = join(dir, "aion.db");
const pkg = join(dir, "approval.aion");
const activities = "examples/approval/activities.ts";
const workers: Subprocess[] = [];
// Each test runs a dozen `bun` subprocesses: seconds when idle, far longer on a
// loaded machine. The timeouts (180 s) only stop a hang.

afterAll(() => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test("package, deploy, start, crash, restart, signal, query, complete", async () => {
  expect((await aion("package", "examples/approval", "-o", pkg)).code).toBe(0);
  const deployed = (await aionJson("deploy", pkg, "--db", db)) as { workflowTypes: string[] };
  expect(deployed.workflowTypes).toEqual(["approval"]);

  const first = await startWorker(db, activities);
  workers.push(first);
  const input = JSON.stringify({ request: "laptop", approvers: 2 });
  expect(await aionJson("start", "approval", input, "--id", "req-1", "--db", db)).toEqual({
    workflowId: "req-1",
  });
  expect(await aionJson("query", "req-1", "status", "--db", db)).toMatchObject({
    result: { status: "pending", approvals: [] },
  });

  first.kill("SIGKILL");
  await first.exited;
  // A stale endpoint file is ignored: without a worker, queries are refused (exit 5).
  expect((await aion("query", "req-1", "status", "--db", db)).code).toBe(5);

  const second = await startWorker(db, activities);
  workers.push(second);
  expect(
    (await aion("signal", "req-1", "decision", '{"by":"alice","approved":true}', "--db", db)).code,
  ).toBe(0);
  const mid = (await aionJson("query", "req-1", "status", "--db", db)) as {
    result: { approvals: string[] };
  };
  expect(mid.result.approvals).toEqual(["alice"]);
  expect(
    (await aion("signal", "req-1", "decision", '{"by":"bob","approved":true}', "--db", db)).code,
  ).toBe(0);

  const done = await waitForStatus(db, "req-1", "Completed");
  expect(done.outcome).toMatchObject({
    status: "Completed",
    result: { status: "approved", approvals: ["alice", "bob"], request: "laptop" },
  });
  const history = (await aionJson("history", "req-1", "--db", db)) as { kind: string }[];
  expect(history.filter((e) => e.kind === "SignalReceived")).toHaveLength(2);
  expect(history.at(-1)?.kind).toBe("WorkflowCompleted");

  second.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  const listed = (await aionJson("list", "--status", "completed", "--db", db)) as {
    workflowId: string;
  }[];
  expect(listed.map((w) => w.workflowId)).toEqual(["req-1"]);
}, 180_000);

test("errors have meaningful exit codes", async () => {
  const local = join(dir, "errors.db");
  // No database yet: read commands refuse it rather than create an empty one.
  expect((await aion("describe", "nope", "--db", local)).code).toBe(2);
  expect((await aion("deploy", join(dir, "missing.aion"), "--db", local)).code).toBe(2);
  expect((await aion("package", "examples/approval", "-o", pkg)).code).toBe(0);
  expect((await aion("deploy", pkg, "--db", local)).code).toBe(0);
  expect((await aion("describe", "nope", "--db", local)).code).toBe(1);
  expect((await aion("start", "nobody", "--db", local)).code).toBe(1);
  expect((await aion("start", "x", "{bad", "--db", local)).code).toBe(2);
  expect((await aion("list", "--bogus", "--db", local)).code).toBe(2);
  expect((await aion("signal", "--db", local)).code).toBe(2);
  const bad = await aion("start", "approval", '{"approvers":0}', "--db", local, "--json");
  expect(bad.code).toBe(4);
  expect(
    JSON.parse(bad.stdout).error.details.problems.map((p: { path: string }) => p.path),
  ).toEqual(["$", "$.approvers"]);
  expect(
    (await aion("start", "approval", '{"request":"a"}', "--id", "dup", "--db", local)).code,
  ).toBe(0);
  expect(
    (await aion("start", "approval", '{"request":"a"}', "--id", "dup", "--db", local)).code,
  ).toBe(3);
  expect((await aion("cancel", "dup", "changed my mind", "--db", local)).code).toBe(0);
  expect((await aion("cancel", "dup", "--db", local)).code).toBe(3);
  const described = await aion("describe", "dup", "--db", local);
  expect(described.stdout).toContain("Cancelled");
  expect(described.stdout).toContain("changed my mind");
}, 180_000);
