/**
 * The store conformance suite, run against every `EventStore`
 * implementation: both must accept, refuse and return exactly the same.
 */
import { afterAll, describe } from "bun:test";
import { badInputCases } from "./conformance/bad-input.ts";
import { historyCases } from "./conformance/history.ts";
import { namespaceCases } from "./conformance/namespaces.ts";
import { packageCases } from "./conformance/packages.ts";
import { queryCases } from "./conformance/query.ts";
import { runCases } from "./conformance/runs.ts";
import { timerCases } from "./conformance/timers.ts";
import { memoryFactory, type StoreFactory, sqliteFactory } from "./helpers.ts";

const factories: StoreFactory[] = [memoryFactory(), sqliteFactory()];

describe.each(factories.map((f) => [f.name, f] as const))("%s conformance", (_name, factory) => {
  afterAll(() => factory.cleanup());
  historyCases(factory);
  runCases(factory);
  queryCases(factory);
  timerCases(factory);
  packageCases(factory);
  badInputCases(factory);
  namespaceCases(factory);
});
