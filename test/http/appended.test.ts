/**
 * `Engine.onAppended` (listeners see every append, can be removed, and one
 * that throws does not break the engine), and the stream's fallback for
 * appends made by another engine sharing the store: no local notification
 * arrives, so the feed tails the store while it is behind.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { type DeployedEngine, openDeployed } from "../../engine/deploy/index.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { FIXTURES, StreamProbe, serve } from "./callers-setup.ts";

setDefaultTimeout(120_000);

const store = new MemoryStore();
let server: DeployedEngine;
let other: DeployedEngine;
let api: ApiServer;

async function open(recover: boolean): Promise<DeployedEngine> {
  return openDeployed({
    store,
    modulesDir: FIXTURES,
    workflows: { counter: { module: "wf_signals", function: "counter" } },
    queryTimeoutMs: 120_000,
    recover,
    log: () => {},
  });
}

beforeAll(async () => {
  // The serving engine never runs the workflow: the other one does.
  server = await open(false);
  other = await open(false);
  api = serve(server, { streamLimits: { tailIntervalMs: 5 } });
});

afterAll(async () => {
  await api.stop();
  await server.engine.shutdown();
  await other.engine.shutdown();
});

test("onAppended: every append in order; removable; a throwing listener is contained", async () => {
  const seen: number[] = [];
  const stop = other.engine.onAppended((_id, envelopes) => {
    for (const e of envelopes) seen.push(e.seq);
  });
  const stopBad = other.engine.onAppended(() => {
    throw new Error("listener bug");
  });
  const id = await other.engine.start("counter", {});
  await other.engine.signal(id, "cmd", "stop");
  await other.engine.result(id);
  const history = await other.engine.history(id);
  expect(seen).toEqual(history.map((e) => e.seq));
  stop();
  stopBad();
  const id2 = await other.engine.start("counter", {});
  await other.engine.signal(id2, "cmd", "stop");
  await other.engine.result(id2);
  expect(seen).toEqual(history.map((e) => e.seq));
});

test("a stream on one engine follows a workflow another engine appends to", async () => {
  const id = await other.engine.start("counter", {});
  const probe = new StreamProbe(api, {
    per_workflow: { namespace: "default", workflow_id: id, resume_from_seq: 1 },
  });
  await probe.until(() => probe.seqs().length >= 1);
  await other.engine.signal(id, "cmd", "inc");
  await other.engine.signal(id, "cmd", "stop");
  await other.engine.result(id);
  expect(await probe.waitClosed()).toEqual({ code: 1000, reason: "subscription complete" });
  const history = await other.engine.history(id);
  expect(probe.seqs()).toEqual(history.map((e) => e.seq));
  expect(server.engine.residentIds()).not.toContain(id);
});
