/**
 * `GET /metrics` scraped and parsed as Prometheus text exposition: every
 * family has HELP and TYPE, every value is a number, and the counters move
 * when workflows and activities run. Also the structured logs: JSON lines
 * for requests, lifecycle events and engine diagnostics.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import { type ApiServer, createLogger, engineLogSink, serveApi } from "../../engine/http/index.ts";
import { TerminalError } from "../../engine/index.ts";
import { SqliteStore } from "../../engine/store/index.ts";
import { FIXTURES, post } from "./callers-setup.ts";

setDefaultTimeout(120_000);

/** One sample line. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed scrape: families (name → type, help) and samples. */
interface Scrape {
  readonly types: Map<string, string>;
  readonly helps: Map<string, string>;
  readonly samples: Sample[];
}

/** Parses exposition text; throws on any line that is not valid. */
function parseExposition(text: string): Scrape {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help) {
      helps.set(help[1]!, help[2]!);
      continue;
    }
    const type =
      /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1]!)).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
      let lm: RegExpExecArray | null;
      let at = 0;
      while ((lm = re.exec(m[3])) !== null) {
        labels[lm[1]!] = lm[2]!;
        at = re.lastIndex;
      }
      if (at !== m[3].length) throw new Error(`bad labels: ${line}`);
    }
    const raw = m[4]!;
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== "NaN") throw new Error(`not a number: ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, helps, samples };
}

/** The family a sample belongs to (histogram series end in _bucket/_sum/_count). */
function familyOf(s: Scrape, name: string): string {
  if (s.types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, "");
  return s.types.get(base) === "histogram" ? base : name;
}

function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  const found = s.samples.filter(
    (x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v),
  );
  return found.reduce((a, x) => a + x.value, 0);
}

let dir: string;
let d: DeployedEngine;
let server: ApiServer;
const lines: string[] = [];
let flakyFails = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aion-metrics-"));
  const logger = createLogger(
    "json",
    (l) => lines.push(l),
    () => 0,
  );
  d = await openDeployed({
    store: new SqliteStore(join(dir, "m.db")),
    modulesDir: FIXTURES,
    workflows: {
      counter: { module: "wf_signals", function: "counter" },
      retry: { module: "wf_retry", function: "run" },
    },
    activities: {
      flaky: () => {
        if (flakyFails) throw new TerminalError("no luck");
        return "fine";
      },
    },
    queryTimeoutMs: 120_000,
    log: engineLogSink(logger),
  });
  server = serveApi({ engine: d.engine, deployments: d.deployments }, { logger });
});

afterAll(async () => {
  await server.stop();
  await d.engine.shutdown();
  await d.engine.store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scrape(): Promise<Scrape> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
  return parseExposition(await res.text());
}

describe("GET /metrics", () => {
  test("every family has HELP and TYPE, every value is numeric, counters move", async () => {
    const before = await scrape();
    const r = await post(server, "/workflows/start", {
      namespace: "default",
      workflow_type: "counter",
      input: {},
    });
    const id = (r.json as { workflow_id: string }).workflow_id;
    await post(server, "/workflows/signal", {
      namespace: "default",
      workflow_id: id,
      signal_name: "cmd",
      payload: "stop",
    });
    await d.engine.result(id);
    const ok = await d.engine.start("retry", {});
    await d.engine.result(ok);
    flakyFails = true;
    const bad = await d.engine.start("retry", {});
    await d.engine.result(bad);
    // One that stays running: resident, with a live process.
    await d.engine.start("counter", {});
    const after = await scrape();

    for (const s of [before, after]) {
      for (const sample of s.samples) {
        const family = familyOf(s, sample.name);
        expect({ family, typed: s.types.has(family), helped: s.helps.has(family) }).toEqual({
          family,
          typed: true,
          helped: true,
        });
      }
      for (const name of s.types.keys()) expect(s.helps.has(name)).toBe(true);
    }
    for (const name of [
      "aion_workflows",
      "aion_workflow_starts_total",
      "aion_workflow_completions_total",
      "aion_activity_attempts_total",
      "aion_activity_failures_total",
      "aion_activity_duration_seconds",
      "aion_store_append_duration_seconds",
      "aion_store_group_commit_transactions",
      "aion_store_group_commit_largest_batch",
      "aion_resident_runs",
      "aion_vm_run_queue_length",
      "aion_vm_processes",
      "aion_memory_bytes",
      "aion_stream_subscribers",
    ]) {
      expect(after.types.has(name)).toBe(true);
    }
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta("aion_workflow_starts_total", { type: "counter" })).toBe(2);
    expect(delta("aion_workflow_starts_total", { type: "retry" })).toBe(2);
    expect(delta("aion_workflow_completions_total", { type: "counter", status: "Completed" })).toBe(
      1,
    );
    expect(delta("aion_workflow_completions_total", { type: "retry", status: "Completed" })).toBe(
      2,
    );
    expect(delta("aion_activity_attempts_total", { activity: "flaky" })).toBe(2);
    expect(delta("aion_activity_failures_total", { activity: "flaky" })).toBe(1);
    expect(delta("aion_activity_duration_seconds_count", { activity: "flaky" })).toBe(2);
    expect(delta("aion_store_append_duration_seconds_count")).toBeGreaterThan(0);
    expect(value(after, "aion_store_append_duration_seconds_bucket", { le: "+Inf" })).toBe(
      value(after, "aion_store_append_duration_seconds_count"),
    );
    expect(delta("aion_store_group_commit_transactions")).toBeGreaterThan(0);
    expect(value(after, "aion_store_group_commit_largest_batch")).toBeGreaterThanOrEqual(1);
    expect(value(after, "aion_workflows", { status: "Completed", type: "counter" })).toBe(1);
    expect(value(after, "aion_vm_processes")).toBeGreaterThan(0);
    expect(value(after, "aion_resident_runs")).toBeGreaterThanOrEqual(1);
    expect(value(after, "aion_workflows", { status: "Running", type: "counter" })).toBe(1);
    expect(value(after, "aion_memory_bytes", { kind: "rss" })).toBeGreaterThan(0);
  });
});

describe("structured logs", () => {
  test("JSON lines: one per request, lifecycle events with ids, engine diagnostics", async () => {
    lines.length = 0;
    const r = await post(
      server,
      "/workflows/start",
      { namespace: "default", workflow_type: "counter", input: {} },
      {
        "x-aion-subject": "tester",
      },
    );
    const { workflow_id: id, run_id: runId } = r.json as { workflow_id: string; run_id: string };
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) expect(l.endsWith("\n")).toBe(true);
    expect(parsed).toContainEqual({
      ts: "1970-01-01T00:00:00.000Z",
      level: "info",
      event: "workflow.started",
      msg: `WorkflowStarted ${id}`,
      workflow_id: id,
      run_id: runId,
      seq: 1,
      workflow_type: "counter",
    });
    const req = parsed.find((p) => p.event === "http.request");
    expect(req).toMatchObject({
      level: "info",
      method: "POST",
      path: "/workflows/start",
      status: 200,
      subject: "tester",
    });
    expect(typeof req!.duration_ms).toBe("number");
    const denied = await post(server, "/workflows/describe", {
      namespace: "default",
      workflow_id: "x",
    });
    expect(denied.status).toBe(400);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      event: "http.request",
      level: "warn",
      status: 400,
    });

    const diag: string[] = [];
    const sink = engineLogSink(
      createLogger(
        "json",
        (l) => diag.push(l),
        () => 0,
      ),
    );
    sink(`aion engine: activity of ${id} failed: boom\n`);
    expect(JSON.parse(diag[0]!)).toEqual({
      ts: "1970-01-01T00:00:00.000Z",
      level: "error",
      event: "engine.diagnostic",
      msg: `aion engine: activity of ${id} failed: boom`,
      workflow_id: id,
    });
  });

  test("text format: a plain request line", () => {
    const out: string[] = [];
    const logger = createLogger("text", (l) => out.push(l));
    logger.log("info", "http.request", "GET /metrics 200 1.5ms", { subject: "ops" });
    expect(out).toEqual(["GET /metrics 200 1.5ms subject=ops\n"]);
  });
});
