/**
 * Child process of the race test: appends `count` batches of `size` events
 * tagged with `tag` to one workflow through its own store connection
 * (SqliteStore on a file, or PostgresStore on a postgres:// URL and schema),
 * starting from head 1 like its rival. Prints `ready`, waits for `go` on
 * stdin, then one line per attempt: `ok <head>` or `conflict <expected> <actual>`.
 *
 * usage: bun race-writer.ts <dbPath|postgresUrl> <workflowId> <tag> <count> <size> [schema]
 */
import { jsonPayload, type WorkflowEvent } from "../../engine/events/index.ts";
import { AppendConflictError, type EventStore, SqliteStore } from "../../engine/store/index.ts";
import { isPostgresUrl, PostgresStore } from "../../engine/store/postgres/index.ts";

const [path, workflowId, tag, countArg, sizeArg, schema] = process.argv.slice(2);
if (path === undefined || workflowId === undefined || tag === undefined) {
  throw new Error(
    "usage: race-writer.ts <dbPath|postgresUrl> <workflowId> <tag> <count> <size> [schema]",
  );
}
const count = Number(countArg ?? 20);
const size = Number(sizeArg ?? 3);
const store: EventStore = isPostgresUrl(path)
  ? await PostgresStore.open(path, schema === undefined ? {} : { schema })
  : new SqliteStore(path);

process.stdout.write("ready\n");
for await (const line of console) {
  if (line.trim() === "go") break;
}

const batch = (n: number): WorkflowEvent[] =>
  Array.from({ length: size }, (_, index) => ({
    kind: "SignalReceived",
    signalName: tag,
    payload: jsonPayload({ tag, n, index }),
  }));

let expected = 1;
let done = 0;
while (done < count) {
  try {
    const r = await store.append(workflowId, batch(done), expected);
    expected = r.head;
    done++;
    process.stdout.write(`ok ${r.head}\n`);
  } catch (error) {
    if (!(error instanceof AppendConflictError)) throw error;
    // The conflict carries the real head: retry on top of it.
    process.stdout.write(`conflict ${error.expectedSeq} ${error.actualSeq}\n`);
    expected = error.actualSeq;
  }
  // A short random pause lets the rival grab the lock between our commits,
  // so the two really interleave instead of one starving the other.
  await Bun.sleep(Math.random() * 4);
}
await store.close();
