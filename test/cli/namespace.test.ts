/**
 * `--namespace NS` on the workflow commands: a workflow started in a
 * namespace is only visible there; elsewhere it is "not found" (exit 1),
 * exactly like an unknown id.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { aion, aionJson } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-cli-ns-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("start, describe, list, signal and cancel address one namespace", async () => {
  const db = join(dir, "ns.db");
  const pkg = join(dir, "hello.aion");
  expect((await aion("package", "examples/hello", "-o", pkg)).code).toBe(0);
  expect((await aion("deploy", pkg, "--db", db)).code).toBe(0);
  const input = '{"name":"Ada"}';
  expect(
    await aionJson("start", "hello", input, "--id", "n1", "--namespace", "team-a", "--db", db),
  ).toEqual({ workflowId: "n1" });

  const described = (await aionJson("describe", "n1", "--namespace", "team-a", "--db", db)) as {
    namespace: string;
  };
  expect(described.namespace).toBe("team-a");
  const ids = async (...ns: string[]) =>
    ((await aionJson("list", ...ns, "--db", db)) as { workflowId: string }[]).map(
      (w) => w.workflowId,
    );
  expect(await ids("--namespace", "team-a")).toEqual(["n1"]);
  expect(await ids()).toEqual([]);

  // From the default namespace (or another), n1 is unknown: exit 1, same message as a missing id.
  const elsewhere = await aion("describe", "n1", "--db", db, "--json");
  const missing = await aion("describe", "n2", "--db", db, "--json");
  expect([elsewhere.code, missing.code]).toEqual([1, 1]);
  expect(elsewhere.stdout).toBe(missing.stdout);
  expect(JSON.parse(elsewhere.stdout)).toEqual({
    error: { code: "unknown-workflow", message: "workflow not found in namespace default" },
  });
  expect((await aion("signal", "n1", "go", "--namespace", "team-b", "--db", db)).code).toBe(1);
  expect((await aion("cancel", "n1", "--namespace", "team-a", "--db", db)).code).toBe(0);
  expect((await aion("history", "n1", "--namespace", "team-a", "--db", db, "--json")).code).toBe(0);
}, 120_000);
