/**
 * Subprocess of the crash test. `bun crash-runner.ts <db> run|recover|finish`.
 *
 * run:     starts the scenario's workflows on a SQLite store; with
 *          CRASH_AFTER=<EventKind>:<n> it SIGKILLs itself right after the n-th
 *          committed append holding that kind (between record and effect), and
 *          with CRASH_AFTER=query it dies with a query in flight (sent once
 *          the saga's history shows it running its first await).
 * recover: opens an engine on the file (recovery only, no client) with the
 *          same CRASH_AFTER rule: a crash during recovery itself.
 * finish:  opens a new engine on the same file (recovery, run a second time),
 *          waits for every workflow, prints {results, histories} as JSON.
 */
import { Engine } from "../../engine/index.ts";
import type { EventStore } from "../../engine/store/index.ts";
import { SqliteStore } from "../../engine/store/index.ts";
import { nextTurn, waitUntil } from "../wait.ts";
import { ACTIVITIES, FIXTURES, shape, WORKFLOWS } from "./helpers.ts";

const [dbPath, mode] = process.argv.slice(2) as [string, "run" | "recover" | "finish"];
const crash = process.env.CRASH_AFTER ?? "";
const IDS = ["s1", "cd", "sig", "tgt", "snd"];

function crashingStore(inner: SqliteStore): EventStore {
  const [kind, nth] = crash.split(":");
  let seen = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== "append") {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      }
      return async (...args: Parameters<SqliteStore["append"]>) => {
        const r = await target.append(...args);
        if (args[1].some((e) => e.kind === kind) && ++seen === Number(nth))
          process.kill(process.pid, "SIGKILL");
        return r;
      };
    },
  });
}

const sqlite = new SqliteStore(dbPath);
const engine = await Engine.open({
  store: crash && mode !== "finish" && crash !== "query" ? crashingStore(sqlite) : sqlite,
  modulesDir: FIXTURES,
  workflows: WORKFLOWS,
  activities: ACTIVITIES,
  log: () => {},
});

/** The client's side: start what is not started, send the signals not yet received. */
async function client(): Promise<void> {
  const starts: [string, string, unknown][] = [
    ["s1", "saga", null],
    ["cd", "countdown", 2],
    ["sig", "sum", null],
  ];
  for (const [id, type, input] of starts) {
    if ((await engine.store.describe(id)) === undefined)
      await engine.start(type, input, { workflowId: id });
  }
  const received = (await engine.history("sig")).filter(
    (e) => e.event.kind === "SignalReceived",
  ).length;
  const signals: [string, unknown][] = [
    ["add", 1],
    ["add", 2],
    ["add", 0],
    ["done", null],
  ];
  for (const [name, payload] of signals.slice(received)) await engine.signal("sig", name, payload);
  // Workflow to workflow: "snd" sends add 5 and add 0 to "tgt", which already has its "done".
  if ((await engine.store.describe("tgt")) === undefined)
    await engine.start("sum", null, { workflowId: "tgt" });
  const tgt = await engine.history("tgt");
  if (!tgt.some((e) => e.event.kind === "SignalReceived" && e.event.signalName === "done"))
    await engine.signal("tgt", "done", null);
  if ((await engine.store.describe("snd")) === undefined)
    await engine.start("send", { target: "tgt" }, { workflowId: "snd" });
}

if (mode === "run") {
  await client();
  if (crash === "query") {
    // The saga registers its query handler, then records its first timer: once
    // that is in the history, a query reaches a live handler.
    await waitUntil("s1 to record its first timer", async () =>
      (await engine.history("s1")).some((e) => e.event.kind === "TimerStarted"),
    );
    void engine.query("s1", "state").catch(() => undefined);
    // One turn: the query is queued on the run (or being answered) when the kill lands.
    await nextTurn();
    process.kill(process.pid, "SIGKILL");
  }
  for (const id of IDS) await engine.result(id);
} else if (mode === "recover") {
  // Recovery alone redelivers; CRASH_AFTER must kill us before "snd" ends. No
  // timer here: if the crash never comes, "snd" completes, we exit 0, and the
  // test (which expects a non-zero exit) fails instead of racing a deadline.
  await engine.result("snd");
} else {
  await engine.recover();
  await client();
  const results: Record<string, unknown> = {};
  // A generous deadline: the default (5 s of real time) could pass on a loaded machine.
  const state = await engine
    .query("s1", "state", null, { timeoutMs: 120_000 })
    .catch((e: Error) => e.name);
  for (const id of IDS) results[id] = await engine.result(id);
  const histories: Record<string, string[]> = {};
  for (const id of [...IDS, "s1/child-1"]) histories[id] = shape(await engine.history(id));
  process.stdout.write(JSON.stringify({ results, histories, state }));
}
await engine.shutdown();
await sqlite.close();
