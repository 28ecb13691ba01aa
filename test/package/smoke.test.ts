/**
 * The npm package as a user gets it: `bun pm pack` the repository, `bun add`
 * the tarball into a fresh project laid out as `bun init` lays it out (its
 * default tsconfig included), then `tsc --noEmit` the project's imports of
 * every subpath, run a workflow through the installed library, and run the
 * installed `aion` binary.
 *
 * Entirely offline, and with an empty package cache, so it passes on a
 * machine with no network:
 * - `bun init` itself would fetch `@types/bun` and `typescript`, so the
 *   project files are written here instead, with the same tsconfig.
 * - The package's one dependency, `binary-parser`, is repacked from the
 *   repository's node_modules into a local tarball, and the project's
 *   `overrides` point the dependency at it; `bun add --offline` then never
 *   asks a registry.
 * - `typescript`, `bun-types`, `@types/node` and `undici-types` are symlinked
 *   from the repository's node_modules after the install; `@types/bun` (what
 *   bun init's `"types": ["bun"]` names) is written as the one-line shim the
 *   real package is: a reference to `bun-types`.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const ROOT = join(import.meta.dir, "../..");
const REPO_MODULES = join(ROOT, "node_modules");
const work = mkdtempSync(join(tmpdir(), "aion-pkg-"));
const app = join(work, "app");

/** bun init's tsconfig.json (Bun 1.4), comments dropped. */
const BUN_INIT_TSCONFIG = {
  compilerOptions: {
    lib: ["ESNext"],
    target: "ESNext",
    module: "Preserve",
    moduleDetection: "force",
    jsx: "react-jsx",
    allowJs: true,
    types: ["bun"],
    moduleResolution: "bundler",
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    noFallthroughCasesInSwitch: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noUnusedLocals: false,
    noUnusedParameters: false,
    noPropertyAccessFromIndexSignature: false,
  },
};

/** The project's code: every subpath imported, one workflow run end to end. */
const APP_CODE = `
import { Engine, type WorkflowOutcome } from "aion-bun";
import { openDeployed } from "aion-bun/deploy";
import { apiHandler } from "aion-bun/http";
import { replay } from "aion-bun/testing";
import { loadBeam } from "aion-bun/loader";
import { ManualClock } from "aion-bun/vm";
import { join } from "node:path";

const pkg = await Bun.file(process.argv[2]!).bytes();
const { engine, deployments } = await openDeployed({
  store: join(import.meta.dir, "app.db"),
  activities: { greet: (input: unknown) => \`Hello, \${(input as { name: string }).name}!\` },
});
await deployments.deploy(pkg, "hello.aion");
const id = await deployments.start("hello", { name: "Ada" });
const outcome: WorkflowOutcome = await engine.result(id);
await engine.shutdown();
const parts = [Engine, apiHandler, replay, loadBeam, ManualClock].map((f) => typeof f);
console.log(JSON.stringify({ outcome, parts }));
`;

function run(cmd: string[], cwd: string): { code: number; out: string } {
  const p = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env } });
  return { code: p.exitCode, out: `${p.stdout.toString()}${p.stderr.toString()}` };
}

function link(name: string): void {
  const target = join(app, "node_modules", name);
  mkdirSync(join(target, ".."), { recursive: true });
  if (!existsSync(target)) symlinkSync(join(REPO_MODULES, name), target);
}

let tarball = "";

