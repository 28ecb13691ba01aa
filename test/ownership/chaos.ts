/**
 * The chaos scenario shared by the test and the manual soak run: engine
 * processes on one database, a few hundred workflows (timers, signals,
 * children, activities), SIGKILLs at random points of a seeded schedule,
 * then the checks: every workflow completed exactly once, its history
 * equals an uninterrupted run's modulo re-run activity attempts, and no
 * activity ran more often than at-least-once allows.
 */
import { existsSync, readFileSync } from "node:fs";
import { Engine } from "../../engine/index.ts";
import { type EventStore, MemoryStore } from "../../engine/store/index.ts";
import { ManualClock } from "../../vm/index.ts";
import { ACTIVITIES, FIXTURES, shape, WORKFLOWS } from "../engine/helpers.ts";

/**
 * `shape` of a history read from any store: PostgreSQL hands payload bytes
 * back as Buffers, whose own JSON form would hide the text; copy them into
 * plain byte arrays first.
 */
function shapeOf(history: readonly { event: object }[]): string[] {
  const plain = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (Array.isArray(v)) return v.map(plain);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  return shape(history.map((e) => ({ event: plain(e.event) as object })));
}

import { compareModuloReruns } from "../engine/rerun-compare.ts";
import { readLines, script } from "../store/subprocess.ts";
import { waitUntil } from "../wait.ts";

/** Sizes of one chaos run. */
export interface ChaosSize {
  readonly workflows: number;
  readonly processes: number;
  readonly kills: number;
}

/** One workflow of the scenario: type, input, and the signals the driver sends it. */
interface Spec {
  readonly id: string;
  readonly type: string;
  readonly input: unknown;
  readonly signals: readonly [string, unknown][];
}

/** A small seeded PRNG (mulberry32), so a failing run can be repeated from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function scenario(n: number, tag: string): Spec[] {
  const specs: Spec[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${tag}-${i}`;
    switch (i % 4) {
      case 0:
        specs.push({ id, type: "charge", input: { amount: i }, signals: [] });
        break;
      case 1:
        specs.push({ id, type: "parent", input: {}, signals: [] });
        break;
      case 2:
        specs.push({
          id,
          type: "sum",
          input: null,
          signals: [
            ["add", 2],
            ["add", i],
            ["add", 0],
            ["done", null],
          ],
        });
        break;
      default:
        specs.push({ id, type: "countdown", input: 2, signals: [] });
    }
  }
  return specs;
}

/** What an uninterrupted run records for each spec (a memory store, virtual time). */
async function baselines(specs: readonly Spec[]): Promise<Map<string, string[]>> {
  const clock = new ManualClock();
  const engine = await Engine.open({
    store: new MemoryStore({ now: () => Math.floor(clock.wallNow()) }),
    clock,
    modulesDir: FIXTURES,
    workflows: WORKFLOWS,
    activities: ACTIVITIES,
    log: () => {},
  });
  const out = new Map<string, string[]>();
  try {
    for (const s of specs) {
      await engine.start(s.type, s.input, { workflowId: s.id });
      for (const [k, [name, payload]] of s.signals.entries())
        await engine.signal(s.id, name, payload, { signalId: `${s.id}-sig-${k}` });
      const done = engine.result(s.id);
      for (let i = 0; i < 1000 && Bun.peek.status(done) === "pending"; i++) {
        await new Promise((r) => setImmediate(r));
        clock.advance(5);
      }
      await done;
      out.set(s.id, shape(await engine.history(s.id)));
      for (const child of [`${s.id}/child-1`]) {
        const h = await engine.history(child);
        if (h.length > 0) out.set(child, shape(h));
      }
    }
  } finally {
    await engine.shutdown();
  }
  return out;
}

interface Proc {
  readonly owner: string;
  readonly child: ReturnType<typeof Bun.spawn>;
  readonly ready: Promise<void>;
}

/**
 * Runs the scenario on `db` (a SQLite path or a PostgreSQL URL with a
 * schema). `client` is an engine in client mode on the same database, used
 * to start and signal. Throws with a description of the first violation.
 */
