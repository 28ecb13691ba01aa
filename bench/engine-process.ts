/**
 * One engine process of the multi-process benchmark:
 * `bun bench/engine-process.ts <db> <schema|-> <ownerId>`. A shared-mode
 * engine (a worker) running the benchmark workflows and the `echo`
 * activity until SIGTERM; prints "ready" once it holds its shards.
 */
import { join } from "node:path";
import { Engine } from "../engine/index.ts";
import { type EventStore, SqliteStore } from "../engine/store/index.ts";
import { isPostgresUrl, PostgresStore } from "../engine/store/postgres/index.ts";

const [db, schema, ownerId] = process.argv.slice(2) as [string, string, string];
const store: EventStore = isPostgresUrl(db)
  ? await PostgresStore.open(db, { ...(schema !== "-" ? { schema } : {}), maxConnections: 8 })
  : new SqliteStore(db);
const engine = await Engine.open({
  store,
  modulesDir: join(import.meta.dir, "../fixtures/workflows"),
  workflows: {
    noop: { module: "wf_bench", function: "noop" },
    acts: { module: "wf_bench", function: "acts" },
    work: { module: "wf_bench", function: "work" },
  },
  activities: { echo: (x) => x },
  log: (line) => process.stderr.write(`[${ownerId}] ${line}`),
  ownership: { mode: "shared", ownerId, leaseMs: 5_000, pollMs: 20 },
});
console.log("ready");
process.once("SIGTERM", () => {
  void engine
    .shutdown()
    .then(() => store.close())
    .then(() => process.exit(0));
});