beforeAll(() => {
  mkdirSync(app, { recursive: true });
  const packed = run(["bun", "pm", "pack", "--destination", work, "--quiet"], ROOT);
  if (packed.code !== 0) throw new Error(`bun pm pack failed: ${packed.out}`);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);

  // binary-parser as a local tarball (npm layout: everything under package/).
  cpSync(join(REPO_MODULES, "binary-parser"), join(work, "bp", "package"), { recursive: true });
  const bp = run(
    ["tar", "czf", join(work, "binary-parser.tgz"), "-C", join(work, "bp"), "package"],
    work,
  );
  if (bp.code !== 0) throw new Error(`tar failed: ${bp.out}`);

  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "app",
      module: "index.ts",
      type: "module",
      private: true,
      overrides: { "binary-parser": join(work, "binary-parser.tgz") },
    }),
  );
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify(BUN_INIT_TSCONFIG, null, 2));
  // Every other subpath the package declares (./client and any added later) is
  // imported too, so the type-check covers all of them.
  const exported = Object.keys(
    (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: object }).exports,
  ).filter((k) => k.startsWith("./") && k !== "./package.json");
  const extra = exported.map((k, i) => `import * as subpath${i} from "aion-bun/${k.slice(2)}";`);
  const use = `export const subpaths = [${exported.map((_, i) => `subpath${i}`).join(", ")}];`;
  writeFileSync(join(app, "index.ts"), `${extra.join("\n")}\n${APP_CODE}\n${use}\n`);
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

test("the tarball holds sources only, and package.json has no private flag", () => {
  const list = run(["tar", "tzf", tarball], work);
  expect(list.code).toBe(0);
  const files = list.out.trim().split("\n");
  expect(files).toContain("package/index.ts");
  expect(files).toContain("package/bin/aion.ts");
  expect(files).toContain("package/engine/erlang/aion_flow_support.beam");
  expect(files).toContain("package/nifs/stdlib/lists.beam");
  const stray = files.filter((f) =>
    /^package\/(test|fixtures|bench|scripts|examples|node_modules|\.git)\/|\.db(-\w+)?$|\.test\.ts$/.test(
      f,
    ),
  );
  expect(stray).toEqual([]);
  const manifest = JSON.parse(run(["tar", "xzf", tarball, "-O", "package/package.json"], work).out);
  expect(manifest.private).toBeUndefined();
  const subpaths = Object.keys(manifest.exports);
  for (const p of [".", "./deploy", "./http", "./testing", "./loader", "./vm"]) {
    expect(subpaths).toContain(p);
  }
  // Every subpath (./client too, once it exists) points at files the tarball holds.
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const paths = typeof target === "string" ? [target] : Object.values(target as object);
    for (const t of paths as string[]) {
      expect({ subpath, file: files.includes(`package/${t.slice(2)}`) }).toEqual({
        subpath,
        file: true,
      });
    }
  }
  expect(files).toContain(`package/${manifest.types.slice(2)}`);
});

test("bun add the tarball offline, tsc --noEmit under bun init's tsconfig, run it", async () => {
  const added = run(
    ["bun", "add", "--offline", "--cache-dir", join(work, "empty-cache"), tarball],
    app,
  );
  expect(added.out).not.toContain("error:");
  expect(added.code).toBe(0);
  for (const name of ["typescript", "bun-types", "@types/node", "undici-types"]) link(name);
  mkdirSync(join(app, "node_modules/@types/bun"), { recursive: true });
  writeFileSync(
    join(app, "node_modules/@types/bun/package.json"),
    JSON.stringify({ name: "@types/bun", version: "0.0.0-local", types: "index.d.ts" }),
  );
  writeFileSync(
    join(app, "node_modules/@types/bun/index.d.ts"),
    '/// <reference types="bun-types" />\n',
  );

  const tsc = run(
    ["bun", join(app, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."],
    app,
  );
  expect(tsc.out).toBe("");
  expect(tsc.code).toBe(0);

  const built = run(
    [
      "bun",
      "node_modules/.bin/aion",
      "package",
      join(ROOT, "examples/hello"),
      "-o",
      join(work, "hello.aion"),
    ],
    app,
  );
  expect(built.code).toBe(0);
  const ran = run(["bun", "index.ts", join(work, "hello.aion")], app);
  expect(ran.code).toBe(0);
  expect(JSON.parse(ran.out.trim().split("\n").at(-1)!)).toEqual({
    outcome: {
      status: "Completed",
      result: { greeting: "Hello, Ada!", waited_ms: 100 },
      resultText: expect.any(String),
    },
    parts: ["function", "function", "function", "function", "function"],
  });

  const version = run(["bun", "node_modules/.bin/aion", "--version"], app);
  expect(version.out.trim()).toBe((await Bun.file(join(ROOT, "package.json")).json()).version);
}, 120_000);
