/**
 * The store conformance suite, run against every `EventStore`
 * implementation: all must accept, refuse and return exactly the same.
 * PostgreSQL joins when a server is available (see postgres-server.ts);
 * otherwise its run is reported as skipped, with the reason.
 */
import { afterAll, describe, setDefaultTimeout, test } from "bun:test";
import { badInputCases } from "./conformance/bad-input.ts";
import { coordinationCases, memberCases } from "./conformance/coordination.ts";
import { historyCases } from "./conformance/history.ts";
import { namespaceCases } from "./conformance/namespaces.ts";
import { packageCases } from "./conformance/packages.ts";
import { pagingCases } from "./conformance/paging.ts";
import { queryCases } from "./conformance/query.ts";
import { runCases } from "./conformance/runs.ts";
import { timerCases } from "./conformance/timers.ts";
import { memoryFactory, postgresFactory, type StoreFactory, sqliteFactory } from "./helpers.ts";
import { testPostgres } from "./postgres-server.ts";

// SQLite with FULL sync (and PostgreSQL when available) on a loaded machine: a single
// case can take seconds. The bound only stops a hang.
setDefaultTimeout(60_000);

const postgres = testPostgres();
const factories: StoreFactory[] = [memoryFactory(), sqliteFactory()];
if (postgres.url !== undefined) factories.push(postgresFactory(postgres.url));
else test.skip(`PostgresStore conformance: ${postgres.skip}`, () => {});

describe.each(factories.map((f) => [f.name, f] as const))("%s conformance", (_name, factory) => {
  afterAll(() => factory.cleanup());
  historyCases(factory);
  runCases(factory);
  queryCases(factory);
  pagingCases(factory);
  timerCases(factory);
  packageCases(factory);
  badInputCases(factory);
  namespaceCases(factory);
  coordinationCases(factory);
  memberCases(factory);
});
