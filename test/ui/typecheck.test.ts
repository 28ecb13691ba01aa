/**
 * The console's browser code is type-checked under its own tsconfig (DOM
 * types, which the rest of the repository must not see): ui/tsconfig.json.
 * The root `tsc -p .` does not include ui/, so this is where it is checked.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const ROOT = join(import.meta.dir, "../..");

test("ui/ type-checks with the DOM library", async () => {
  const p = Bun.spawn(["bunx", "tsc", "--noEmit", "-p", join(ROOT, "ui")], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  expect(`${out}${err}`).toBe("");
  expect(code).toBe(0);
}, 120_000);
