/**
 * Isolation of workflows on one engine: hostile workflows (fixtures/workflows/
 * wf_hostile.erl) run next to a normal one; each fails alone with the
 * expected recorded failure, and the normal workflow still completes.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { WorkflowOutcome } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { existingAtom } from "../../terms/atom.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const HOSTILE = [
  "halt",
  "halt_caught",
  "getenv",
  "getenv_caught",
  "file_read",
  "apply_file",
  "make_fun_cmd",
  "open_port",
  "spawned_getenv",
  "load_code",
  "atom_flood",
  "atom_flood_child",
  "atoms_reused",
  "huge_list",
  "heap_hog",
  "link_chain",
] as const;

const TYPES = {
  ...WORKFLOWS,
  ...Object.fromEntries(
    HOSTILE.map((f) => [`hostile_${f}`, { module: "wf_hostile", function: f }]),
  ),
};

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

function failure(o: WorkflowOutcome): string {
  if (o.status !== "Failed") throw new Error(`expected a failure, got ${JSON.stringify(o)}`);
  return o.error.message;
}

async function open(
  extra: { atomBudget?: number; maxHeapBytes?: number } = {},
): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: TYPES,
    log: () => {},
    ...extra,
  });
  return env;
}

describe("the workflow sandbox", () => {
  test("each hostile workflow fails alone; the normal one completes beside them", async () => {
    // A small memory limit so the heap hog is stopped quickly.
    const e = await open({ maxHeapBytes: 8 * 1024 * 1024 });
    const normal = await e.engine.start("basic", { name: "ada" });
    const ids: Record<string, string> = {};
    const inputs: Record<string, unknown> = {
      atom_flood: { prefix: "flood_a_" },
      atom_flood_child: { prefix: "flood_b_" },
      huge_list: { n: 20_000_000 },
    };
    for (const f of HOSTILE)
      ids[f] = await e.engine.start(`hostile_${f}`, inputs[f] ?? null, { workflowId: f });
    const outcome = async (f: string) => e.run(e.engine.result(ids[f]!));

    expect(failure(await outcome("halt"))).toBe("exit:{sandbox,{erlang,halt,1}}");
    // A catch does not turn halt into a return: the process ends.
    expect(failure(await outcome("halt_caught"))).toBe("exit:{sandbox,{erlang,halt,0}}");
    expect(failure(await outcome("getenv"))).toBe("error:{sandbox,{os,getenv,1}}");
    expect(await outcome("getenv_caught")).toMatchObject({
      status: "Completed",
      result: "{sandbox,{os,getenv,1}}",
    });
    expect(failure(await outcome("file_read"))).toBe("error:{sandbox,{file,read_file,1}}");
    expect(failure(await outcome("apply_file"))).toBe("error:{sandbox,{file,read_file,1}}");
    expect(failure(await outcome("make_fun_cmd"))).toBe("error:{sandbox,{os,cmd,1}}");
    expect(failure(await outcome("open_port"))).toBe("error:{sandbox,{erlang,open_port,2}}");
    expect(failure(await outcome("spawned_getenv"))).toBe("error:{sandbox,{os,getenv,1}}");
    expect(failure(await outcome("load_code"))).toBe("error:{sandbox,{erlang,load_module,2}}");
    expect(failure(await outcome("atom_flood"))).toBe("error:system_limit");
    expect(failure(await outcome("atom_flood_child"))).toBe("error:{child,system_limit}");
    expect(await outcome("atoms_reused")).toMatchObject({ status: "Completed", result: 50000 });
    // 20M cells are 40M words, past the limit: refused before building it.
    expect(failure(await outcome("huge_list"))).toBe("exit:killed");

    expect(await e.run(e.engine.result(normal))).toMatchObject({
      status: "Completed",
      result: { hello: "ada" },
    });
    expect(failure(await outcome("heap_hog"))).toBe("exit:killed");
    // A 100k-deep link chain dies whole (no JS stack overflow), taking only its workflow.
    expect(failure(await outcome("link_chain"))).toBe("exit:boom");
    expect(e.engine.runtime.vm.processes.size).toBeLessThan(100);
    expect(e.engine.runtime.vm.haltStatus).toBeNull();
  });

  test("after a halt, recovery halts nothing and new workflows run", async () => {
    const e = await open();
    const id = await e.engine.start("hostile_halt", null);
    expect(failure(await e.run(e.engine.result(id)))).toBe("exit:{sandbox,{erlang,halt,1}}");
    await e.engine.recover();
    expect(e.engine.runtime.vm.haltStatus).toBeNull();
    const after = await e.engine.start("basic", { name: "bo" });
    expect(await e.run(e.engine.result(after))).toMatchObject({ status: "Completed" });
  });
});

describe("the per-workflow memory limit", () => {
  test("defaults to 256 MiB: lists:seq(1, 20000000) fails its workflow at once", async () => {
    const logged: string[] = [];
    env = await TestEnvironment.create({
      modulesDir: FIXTURES,
      workflows: TYPES,
      log: (l) => logged.push(l),
    });
    const huge = await env.engine.start("hostile_huge_list", { n: 20_000_000 });
    const ok = await env.engine.start("hostile_huge_list", { n: 1000 });
    expect(failure(await env.run(env.engine.result(huge)))).toBe("exit:killed");
    expect(await env.run(env.engine.result(ok))).toMatchObject({
      status: "Completed",
      result: 1000,
    });
    const report = logged.find((l) => l.includes("maximum heap size reached"));
    expect(report).toContain(`Max Heap Size:      ${(256 * 1024 * 1024) / 8}`);
  });
});

describe("the per-workflow atom budget", () => {
  test("is configurable; each workflow has its own; the engine keeps working", async () => {
    const e = await open({ atomBudget: 50 });
    const a = await e.engine.start("hostile_atom_flood", { prefix: "budget_a_" });
    expect(failure(await e.run(e.engine.result(a)))).toBe("error:system_limit");
    // Exactly the budget was created before the refusal.
    expect(existingAtom("budget_a_49")).toBeDefined();
    expect(existingAtom("budget_a_50")).toBeUndefined();
    // A second workflow starts with a fresh budget.
    const b = await e.engine.start("hostile_atom_flood", { prefix: "budget_b_" });
    expect(failure(await e.run(e.engine.result(b)))).toBe("error:system_limit");
    expect(existingAtom("budget_b_49")).toBeDefined();
    const ok = await e.engine.start("basic", { name: "cy" });
    expect(await e.run(e.engine.result(ok))).toMatchObject({ status: "Completed" });
  });
});
