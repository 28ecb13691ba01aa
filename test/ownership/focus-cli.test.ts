/**
 * Issue 13's rule for one-shot commands: `aion start --wait` and `aion result
 * --wait` with no worker on the database run the workflow they were asked
 * about (ownership mode `focus`) and nothing else. Other active workflows of
 * the database are not adopted (their histories do not change), calls from
 * other processes still reach the focused run through the inbox, and every
 * lease is given back when the command ends.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../engine/store/index.ts";
import { AION, aion, aionJson, type CliRun, ROOT } from "../cli/helpers.ts";
import { waitUntil } from "../wait.ts";

setDefaultTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), "aion-focus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HELLO_ACTIVITIES = join(ROOT, "examples/hello/activities.ts");
const APPROVAL_ACTIVITIES = join(ROOT, "examples/approval/activities.ts");

/** A fresh database with the hello and approval examples deployed. */
async function deployedDb(name: string): Promise<string> {
  const db = join(dir, `${name}.db`);
  for (const example of ["hello", "approval"]) {
    const pkg = join(dir, `${name}-${example}.aion`);
    succeeded(await aion("package", `examples/${example}`, "-o", pkg));
    succeeded(await aion("deploy", pkg, "--db", db));
  }
  return db;
}

/** Fails with the command's own output when it did not exit 0. */
function succeeded(r: CliRun): void {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stdout}${r.stderr}`);
}

/** Event counts per workflow, read straight from the store. */
async function historyLengths(db: string, ids: readonly string[]): Promise<number[]> {
  const store = new SqliteStore(db);
  try {
    return await Promise.all(ids.map(async (id) => (await store.readHistory(id)).length));
  } finally {
    await store.close();
  }
}

/** Leases still live (not released, not expired). */
async function liveLeases(db: string): Promise<number> {
  const store = new SqliteStore(db);
  try {
    const now = Date.now();
    return (await store.coordination.listLeases()).filter((l) => l.expiresAt > now).length;
  } finally {
    await store.close();
  }
}

describe("one-shot commands never adopt other workflows", () => {
  let db = "";
  beforeAll(async () => {
    db = await deployedDb("adopt");
    // Two runs recorded by plain (dormant) starts: nobody runs them yet.
    for (const id of ["old-1", "old-2"]) {
      const r = await aion("start", "hello", JSON.stringify({ name: id }), "--id", id, "--db", db);
      expect(r.code).toBe(0);
    }
  });

  test("start --wait runs its own workflow only, and gives its leases back", async () => {
    const before = await historyLengths(db, ["old-1", "old-2"]);
    const r = await aion(
      "start",
      "hello",
      '{"name":"New"}',
      "--id",
      "new-1",
      "--wait",
      "--activities",
      HELLO_ACTIVITIES,
      "--db",
      db,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ greeting: "Hello, New!" });
    expect(await historyLengths(db, ["old-1", "old-2"])).toEqual(before);
    for (const id of ["old-1", "old-2"])
      expect(await aionJson("describe", id, "--db", db)).toMatchObject({ status: "Running" });
    expect(await liveLeases(db)).toBe(0);
  });

  test("result --wait ID runs that workflow only", async () => {
    const [old2Before] = await historyLengths(db, ["old-2"]);
    const r = await aion("result", "old-1", "--wait", "--activities", HELLO_ACTIVITIES, "--db", db);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ greeting: "Hello, old-1!" });
    expect(await historyLengths(db, ["old-2"])).toEqual([old2Before!]);
    expect(await aionJson("describe", "old-2", "--db", db)).toMatchObject({ status: "Running" });
    expect(await liveLeases(db)).toBe(0);
  });
});

test("a signal from another process reaches the run a start --wait hosts", async () => {
  const db = await deployedDb("signal");
  const waiter = Bun.spawn(
    [
      "bun",
      AION,
      "start",
      "approval",
      '{"request":"laptop"}',
      "--id",
      "gate-1",
      "--wait",
      "--json",
      "--activities",
      APPROVAL_ACTIVITIES,
      "--db",
      db,
    ],
    { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
  );
  try {
    // Waiting on its signal: the run is recorded, and its shard is held by the waiter.
    await waitUntil("gate-1 to be recorded and its shard leased", async () => {
      const [n] = await historyLengths(db, ["gate-1"]);
      return (n ?? 0) > 0 && (await liveLeases(db)) > 0;
    });
    const sent = await aion(
      "signal",
      "gate-1",
      "decision",
      '{"by":"alice","approved":true}',
      "--db",
      db,
    );
    expect(sent.code).toBe(0);
    expect(await waiter.exited).toBe(0);
    const out = JSON.parse(await new Response(waiter.stdout).text());
    expect(out).toMatchObject({
      status: "Completed",
      result: { status: "approved", approvals: ["alice"] },
    });
    expect(await liveLeases(db)).toBe(0);
  } finally {
    waiter.kill("SIGKILL");
  }
});
