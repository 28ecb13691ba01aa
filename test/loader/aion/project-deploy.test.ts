/**
 * The archives of the gleam_like fixture project deploy and run through the
 * engine: the order workflow spawns the payment workflow as a child (routed
 * by its entry module to the payment archive, built from the same beam set),
 * and the refund workflow runs on its own. Also: the flat form still deploys.
 */
import { afterAll, afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeployedEngine, openDeployed } from "../../../engine/deploy/index.ts";
import { MemoryStore } from "../../../engine/store/index.ts";
import { buildPackage, buildProject } from "../../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { ROOT } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const PROJECT = join(ROOT, "fixtures", "projects", "gleam_like");
const ORDER = "my_app@workflows@order";
const PAYMENT = "my_app@workflows@payment";
const REFUND = "my_app@workflows@refund";

const scratch = mkdtempSync(join(tmpdir(), "aion-project-deploy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let open: DeployedEngine[] = [];
afterEach(async () => {
  for (const d of open) await d.engine.shutdown();
  open = [];
});

/** A fresh engine (default: on an empty in-memory store) with every archive of the project deployed. */
async function deployedProject(
  store: MemoryStore | string = new MemoryStore(),
): Promise<{ d: DeployedEngine; versions: Map<string, string> }> {
  const d = await openDeployed({ store, log: () => {} });
  open.push(d);
  const versions = new Map<string, string>();
  for (const p of buildProject(PROJECT).packages) {
    const r = await d.deployments.deploy(p.bytes, p.output);
    expect(r.workflowTypes).toEqual([p.workflowType]);
    versions.set(p.workflowType, r.version);
  }
  return { d, versions };
}

test("the parent runs to completion through its child from the shared beam set", async () => {
  const { d, versions } = await deployedProject();
  const input = {
    order_id: "o-7",
    items: [
      { sku: "tea", qty: 2, price: 350 },
      { sku: "cup", qty: 1, price: 900 },
    ],
  };
  const id = await d.deployments.start(ORDER, input, { workflowId: "order-7" });
  const o = await d.engine.result(id);
  expect(o).toMatchObject({ status: "Completed" });
  expect(o.status === "Completed" && o.result).toEqual({
    order_id: "o-7",
    total: 1600,
    payment: { charged: 1600, receipt: "rcpt-o-7-1600" },
  });

  const parent = await d.engine.history(id);
  expect(parent[0]!.event).toMatchObject({
    kind: "WorkflowStarted",
    workflowType: ORDER,
    packageVersion: versions.get(ORDER),
  });
  const spawned = parent.map((e) => e.event).find((e) => e.kind === "ChildWorkflowStarted");
  expect(spawned).toMatchObject({ workflowType: PAYMENT });
  const childId = (spawned as { childWorkflowId: string }).childWorkflowId;
  const child = await d.engine.history(childId);
  // The child runs on the payment archive's version: routed by its entry module.
  expect(child[0]!.event).toMatchObject({
    kind: "WorkflowStarted",
    workflowType: PAYMENT,
    packageVersion: versions.get(PAYMENT),
  });
  expect(child.map((e) => e.event.kind)).toContain("ActivityCompleted");
});

test("each archive serves its own workflow: refund, and payment started directly", async () => {
  const { d } = await deployedProject();
  const refund = await d.deployments.start(REFUND, { order_id: "o-1", amount: 12 });
  const r = await d.engine.result(refund);
  expect(r.status === "Completed" && r.result).toEqual({
    refunded: 12,
    note: "refund of 12 for o-1",
  });
  const pay = await d.deployments.start(PAYMENT, { order_id: "o-2", amount: 5 });
  expect(await d.engine.result(pay)).toMatchObject({
    status: "Completed",
    result: { charged: 5, receipt: "rcpt-o-2-5" },
  });
  // Each archive's input schema guards its own type.
  await expect(d.deployments.start(REFUND, { order_id: "" })).rejects.toMatchObject({
    code: "invalid-input",
  });
});

test("after a restart the stored archives still route parent and child", async () => {
  const db = join(scratch, "aion.db");
  const first = await deployedProject(db);
  await first.d.engine.shutdown();
  open = [];
  const d = await openDeployed({ store: db, log: () => {} });
  open.push(d);
  for (const [type, version] of first.versions) {
    expect(d.deployments.current(type)?.version).toBe(version);
  }
  const id = await d.deployments.start(ORDER, {
    order_id: "o-9",
    items: [{ sku: "x", qty: 3, price: 2 }],
  });
  const o = await d.engine.result(id);
  expect(o.status === "Completed" && o.result).toMatchObject({ total: 6, payment: { charged: 6 } });
});

test("the flat form still builds a package that deploys and runs", async () => {
  const d = await openDeployed({ store: new MemoryStore(), log: () => {} });
  open.push(d);
  const built = buildPackage(join(ROOT, "fixtures", "packages", "minimal"));
  const r = await d.deployments.deploy(built.bytes, "minimal.aion");
  expect(r.workflowTypes).toEqual([built.manifest.entry_module]);
  const id = await d.deployments.start(built.manifest.entry_module, null);
  expect((await d.engine.result(id)).status).toBe("Completed");
});

test("archives that share one version (the original's older form) all deploy and survive a restart", async () => {
  const built = buildProject(PROJECT, { versionForm: "legacy" }).packages;
  expect(new Set(built.map((p) => p.version)).size).toBe(1);
  const db = join(scratch, "shared-version.db");
  const first = await openDeployed({ store: db, log: () => {} });
  open.push(first);
  for (const p of built) {
    expect((await first.deployments.deploy(p.bytes, p.output)).workflowTypes).toEqual([
      p.workflowType,
    ]);
  }
  // The same archive again is a no-op; a different manifest under one of its types is refused.
  await first.deployments.deploy(built[0]!.bytes, built[0]!.output);
  await first.engine.shutdown();
  open = [];
  const d = await openDeployed({ store: db, log: () => {} });
  open.push(d);
  for (const p of built) expect(d.deployments.current(p.workflowType)?.version).toBe(p.version);
  const id = await d.deployments.start(ORDER, {
    order_id: "o-3",
    items: [{ sku: "x", qty: 1, price: 4 }],
  });
  const o = await d.engine.result(id);
  expect(o.status === "Completed" && o.result).toMatchObject({ total: 4, payment: { charged: 4 } });
  const refund = await d.deployments.start(REFUND, { order_id: "o-3", amount: 4 });
  expect((await d.engine.result(refund)).status).toBe("Completed");
});
