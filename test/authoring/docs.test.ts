/**
 * docs/authoring.md teaches with runnable snippets: each is marked
 * `<!-- snippet: fixtures/workflows/doc_X.erl -->` and must be that file byte
 * for byte (so the page cannot drift from what runs), and each module runs
 * here on the time-skipping test environment with the result the page says.
 */
import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ActivityFn, TerminalError, type WorkflowTypeSpec } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/index.ts";
import { ROOT } from "../cli/helpers.ts";
import { FIXTURES } from "../engine/helpers.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const PAGE = readFileSync(join(ROOT, "docs", "authoring.md"), "utf8");

/** Every snippet of the page: the file it claims to be and its text. */
const SNIPPETS = [
  ...PAGE.matchAll(/<!-- snippet: (\S+) -->\n```(?:erlang|elixir)\n([\s\S]*?)```\n/g),
].map((m) => ({ file: m[1]!, text: m[2]! }));

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

/** The activities the snippets call. */
const ACTIVITIES: Record<string, ActivityFn> = {
  greet: (input) => `Hello, ${(input as { name: string }).name}!`,
  step: (n) => (n as number) * 10,
  charge: (input) => {
    const { amount } = input as { amount: number };
    if (amount > 100) throw new TerminalError("over the limit");
    return { receipt: `r-${amount}` };
  },
  price: (item) => String(item).length,
  quote_fast: () => "fast",
  // Never answers: the race cancels it.
  quote_slow: (_input, ctx) =>
    new Promise((_resolve, reject) =>
      ctx.signal.addEventListener("abort", () => reject(new Error("aborted"))),
    ),
  reserve_stock: (items) => ({ reserved: (items as unknown[]).length }),
  warehouse: (part) => ({ part, in_stock: 4 }),
};

async function open(module: string, extra: Record<string, WorkflowTypeSpec> = {}) {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: { [module]: { module, function: "run" }, ...extra },
    activities: ACTIVITIES,
    log: () => {},
  });
  return env;
}

async function runSnippet(module: string, input: unknown, extra = {}) {
  const e = await open(module, extra);
  return e.run(e.engine.result(await e.engine.start(module, input, { workflowId: "doc" })));
}

test("every snippet is its fixture file, and every doc fixture is on the page", () => {
  expect(SNIPPETS.length).toBe(9);
  for (const s of SNIPPETS) {
    expect(s.text).toBe(readFileSync(join(ROOT, s.file), "utf8"));
  }
  const onPage = SNIPPETS.map((s) => s.file.replace(/^.*\//, "")).sort();
  const fixtures = [...new Bun.Glob("doc_*.{erl,ex}").scanSync(FIXTURES)].sort();
  expect(onPage).toEqual(fixtures);
});

test("doc_hello: an activity, then five durable minutes", async () => {
  expect(await runSnippet("doc_hello", { name: "Ada" })).toMatchObject({
    status: "Completed",
    result: { greeting: "Hello, Ada!" },
  });
  expect(env!.clock.now()).toBeGreaterThanOrEqual(5 * 60_000);
});

test("doc_elixir: the same workflow in Elixir, on Aion.Workflow", async () => {
  expect(await runSnippet("doc_elixir", { name: "Ada" })).toMatchObject({
    status: "Completed",
    result: { greeting: "Hello, Ada!" },
  });
  expect(env!.clock.now()).toBeGreaterThanOrEqual(5 * 60_000);
});

test("doc_deadline: the work finishes inside its deadline", async () => {
  expect(await runSnippet("doc_deadline", null)).toMatchObject({ result: { sum: 30 } });
});

test("doc_activities: a receipt, or the terminal reason", async () => {
  expect(await runSnippet("doc_activities", { amount: 5 })).toMatchObject({
    result: { charged: true, receipt: "r-5" },
  });
  await env!.shutdown();
  env = undefined;
  expect(await runSnippet("doc_activities", { amount: 500 })).toMatchObject({
    result: { charged: false, why: "over the limit" },
  });
});

test("doc_signals: signals collected, the query answered, an idle hour ends it", async () => {
  const e = await open("doc_signals");
  const id = await e.engine.start("doc_signals", null);
  await e.engine.signal(id, "add", "apples");
  await e.engine.signal(id, "add", { pears: 2 });
  await e.settle();
  expect(await e.engine.query(id, "items")).toEqual(["apples", { pears: 2 }]);
  expect(await e.run(e.engine.result(id))).toMatchObject({
    status: "Completed",
    result: { items: ["apples", { pears: 2 }] },
  });
});

test("doc_parallel: all, race, and a child beside an activity", async () => {
  const outcome = await runSnippet(
    "doc_parallel",
    { items: ["ab", "cde"] },
    { shipping: { module: "doc_parallel", function: "shipping" } },
  );
  expect(outcome).toMatchObject({
    status: "Completed",
    result: { total: 5, quote: "fast", stock: { reserved: 2 }, eta: { days: 2, parcels: 2 } },
  });
});

test("doc_race: the faster child wins, a child races an activity, the loser is awaited", async () => {
  const outcome = await runSnippet(
    "doc_race",
    { part: "gear" },
    { supplier: { module: "doc_race", function: "supplier" } },
  );
  expect(outcome).toMatchObject({
    status: "Completed",
    result: {
      offer: { part: "gear", days: 1 },
      stock: { part: "gear", in_stock: 4 },
      backup: { part: "gear", days: 3 },
    },
  });
  expect(env!.clock.now()).toBeGreaterThanOrEqual(3 * 86_400_000);
  // The losing supplier of the second race was not cancelled: it ran to its end.
  expect(await env!.run(env!.engine.result("doc/child-3"))).toMatchObject({
    status: "Completed",
    result: { days: 2 },
  });
});

test("doc_countdown: two continues as new, then done under the same id", async () => {
  const outcome = await runSnippet("doc_countdown", { n: 2 });
  expect(outcome).toMatchObject({ status: "Completed", result: { done: "doc" } });
  expect(env!.clock.now()).toBeGreaterThanOrEqual(3 * 86_400_000);
});

test("doc_observe: recorded time, a die roll, the id", async () => {
  const outcome = await runSnippet("doc_observe", null);
  expect(outcome).toMatchObject({ result: { id: "doc", started: 1_700_000_000_000 } });
  const roll = (outcome as { result: { roll: number } }).result.roll;
  expect(roll >= 1 && roll <= 6).toBe(true);
});
