/**
 * `aion watch` end to end: a real `aion serve --log-format json` subprocess
 * runs the hello example; a workflow started through the original API is
 * followed by `aion watch ID --from 1` until it completes (exit 0), and the
 * server's stderr carries JSON request and lifecycle lines.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLines } from "../store/subprocess.ts";

// Subprocesses on a possibly loaded machine; the bound only stops a hang.
setDefaultTimeout(120_000);

const ROOT = join(import.meta.dir, "../..");
const AION = join(ROOT, "bin/aion.ts");
const dir = mkdtempSync(join(tmpdir(), "aion-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function aion(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn(["bun", AION, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, stdout, stderr };
}

test("aion watch follows a workflow to its end; serve logs JSON lines", async () => {
  const db = join(dir, "w.db");
  const pkg = join(dir, "hello.aion");
  expect((await aion("package", "examples/hello", "-o", pkg)).code).toBe(0);
  expect((await aion("deploy", pkg, "--db", db)).code).toBe(0);
  const noServer = await aion("watch", "00000000-0000-4000-8000-000000000000", "--db", db);
  expect(noServer.code).toBe(5);
  expect(noServer.stderr).toContain("no worker or server runs on");

  const server = Bun.spawn(
    [
      "bun",
      AION,
      "serve",
      "--port",
      "0",
      "--db",
      db,
      "--log-format",
      "json",
      "--activities",
      "examples/hello/activities.ts",
    ],
    { cwd: ROOT, stdout: "ignore", stderr: "pipe" },
  );
  try {
    const lines: Record<string, unknown>[] = [];
    let announced: (url: string) => void = () => {};
    const serving = new Promise<string>((resolve) => {
      announced = resolve;
    });
    const waiters: (() => void)[] = [];
    const stderr = readLines(server.stderr, (line) => {
      const o = JSON.parse(line) as Record<string, unknown>;
      lines.push(o);
      for (const w of waiters.splice(0)) w();
      const m = /serving .* on (http:\/\/\S+) \(pid/.exec(String(o.msg));
      if (m) announced(m[1]!);
    });
    const url = await Promise.race([
      serving,
      stderr.then((l) => Promise.reject(new Error(l.join("\n")))),
    ]);

    const started = await fetch(`${url}/workflows/start`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-aion-subject": "watcher-test" },
      body: JSON.stringify({
        namespace: "default",
        workflow_type: "hello",
        input: { name: "Ada" },
      }),
    });
    expect(started.status).toBe(200);
    const { workflow_id: id, run_id: runId } = (await started.json()) as {
      workflow_id: string;
      run_id: string;
    };

    const watched = await aion("watch", id, "--from", "1", "--db", db, "--json");
    expect(watched.stderr).toBe("");
    expect(watched.code).toBe(0);
    const events = watched.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; data: { envelope: { seq: number } } });
    expect(events.map((e) => e.data.envelope.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe("WorkflowStarted");
    expect(events.at(-1)!.type).toBe("WorkflowCompleted");
    expect(events.map((e) => e.type)).toContain("ActivityCompleted");

    // Text form, from the last event: one line, and the run has ended.
    const last = events.length;
    const text = await aion("watch", id, "--from", String(last), "--db", db);
    expect(text.code).toBe(0);
    expect(text.stdout).toStartWith(`#${last} `);
    expect(text.stdout).toContain("WorkflowCompleted");
    // Bad resume point: usage errors.
    expect((await aion("watch", id, "--from", "0", "--db", db)).code).toBe(2);
    expect((await aion("watch", id, "--from", String(last + 5), "--db", db)).code).toBe(2);

    const has = (pred: (o: Record<string, unknown>) => boolean): boolean => lines.some(pred);
    while (!has((o) => o.event === "workflow.completed" && o.workflow_id === id)) {
      await new Promise<void>((r) => waiters.push(r));
    }
    expect(
      has(
        (o) =>
          o.event === "workflow.started" &&
          o.workflow_id === id &&
          o.run_id === runId &&
          o.level === "info",
      ),
    ).toBe(true);
    expect(
      has(
        (o) =>
          o.event === "http.request" &&
          o.method === "POST" &&
          o.path === "/workflows/start" &&
          o.status === 200 &&
          o.subject === "watcher-test" &&
          typeof o.duration_ms === "number",
      ),
    ).toBe(true);
    for (const o of lines)
      expect(
        typeof o.ts === "string" && typeof o.level === "string" && typeof o.event === "string",
      ).toBe(true);
  } finally {
    server.kill("SIGTERM");
    await server.exited;
  }
});
