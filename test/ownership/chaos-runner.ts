/**
 * One engine process of the chaos test: `bun chaos-runner.ts <db> <schema|-> <ownerId> <execLog>`.
 * Opens a shared-mode engine on the SQLite file or PostgreSQL URL (tables in
 * the schema), runs the fixture workflows and their activities until it is
 * killed or gets SIGTERM. Every activity execution appends one line
 * `<workflowId> <activityId>` to the execution log (O_APPEND: a line is
 * written whole or not at all), so the test can count executions against
 * the at-least-once bound. Prints "ready" once its shards are recovered.
 */
import { appendFileSync } from "node:fs";
import { type ActivityContext, Engine } from "../../engine/index.ts";
import { type EventStore, SqliteStore } from "../../engine/store/index.ts";
import { isPostgresUrl, PostgresStore } from "../../engine/store/postgres/index.ts";
import { ACTIVITIES, FIXTURES, WORKFLOWS } from "../engine/helpers.ts";

const [db, schema, ownerId, execLog] = process.argv.slice(2) as [string, string, string, string];
const leaseMs = Number(process.env.CHAOS_LEASE_MS ?? 1500);

const store: EventStore = isPostgresUrl(db)
  ? await PostgresStore.open(db, { ...(schema !== "-" ? { schema } : {}), maxConnections: 4 })
  : new SqliteStore(db);

const executed = (ctx: ActivityContext) =>
  appendFileSync(execLog, `${ctx.workflowId} ${ctx.activityId}\n`);

const engine = await Engine.open({
  store,
  modulesDir: FIXTURES,
  workflows: WORKFLOWS,
  // The fixture activities, each execution logged first.
  activities: Object.fromEntries(
    Object.entries(ACTIVITIES).map(([name, fn]) => [
      name,
      (input: unknown, ctx: ActivityContext) => {
        executed(ctx);
        return fn(input, ctx);
      },
    ]),
  ),
  log: (line) => process.stderr.write(`[${ownerId}] ${line}`),
  ownership: { mode: "shared", ownerId, leaseMs, pollMs: 25 },
});
console.log("ready");
process.once("SIGTERM", () => {
  void engine
    .shutdown()
    .then(() => store.close())
    .then(() => process.exit(0));
});
