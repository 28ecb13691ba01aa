/**
 * Two processes, two connections, one workflow: racing appends never
 * interleave, and the losers get typed conflicts. Run on a SQLite file and,
 * when a server is available, on PostgreSQL.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { decodePayload } from "../../engine/events/index.ts";
import { type EventStore, SqliteStore } from "../../engine/store/index.ts";
import { PostgresStore } from "../../engine/store/postgres/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { removeDir, started, tempDir } from "./helpers.ts";
import { dropSchemas, freshSchema, testPostgres } from "./postgres-server.ts";
import { readLines, script } from "./subprocess.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = tempDir("aion-race-");
afterAll(() => removeDir(dir));
const pg = testPostgres();

const COUNT = 25;
const SIZE = 3;

/**
 * Two race-writer processes on the database `target` names (its first
 * argument and, for PostgreSQL, a trailing schema); `open` opens a store on
 * the same database in this process.
 */
async function race(target: { path: string; schema?: string }, open: () => EventStore) {
  const setup = open();
  await setup.append("shared", [started()], 0);
  await setup.close();

  const writers = ["left", "right"].map((tag) => {
    const args = [target.path, "shared", tag, `${COUNT}`, `${SIZE}`];
    if (target.schema !== undefined) args.push(target.schema);
    const child = Bun.spawn([process.execPath, script("race-writer.ts"), ...args], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const lines = readLines(child.stdout, (line) => {
      if (line === "ready") ready();
    });
    return { tag, child, isReady, lines };
  });
  // Release both at once so their first appends (both expecting head 1) collide.
  await Promise.all(writers.map((w) => w.isReady));
  for (const w of writers) {
    w.child.stdin.write("go\n");
    w.child.stdin.end();
  }
  const outputs = await Promise.all(writers.map((w) => w.lines));
  for (const w of writers) expect(await w.child.exited).toBe(0);

  const okHeads: number[] = [];
  let conflicts = 0;
  for (const out of outputs) {
    const mine = out.filter((l) => l.startsWith("ok ")).map((l) => Number(l.split(" ")[1]));
    expect(mine.length).toBe(COUNT);
    // Each writer's own commits move strictly forward.
    expect([...mine].sort((a, b) => a - b)).toEqual(mine);
    okHeads.push(...mine);
    for (const l of out.filter((x) => x.startsWith("conflict "))) {
      const [, expected, actual] = l.split(" ").map(Number);
      expect(actual!).toBeGreaterThan(expected!);
      conflicts++;
    }
  }
  // Exactly one writer wins the first head; the other must have conflicted.
  expect(conflicts).toBeGreaterThanOrEqual(1);
  // Every commit landed at a distinct head: no lost update, no overlap.
  const expectedHeads = Array.from({ length: 2 * COUNT }, (_, i) => 1 + (i + 1) * SIZE);
  expect(okHeads.sort((a, b) => a - b)).toEqual(expectedHeads);

  const store = open();
  const history = await store.readHistory("shared");
  await store.close();
  expect(history.length).toBe(1 + 2 * COUNT * SIZE);
  const perTag = new Map<string, number>();
  for (let start = 1; start < history.length; start += SIZE) {
    const chunk = history.slice(start, start + SIZE).map((e) => {
      if (e.event.kind !== "SignalReceived") throw new Error("unexpected kind");
      return decodePayload(e.event.payload) as { tag: string; n: number; index: number };
    });
    // A batch is contiguous and from one writer.
    expect(new Set(chunk.map((c) => c.tag)).size).toBe(1);
    expect(new Set(chunk.map((c) => c.n)).size).toBe(1);
    expect(chunk.map((c) => c.index)).toEqual([0, 1, 2]);
    perTag.set(chunk[0]!.tag, (perTag.get(chunk[0]!.tag) ?? 0) + 1);
  }
  expect(perTag).toEqual(
    new Map([
      ["left", COUNT],
      ["right", COUNT],
    ]),
  );
}

// The racing writers are `bun` subprocesses: a fraction of a second each when
// idle, many times that on a loaded machine. The timeouts only stop a hang.
test("racing writers on one file never interleave and losers get conflicts", async () => {
  const path = join(dir, "race.db");
  await race({ path }, () => new SqliteStore(path));
}, 120_000);

describe.skipIf(pg.url === undefined)("PostgreSQL", () => {
  const schema = freshSchema("race");
  afterAll(() => dropSchemas(pg.url ?? "", [schema]));

  test("racing writer processes on one database never interleave and losers get conflicts", async () => {
    const url = pg.url ?? "";
    await race({ path: url, schema }, () => new PostgresStore(url, { schema }));
  }, 120_000);
});
