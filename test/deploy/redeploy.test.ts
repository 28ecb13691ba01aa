/**
 * The deploy layer's refusals of packages whose manifests are wrong in ways
 * the version hash cannot see: schemas that break the JSON Schema
 * meta-schema, and a redeploy of an existing version with another manifest.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type DeployedEngine,
  InvalidPackageError,
  openDeployed,
  VersionConflictError,
} from "../../engine/deploy/index.ts";
import { describeError } from "../../engine/http/index.ts";
import { MemoryStore } from "../../engine/store/index.ts";
import { type JsonValue, writePackage } from "../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const GREETER = new Uint8Array(readFileSync(join(import.meta.dir, "fixtures/v1/greeter.beam")));
const UTIL = new Uint8Array(readFileSync(join(import.meta.dir, "fixtures/v1/greeter_util.beam")));

/** The v1 greeter modules (so always one version) under the given schemas. */
function greeter(inputSchema: JsonValue, activities: string[] = []) {
  return writePackage({
    manifest: {
      entry_module: "greeter",
      entry_function: "run",
      input_schema: inputSchema,
      output_schema: true,
      activities: activities.map((activity_type) => ({ activity_type })),
    },
    modules: new Map([
      ["greeter", GREETER],
      ["greeter_util", UTIL],
    ]),
  });
}

let d: DeployedEngine | undefined;
afterEach(async () => {
  await d?.engine.shutdown();
  d = undefined;
});

async function engine(): Promise<DeployedEngine> {
  d = await openDeployed({ store: new MemoryStore(), log: () => {} });
  return d;
}

test("a schema that breaks the meta-schema is refused, naming the file, field and keyword", async () => {
  const e = await engine();
  const bad = greeter({ type: "object", properties: { name: { type: "objekt" } } });
  const err = await e.deployments.deploy(bad.bytes, "bad.aion").catch((x: unknown) => x);
  expect(err).toBeInstanceOf(InvalidPackageError);
  const message = (err as Error).message;
  expect(message).toContain("bad.aion");
  expect(message).toContain('input_schema: keyword "type" at #/properties/name/type');
  expect(message).toContain('unknown type "objekt"');
  expect(describeError(err).status).toBe(422);
  expect(await e.deployments.versions()).toEqual([]);
});

test("redeploying a version with the same manifest is accepted (idempotent)", async () => {
  const e = await engine();
  const p = greeter({ type: "object" });
  await e.deployments.deploy(p.bytes, "greeter.aion");
  const again = await e.deployments.deploy(greeter({ type: "object" }).bytes, "again.aion");
  expect(again.version).toBe(p.version);
});

test("redeploying a version with another schema or activity list is refused", async () => {
  const e = await engine();
  const first = greeter({ type: "object", required: ["name"] });
  await e.deployments.deploy(first.bytes, "greeter.aion");

  const schema = greeter({ type: "object" });
  expect(schema.version).toBe(first.version); // schemas are not hashed: same version
  const err = await e.deployments.deploy(schema.bytes, "new.aion").catch((x: unknown) => x);
  expect(err).toBeInstanceOf(VersionConflictError);
  expect((err as VersionConflictError).fields).toEqual(["input_schema"]);
  expect((err as Error).message).toContain(
    `new.aion: version ${first.version} is already deployed`,
  );
  expect(describeError(err)).toMatchObject({ status: 409, body: { code: "version-conflict" } });

  const acts = greeter({ type: "object", required: ["name"] }, ["send"]);
  const err2 = await e.deployments.deploy(acts.bytes, "acts.aion").catch((x: unknown) => x);
  expect((err2 as VersionConflictError).fields).toEqual(["activities"]);

  // The deployed package is untouched: its schema still requires a name.
  expect(e.deployments.check("greeter", {}).map((p) => p.keyword)).toEqual(["required"]);
});

test("the rule holds across engines on one store (the stored copy is compared)", async () => {
  const store = new MemoryStore();
  const a = await openDeployed({ store, log: () => {} });
  await a.deployments.deploy(greeter({ type: "object" }).bytes, "greeter.aion");
  await a.engine.shutdown();
  d = await openDeployed({ store, log: () => {} });
  const changed = greeter({ type: "object", properties: { name: { type: "string" } } });
  await expect(d.deployments.deploy(changed.bytes, "changed.aion")).rejects.toBeInstanceOf(
    VersionConflictError,
  );
});
