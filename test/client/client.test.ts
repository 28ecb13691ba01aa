/**
 * `aion-bun/client` against a real server on loopback: every call, typed
 * errors from the wire codes, and `subscribe` resuming without gap or
 * duplicate after its connection is cut by a relay (scenario 7).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  AionClient,
  InvalidInputError,
  NamespaceDeniedError,
  NotFoundError,
  NotRunningError,
  QueryTimeoutError,
  UnauthenticatedError,
  UnknownQueryError,
} from "../../engine/client/index.ts";
import type { DeployedEngine } from "../../engine/deploy/index.ts";
import type { ApiServer } from "../../engine/http/index.ts";
import { CONF, OPS, openTestEngine, serve, TOKENS } from "../http/callers-setup.ts";
import { waitUntil } from "../wait.ts";
import { CuttableProxy } from "./proxy.ts";

setDefaultTimeout(120_000);

let d: DeployedEngine;
let server: ApiServer;
let proxy: CuttableProxy;

beforeAll(async () => {
  d = await openTestEngine();
  server = serve(d, { tokens: TOKENS });
  proxy = await CuttableProxy.start(server.port);
});

afterAll(async () => {
  await proxy.stop();
  await server.stop();
  await d.engine.shutdown();
});

const conf = (): AionClient =>
  new AionClient({ url: server.url, token: CONF, namespace: "conformance" });

describe("AionClient", () => {
  test("start, signal, query, list, describe, history, cancel", async () => {
    const aion = conf();
    const { workflowId, runId } = await aion.start("counter", { hello: "world" });
    expect(workflowId).toMatch(/^[0-9a-f-]{36}$/);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await aion.signal(workflowId, "cmd", "inc");
    await waitUntil(
      "the counter saw the signal",
      async () => (await aion.query(workflowId, "state")) === 1,
    );
    const listed = await aion.list({ status: "Running" });
    expect(listed.map((s) => s.workflow_id)).toContain(workflowId);
    const { summary, history } = await aion.describe(workflowId);
    expect(summary).toMatchObject({
      workflow_id: workflowId,
      workflow_type: "counter",
      status: "Running",
    });
    expect(history).toEqual([]);
    const h = await aion.history(workflowId);
    expect(h[0]).toMatchObject({ type: "WorkflowStarted", data: { envelope: { seq: 1 } } });
    await aion.cancel(workflowId, { reason: "done" });
    expect((await aion.describe(workflowId)).summary.status).toBe("Cancelled");
    await expect(aion.signal(workflowId, "cmd", "inc")).rejects.toBeInstanceOf(NotRunningError);
    await expect(aion.query(workflowId, "state")).rejects.toBeInstanceOf(NotRunningError);
  });

  test("typed errors from wire codes (scenarios 3, 4, 5)", async () => {
    const aion = conf();
    const nobody = "00000000-0000-4000-8000-000000000000";
    const nf = await aion.describe(nobody).catch((e: unknown) => e);
    expect(nf).toBeInstanceOf(NotFoundError);
    expect((nf as NotFoundError).message).toBe("workflow not found in namespace conformance");
    await expect(aion.signal(nobody, "cmd", 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(aion.describe("not-a-uuid")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      aion.start("counter", {}, { namespace: "conformance-denied" }),
    ).rejects.toBeInstanceOf(NamespaceDeniedError);
    await expect(aion.list({}, { namespace: "conformance-denied" })).rejects.toBeInstanceOf(
      NamespaceDeniedError,
    );
    const anon = new AionClient({ url: server.url });
    await expect(anon.list()).rejects.toBeInstanceOf(UnauthenticatedError);
    const { workflowId } = await aion.start("counter", {});
    await expect(aion.query(workflowId, "nope")).rejects.toBeInstanceOf(UnknownQueryError);
    // A query that is never answered, under a 50 ms client deadline.
    const stuck = await aion.start("stuck", null);
    await expect(aion.query(stuck.workflowId, "state", { timeoutMs: 50 })).rejects.toBeInstanceOf(
      QueryTimeoutError,
    );
    const sub = aion.subscribe(workflowId, { fromSeq: 0 });
    await expect(sub.next()).rejects.toBeInstanceOf(InvalidInputError);
  });

  test("subscribe: full replay, live events, resume after a cut connection, end after the terminal event", async () => {
    const ops = new AionClient({ url: server.url, token: OPS, namespace: "conformance" });
    const { workflowId } = await ops.start("counter", {});
    await ops.signal(workflowId, "cmd", "inc");
    const viaProxy = new AionClient({ url: proxy.url, token: CONF, namespace: "conformance" });
    const seen: { seq: number; type: string }[] = [];
    const acceptedBefore = proxy.accepted;
    let cut = false;
    for await (const e of viaProxy.subscribe(workflowId, { fromSeq: 1, reconnectDelayMs: 1 })) {
      seen.push({ seq: e.data.envelope.seq, type: e.type });
      if (e.type === "SignalReceived" && !cut) {
        cut = true;
        proxy.cutAll();
        // Recorded while the subscriber is disconnected.
        await ops.signal(workflowId, "cmd", "inc");
        await ops.signal(workflowId, "cmd", "stop");
      }
    }
    const history = await d.engine.history(workflowId);
    expect(seen.map((s) => s.seq)).toEqual(history.map((e) => e.seq));
    expect(seen.filter((s) => s.type === "SignalReceived")).toHaveLength(3);
    expect(seen.at(-1)!.type).toBe("WorkflowCompleted");
    expect(proxy.accepted - acceptedBefore).toBeGreaterThanOrEqual(2);
  });

  test("subscribe follows continue-as-new into the next runs, or stops there when asked", async () => {
    const ops = new AionClient({ url: server.url, token: OPS, namespace: "conformance" });
    const { workflowId } = await ops.start("countdown", 2);
    const all: string[] = [];
    const seqs: number[] = [];
    for await (const e of ops.subscribe(workflowId, { fromSeq: 1 })) {
      all.push(e.type);
      seqs.push(e.data.envelope.seq);
    }
    expect(all.filter((t) => t === "WorkflowContinuedAsNew")).toHaveLength(2);
    expect(all.filter((t) => t === "WorkflowStarted")).toHaveLength(3);
    expect(all.at(-1)).toBe("WorkflowCompleted");
    expect(seqs).toEqual((await d.engine.history(workflowId)).map((e) => e.seq));
    const firstRun: string[] = [];
    for await (const e of ops.subscribe(workflowId, { fromSeq: 1, followContinueAsNew: false })) {
      firstRun.push(e.type);
    }
    expect(firstRun[0]).toBe("WorkflowStarted");
    expect(firstRun.at(-1)).toBe("WorkflowContinuedAsNew");
    expect(firstRun.filter((t) => t === "WorkflowStarted")).toHaveLength(1);
  });
});
