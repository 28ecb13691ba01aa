/**
 * Crash safety: SIGKILL a writer mid-stream, reopen, and check that every
 * acknowledged append is there and no append is torn.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { decodePayload } from "../../engine/events/index.ts";
import { SqliteStore } from "../../engine/store/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { removeDir, tempDir } from "./helpers.ts";
import { readLines, script } from "./subprocess.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = tempDir("aion-crash-");
afterAll(() => removeDir(dir));

interface Marker {
  batch: number;
  index: number;
  of: number;
}

/** Run the writer until it has acknowledged `acks` appends, then SIGKILL it. */
async function runAndKill(path: string, acks: number): Promise<Map<string, number>> {
  const child = Bun.spawn([process.execPath, script("crash-writer.ts"), path, "8", "6"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const acked = new Map<string, number>();
  let count = 0;
  await readLines(child.stdout, (line) => {
    const [id, head] = line.split(" ");
    acked.set(id!, Math.max(acked.get(id!) ?? 0, Number(head)));
    if (++count === acks) child.kill("SIGKILL");
  });
  await child.exited;
  expect(child.signalCode).toBe("SIGKILL");
  return acked;
}

async function verify(path: string, acked: ReadonlyMap<string, number>): Promise<number> {
  const store = new SqliteStore(path);
  let events = 0;
  try {
    const ids = await store.listWorkflowIds();
    for (const [id, head] of acked) {
      expect(ids).toContain(id);
      const history = await store.readHistory(id);
      // Every acknowledged append is durable.
      expect(history.length).toBeGreaterThanOrEqual(head);
      expect(history[0]?.event.kind).toBe("WorkflowStarted");
      // Batches are whole: markers run 0..of-1 within one batch id.
      let open: Marker | undefined;
      for (const envelope of history.slice(1)) {
        if (envelope.event.kind !== "ActivityScheduled") throw new Error("unexpected event kind");
        const m = decodePayload(envelope.event.input) as Marker;
        if (open === undefined || open.index === open.of - 1) {
          expect(m.index).toBe(0);
        } else {
          expect(m.batch).toBe(open.batch);
          expect(m.index).toBe(open.index + 1);
        }
        open = m;
      }
      if (open !== undefined) expect(open.index).toBe(open.of - 1);
      // Visibility committed with the events.
      expect((await store.describe(id))?.headSeq).toBe(history.length);
      events += history.length;
    }
  } finally {
    await store.close();
  }
  return events;
}

// Three writer subprocesses with FULL sync: under a second when idle, ~20 s seen
// on a loaded machine. The timeout only stops a hang.
test("acknowledged appends survive SIGKILL and no batch is torn", async () => {
  const path = join(dir, "crash.db");
  const total = new Map<string, number>();
  let previous = 0;
  // Three kills at different points, resuming on the same file each time.
  for (const acks of [200, 555, 900]) {
    const acked = await runAndKill(path, acks);
    for (const [id, head] of acked) total.set(id, Math.max(total.get(id) ?? 0, head));
    const events = await verify(path, total);
    expect(events).toBeGreaterThan(previous);
    previous = events;
  }
}, 120_000);