export async function runChaos(o: {
  readonly db: string;
  readonly schema?: string;
  readonly client: Engine;
  readonly store: EventStore;
  readonly size: ChaosSize;
  readonly seed: number;
  readonly tag: string;
  readonly execLog: string;
  readonly log: (line: string) => void;
}): Promise<{ readonly kills: number; readonly reruns: number }> {
  const random = prng(o.seed);
  const specs = scenario(o.size.workflows, o.tag);
  const expected = await baselines(specs);
  const procs: Proc[] = [];
  let spawned = 0;
  const spawnOne = (): Proc => {
    const owner = `${o.tag}-p${spawned++}`;
    const child = Bun.spawn(
      ["bun", script("../ownership/chaos-runner.ts"), o.db, o.schema ?? "-", owner, o.execLog],
      { stdout: "pipe", stderr: "inherit" },
    );
    let ready!: () => void;
    const readyP = new Promise<void>((r) => (ready = r));
    void readLines(child.stdout as ReadableStream<Uint8Array>, (l) => {
      if (l === "ready") ready();
    });
    const p = { owner, child, ready: readyP };
    procs.push(p);
    return p;
  };
  try {
    for (let i = 0; i < o.size.processes; i++) spawnOne();
    await Promise.all(procs.map((p) => p.ready));
    // Start everything, signalling as we go; kills land at seeded points of that.
    const killAt = new Set<number>();
    while (killAt.size < o.size.kills) killAt.add(Math.floor(random() * specs.length));
    let kills = 0;
    for (const [i, s] of specs.entries()) {
      await o.client.start(s.type, s.input, { workflowId: s.id });
      for (const [k, [name, payload]] of s.signals.entries())
        await o.client.signal(s.id, name, payload, { signalId: `${s.id}-sig-${k}` });
      if (killAt.has(i)) {
        const live = procs.filter((p) => p.child.exitCode === null && !p.child.killed);
        const victim = live[Math.floor(random() * live.length)]!;
        o.log(`chaos ${o.tag}: SIGKILL ${victim.owner} after starting ${i + 1} workflows`);
        victim.child.kill("SIGKILL");
        kills++;
        spawnOne();
      }
    }
    await waitUntil(`every ${o.tag} workflow to end`, async () => {
      const open = await o.store.query({ status: ["Running", "ContinuedAsNew"], limit: 1 });
      return open.length === 0;
    });
    // The checks.
    const executions = new Map<string, number>();
    if (existsSync(o.execLog)) {
      for (const line of readFileSync(o.execLog, "utf8").split("\n")) {
        if (line !== "") executions.set(line, (executions.get(line) ?? 0) + 1);
      }
    }
    let reruns = 0;
    for (const [id, baseline] of expected) {
      const history = await o.store.readHistory(id);
      const seqs = history.map((e) => e.seq);
      if (seqs.some((s, i) => s !== i + 1)) throw new Error(`${id}: seqs not dense: ${seqs}`);
      const ends = history.filter((e) => e.event.kind === "WorkflowCompleted").length;
      if (ends !== 1) throw new Error(`${id}: ${ends} WorkflowCompleted events`);
      const c = compareModuloReruns(baseline, shapeOf(history));
      if (c.mismatch !== null) throw new Error(`${id}: history differs: ${c.mismatch}`);
      for (const e of history) {
        if (e.event.kind !== "ActivityScheduled") continue;
        const a = e.event.activityId;
        const started = history.filter(
          (x) => x.event.kind === "ActivityStarted" && x.event.activityId === a,
        ).length;
        const ran = executions.get(`${id} ${a}`) ?? 0;
        // At least once; more only when a kill lost an attempt's outcome or a worker's claim.
        if (ran < 1 || ran > started + kills)
          throw new Error(
            `${id} ${a}: ran ${ran} times for ${started} recorded attempt(s), ${kills} kill(s)`,
          );
        reruns += ran - 1;
      }
    }
    return { kills, reruns };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await Promise.all(procs.map((p) => p.child.exited));
  }
}
