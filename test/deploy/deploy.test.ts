import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DeployedEngine,
  InvalidInputError,
  InvalidPackageError,
  NoPackageError,
  openDeployed,
} from "../../engine/deploy/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { greeterPackage, reservedPackage } from "./packages.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

let open: DeployedEngine[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const d of open) await d.engine.shutdown();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  open = [];
  dirs = [];
});

async function engineOn(store: MemoryStore | string): Promise<DeployedEngine> {
  const d = await openDeployed({ store, log: () => {} });
  open.push(d);
  return d;
}

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "aion-deploy-"));
  dirs.push(dir);
  return join(dir, "aion.db");
}

interface Greeting {
  greeting: string;
  shout: string;
  version: number;
  module: string;
}

async function finish(d: DeployedEngine, id: string): Promise<Greeting> {
  await d.engine.signal(id, "go", null);
  const o = await d.engine.result(id);
  if (o.status !== "Completed") throw new Error(`workflow ${id} ended ${JSON.stringify(o)}`);
  return o.result as Greeting;
}

describe("versioned deploys", () => {
  test("two versions run side by side; a running workflow keeps its version", async () => {
    const d = await engineOn(new MemoryStore());
    const v1 = greeterPackage(1);
    const v2 = greeterPackage(2);
    expect(v1.version).not.toBe(v2.version);
    const r1 = await d.deployments.deploy(v1.bytes, "greeter-v1.aion");
    expect(r1.modules).toEqual([`greeter$${v1.version}`, `greeter_util$${v1.version}`]);
    const old = await d.deployments.start("greeter", { name: "ada" });
    const r2 = await d.deployments.deploy(v2.bytes, "greeter-v2.aion");
    expect(r2.previous).toEqual({ greeter: v1.version });
    const fresh = await d.deployments.start("greeter", { name: "bob" });

    expect(await finish(d, fresh)).toEqual({
      greeting: "Hi, bob",
      shout: "BOB",
      version: 2,
      module: `greeter$${v2.version}`,
    });
    expect(await finish(d, old)).toEqual({
      greeting: "Hello, ada",
      shout: "ADA",
      version: 1,
      module: `greeter$${v1.version}`,
    });
    const started = (await d.engine.history(old))[0]!.event;
    expect(started).toMatchObject({ kind: "WorkflowStarted", packageVersion: v1.version });
  });

  test("rollback routes new starts to the previous version", async () => {
    // "Previous" is by storedAt (ms), ties broken by hash: two deploys in the
    // same millisecond would have no defined order, so this store's clock
    // moves on every reading (from a fixed origin: no real time involved).
    let ms = 1_767_225_600_000;
    const d = await engineOn(new MemoryStore({ now: () => ms++ }));
    const v1 = greeterPackage(1);
    const v2 = greeterPackage(2);
    await d.deployments.deploy(v1.bytes);
    await d.deployments.deploy(v2.bytes);
    expect(await d.deployments.rollback("greeter")).toBe(v1.version);
    const id = await d.deployments.start("greeter", { name: "cy" });
    expect((await finish(d, id)).version).toBe(1);
    expect(await d.deployments.rollback("greeter", v2.version)).toBe(v2.version);
    const id2 = await d.deployments.start("greeter", { name: "di" });
    expect((await finish(d, id2)).version).toBe(2);
    const versions = await d.deployments.versions();
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [v1.version, false],
      [v2.version, true],
    ]);
    await expect(d.deployments.rollback("nope")).rejects.toBeInstanceOf(NoPackageError);
    await expect(d.deployments.rollback("greeter", "f".repeat(64))).rejects.toMatchObject({
      code: "unknown-version",
    });
  });

  test("packages, routes and running versions survive an engine restart", async () => {
    const db = tempDb();
    const v1 = greeterPackage(1);
    const v2 = greeterPackage(2);
    const first = await engineOn(db);
    await first.deployments.deploy(v1.bytes);
    const old = await first.deployments.start("greeter", { name: "eve" }, { workflowId: "old" });
    await first.deployments.deploy(v2.bytes);
    await first.engine.shutdown();

    const second = await engineOn(db);
    expect(second.deployments.current("greeter")?.version).toBe(v2.version);
    const fresh = await second.deployments.start("greeter", { name: "fay" });
    expect((await finish(second, old)).version).toBe(1);
    expect((await finish(second, fresh)).version).toBe(2);
  });

  test("a package shipping a reserved module name is refused", async () => {
    const d = await engineOn(new MemoryStore());
    const e = await d.deployments.deploy(reservedPackage(), "bad.aion").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidPackageError);
    expect(e).toMatchObject({ code: "reserved-module" });
    expect(String((e as Error).message)).toContain("'lists'");
    expect(await d.engine.store.listPackages()).toHaveLength(0);
    const garbage = await d.deployments.deploy(new Uint8Array([1, 2, 3])).catch((x: unknown) => x);
    expect(garbage).toMatchObject({ code: "invalid-package" });
  });

  test("input is validated against the package's schema before starting", async () => {
    const d = await engineOn(new MemoryStore());
    await d.deployments.deploy(greeterPackage(1).bytes);
    const missing = await d.deployments.start("greeter", {}).catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(InvalidInputError);
    expect((missing as InvalidInputError).paths).toEqual(["$"]);
    const wrong = await d.deployments.start("greeter", { name: 7 }).catch((x: unknown) => x);
    expect((wrong as InvalidInputError).paths).toEqual(["$.name"]);
    expect(await d.engine.list()).toHaveLength(0);
    await expect(d.deployments.start("nope", {})).rejects.toMatchObject({
      code: "unknown-workflow-type",
    });
  });
});
