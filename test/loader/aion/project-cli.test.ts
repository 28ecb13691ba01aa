/** `aion package` on a multi-workflow Gleam project: -o DIR, -o FILE, --build. */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildProject } from "../../../loader/aion/index.ts";
import { aion, type CliRun, ROOT } from "../../cli/helpers.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const PROJECT = "fixtures/projects/gleam_like";
const scratch = mkdtempSync(join(tmpdir(), "aion-project-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("package PROJECT -o DIR writes one archive per [[workflow]] into DIR", async () => {
  const out = join(scratch, "out");
  const r = await aion("package", PROJECT, "-o", out);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const built = buildProject(join(ROOT, PROJECT));
  expect(readdirSync(out).sort()).toEqual(["order.aion", "payment.aion", "refund.aion"]);
  for (const p of built.packages) {
    const file = join(out, p.output.split("/").pop()!);
    expect<Uint8Array>(new Uint8Array(readFileSync(file))).toEqual(p.bytes);
    expect(r.stdout).toContain(`wrote ${file} (${p.bytes.length} bytes)\nversion ${p.version}`);
  }
  expect(r.stdout).toContain(
    "my_app@workflows@payment -> my_app@workflows@payment:run, timeout 600s",
  );
  expect(r.stdout).toContain("left out aion_flow_ffi (aion_flow: sdk_test_only)");
});

test("-o FILE.aion with several workflows is refused; nothing is written", async () => {
  const file = join(scratch, "all.aion");
  const r = await aion("package", PROJECT, "-o", file);
  expect(r.code).toBe(1);
  expect(r.stderr).toStartWith(
    `PackageError[config]: ${file}: -o: the project declares 3 workflows`,
  );
  expect(existsSync(file)).toBe(false);
});

test("--build without gleam on PATH exits 1 with a build error, before packaging", async () => {
  const r = await run(["package", PROJECT, "-o", join(scratch, "never"), "--build"], {
    PATH: dirname(process.execPath),
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toStartWith(
    `PackageError[build]: ${PROJECT}: --build: \`gleam\` is not on PATH`,
  );
  expect(existsSync(join(scratch, "never"))).toBe(false);
});

/** `aion ARGS...` with a chosen environment (the shared helper inherits ours). */
async function run(args: string[], env: Record<string, string>): Promise<CliRun> {
  const p = Bun.spawn([process.execPath, join(ROOT, "bin", "aion.ts"), ...args], {
    cwd: ROOT,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { code, stdout, stderr };
}
