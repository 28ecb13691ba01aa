/**
 * Child process of the crash test: appends multi-event batches to several
 * workflows forever, printing `<workflowId> <head>` after each append has
 * resolved (that is, committed). The parent SIGKILLs it at a random moment.
 *
 * usage: bun crash-writer.ts <dbPath> <workflowCount> <maxBatch>
 */
import { jsonPayload, type WorkflowEvent } from "../../engine/events/index.ts";
import { SqliteStore } from "../../engine/store/index.ts";
import { started } from "./helpers.ts";

const [path, workflowArg, batchArg] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: crash-writer.ts <dbPath> <workflows> <maxBatch>");
const workflows = Number(workflowArg ?? 8);
const maxBatch = Number(batchArg ?? 6);
const store = new SqliteStore(path);
const ids = Array.from({ length: workflows }, (_, i) => `crash-${i}`);
const heads = new Map<string, number>();
const pad = "p".repeat(300);
let nextBatch = 0;

function batch(size: number): WorkflowEvent[] {
  const id = nextBatch++;
  return Array.from({ length: size }, (_, index) => ({
    kind: "ActivityScheduled",
    activityId: `b${id}-${index}`,
    activityType: "crash/test",
    input: jsonPayload({ batch: id, index, of: size, pad }),
  }));
}

const ack = (id: string, head: number) => process.stdout.write(`${id} ${head}\n`);

await Promise.all(
  ids.map(async (id) => {
    // Resume after an earlier kill: carry on from the durable head.
    const head = (await store.describe(id))?.headSeq ?? 0;
    if (head > 0) heads.set(id, head);
    else {
      const r = await store.append(id, [started()], 0);
      heads.set(id, r.head);
      ack(id, r.head);
    }
  }),
);

for (let round = 0; ; round++) {
  await Promise.all(
    ids.map(async (id, i) => {
      const size = 1 + ((round + i) % maxBatch);
      const r = await store.append(id, batch(size), heads.get(id)!);
      heads.set(id, r.head);
      ack(id, r.head);
    }),
  );
}
