/**
 * `aion precompile` and the launcher's choice between the precompiled bundle
 * and the sources (bin/precompile.ts, bin/precompiled.ts, bin/aion.ts).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrecompileError, precompile } from "../../bin/precompile.ts";
import type { PrecompileStamp } from "../../bin/precompiled.ts";
import { PUBLIC_MODULES } from "../../bin/precompiled-main.ts";
import { aionWith, ROOT } from "./helpers.ts";

/** Building the bundle takes a few seconds, many more on a loaded machine. */
setDefaultTimeout(120_000);

const FIXTURES = join(ROOT, "fixtures/cli");
let work = "";
/** The precompiled CLI every test here reads (built once). */
let dir = "";

/** `aion ARGS...` with extra environment. */
const aionEnv = (env: Record<string, string>, ...args: string[]) => aionWith({ env }, ...args);
const pre = (...args: string[]) => aionEnv({ AION_PRECOMPILED_DIR: dir }, ...args);
const src = (...args: string[]) => aionEnv({ AION_PRECOMPILED: "0" }, ...args);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "aion-precompile-"));
  dir = join(work, "dist");
  const r = await pre("precompile");
  if (r.code !== 0) throw new Error(`aion precompile failed: ${r.stdout}${r.stderr}`);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("aion precompile", () => {
  test("writes a strict CommonJS bundle with its bytecode, then a stamp that --check calls fresh", async () => {
    const js = readFileSync(join(dir, "aion.js"), "utf8");
    expect(js.startsWith("// @bun @bytecode @bun-cjs\n")).toBe(true);
    // Strict like the modules it came from: the directive opens the wrapper function.
    expect(js.split("\n")[1]).toMatch(
      /^\(function\(exports, require, module, __filename, __dirname\) \{"use strict";$/,
    );
    expect(statSync(join(dir, "aion.js.jsc")).size).toBeGreaterThan(0);
    const stamp = JSON.parse(readFileSync(join(dir, "aion.stamp.json"), "utf8")) as PrecompileStamp;
    expect(stamp.bun).toBe(Bun.version);
    expect(stamp.entry).toBe(join(ROOT, "bin/precompiled-main.ts"));
    const inputs = stamp.inputs.map(([p]) => p);
    for (const f of ["bin/main.ts", "vm/vm.ts", "bin/commands/run.ts", "terms/atom.ts"]) {
      expect(inputs).toContain(join(ROOT, f));
    }
    expect(stamp.outputs.map(([f]) => f).sort()).toEqual(["aion.js", "aion.js.jsc", "aion.js.map"]);

    const check = await pre("precompile", "--check");
    expect(check.code).toBe(0);
    expect(check.stdout).toBe(`fresh: ${join(dir, "aion.js")}\n`);
  });

  test("the precompiled command line runs programs as the sources do", async () => {
    const cases = [
      ["run", "--path", FIXTURES, "hello:main", '"world"'],
      ["run", "--path", FIXTURES, "hello:add", "100000000000000000000", "2.5"],
      ["run", "--path", FIXTURES, "hello:crash", "5"],
      ["--version"],
      ["run", "--bogus"],
    ];
    for (const args of cases) {
      const [a, b] = await Promise.all([pre(...args), src(...args)]);
      expect({ args, ...a }).toEqual({ args, ...b });
    }
    const hello = await pre("run", "--path", FIXTURES, "hello:main", '"world"');
    expect(hello.stdout).toBe("Hello, world!\n{ok,[100,108,114,111,119]}\n");
  });

  test("it covers every public entry point of package.json, and no other", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      exports: Record<string, string | { default: string }>;
    };
    const targets = Object.entries(pkg.exports)
      .filter(([k]) => k !== "./package.json")
      .map(([, v]) => (typeof v === "string" ? v : v.default).replace(/^\.\//, ""));
    expect(Object.keys(PUBLIC_MODULES).sort()).toEqual(targets.sort());
  });

  test("a module it loads that imports the package gets the bundle's own modules", async () => {
    // The activities of `aion worker` are such modules; two copies of the
    // package would make the engine's `instanceof TerminalError` say no.
    const script = `
      const bundle = require(${JSON.stringify(join(dir, "aion.js"))});
      await bundle.main(["--version"]);
      const own = await bundle.PUBLIC_MODULES["index.ts"]();
      const imported = await import(${JSON.stringify(join(ROOT, "index.ts"))});
      const vmOwn = await bundle.PUBLIC_MODULES["vm/index.ts"]();
      const vmImported = await import(${JSON.stringify(join(ROOT, "vm/index.ts"))});
      console.log(JSON.stringify([
        imported.TerminalError === own.TerminalError,
        imported.Engine === own.Engine,
        vmImported.createVM === vmOwn.createVM,
      ]));`;
    const p = Bun.spawn(["bun", "-e", script], { cwd: work, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
      p.exited,
    ]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out.trim().split("\n").at(-1)).toBe("[true,true,true]");
  });

  test.skipIf(Bun.which("erlc") === null)(
    "an activity's TerminalError fails its step, precompiled as from the sources",
    async () => {
      // The saga template's hotel activity throws TerminalError from "aion-bun".
      const project = join(work, "trip");
      const r = await src("new", "trip", "--template", "saga", "--dir", project);
      expect(r.code).toBe(0);
      mkdirSync(join(project, "node_modules"));
      symlinkSync(ROOT, join(project, "node_modules", "aion-bun"), "dir");
      const pkg = join(work, "trip.aion");
      expect((await src("package", project, "-o", pkg)).code).toBe(0);
      const input = JSON.stringify({ trip: "Oslo", fail_at: "reserve_hotel" });
      for (const [how, cli] of [
        ["precompiled", pre],
        ["sources", src],
      ] as const) {
        const db = join(work, `trip-${how}.db`);
        expect((await cli("deploy", pkg, "--db", db)).code).toBe(0);
        const started = await cli(
          "start",
          "trip",
          input,
          "--wait",
          "--activities",
          join(project, "activities.ts"),
          "--db",
          db,
          "--json",
        );
        expect({ how, code: started.code }).toEqual({ how, code: 0 });
        expect(JSON.parse(started.stdout).result).toMatchObject({
          status: "compensated",
          reason: "terminal:reserve_hotel declined for Oslo",
        });
      }
    },
  );

  test("a source changed while it is being built is refused, not stamped", async () => {
    const entry = join(work, "entry.ts");
    writeFileSync(entry, "export const x = 1;\n");
    // A modification time after the build began is what an edit during it leaves.
    const later = new Date(Date.now() + 60_000);
    utimesSync(entry, later, later);
    const out = join(work, "edited");
    await expect(precompile(entry, out, "entry")).rejects.toThrow(
      new PrecompileError(`${entry} changed while it was being precompiled; run it again`),
    );
    expect(existsSync(join(out, "entry.stamp.json"))).toBe(false);
  });

  test("a directory it cannot write is a one-line error, exit 1", async () => {
    const file = join(work, "a-file");
    writeFileSync(file, "");
    const r = await aionEnv({ AION_PRECOMPILED_DIR: join(file, "dist") }, "precompile");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^aion precompile: cannot write into .*a-file\/dist: ENOTDIR/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("--check and --remove together are a usage error", async () => {
    const r = await pre("precompile", "--check", "--remove");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--check and --remove do not go together");
  });
});

describe("the launcher runs the bundle only while it is fresh", () => {
  /** A copy of the bundle that says on stderr that it ran, with a stamp made to match. */
  const MARK = "ran the precompiled bundle";
  let marked = "";
  let stamp: PrecompileStamp;

  beforeAll(() => {
    marked = join(work, "marked");
    rmSync(marked, { recursive: true, force: true });
    mkdirSync(marked);
    const js = readFileSync(join(dir, "aion.js"), "utf8").replace(
      '{"use strict";',
      `{"use strict";process.stderr.write(${JSON.stringify(`${MARK}\n`)});`,
    );
    writeFileSync(join(marked, "aion.js"), js);
    copyFileSync(join(dir, "aion.js.map"), join(marked, "aion.js.map"));
    // The bytecode was compiled from the unmarked text: left out, so Bun parses the file.
    const original = JSON.parse(
      readFileSync(join(dir, "aion.stamp.json"), "utf8"),
    ) as PrecompileStamp;
    stamp = {
      ...original,
      outputs: [
        ["aion.js", statSync(join(marked, "aion.js")).size],
        ["aion.js.map", statSync(join(marked, "aion.js.map")).size],
      ],
    };
  });

  const withStamp = (s: PrecompileStamp | null): void => {
    const file = join(marked, "aion.stamp.json");
    if (s === null) rmSync(file, { force: true });
    else writeFileSync(file, JSON.stringify(s));
  };
  const run = (env: Record<string, string> = {}) =>
    aionEnv({ AION_PRECOMPILED_DIR: marked, ...env }, "--version");
  const check = () => aionEnv({ AION_PRECOMPILED_DIR: marked }, "precompile", "--check");
  const version = `${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`;

  test("fresh: the bundle runs; AION_PRECOMPILED=0: the sources do", async () => {
    withStamp(stamp);
    const r = await run();
    expect(r).toEqual({ code: 0, stdout: version, stderr: `${MARK}\n` });
    const s = await run({ AION_PRECOMPILED: "0" });
    expect(s).toEqual({ code: 0, stdout: version, stderr: "" });
  });

  const stale: [string, () => PrecompileStamp | null, RegExp][] = [
    ["no stamp", () => null, /^not used: not precompiled \(no .*aion\.stamp\.json\)$/],
    [
      "another Bun built it",
      () => ({ ...stamp, bun: "0.0.1" }),
      /^not used: built by Bun 0\.0\.1, this is Bun /,
    ],
    [
      "another copy of the package built it",
      () => ({ ...stamp, entry: "/elsewhere/bin/precompiled-main.ts" }),
      /^not used: built from \/elsewhere\/bin\/precompiled-main\.ts, not .*\/bin\/precompiled-main\.ts$/,
    ],
    [
      "a source file changed since",
      () => ({
        ...stamp,
        inputs: stamp.inputs.map(([p, size, mtime]) =>
          p.endsWith("/vm/vm.ts")
            ? ([p, size, mtime - 1000] as const)
            : ([p, size, mtime] as const),
        ),
      }),
      /^not used: .*\/vm\/vm\.ts changed since it was precompiled$/,
    ],
    [
      "a source file is gone",
      () => ({
        ...stamp,
        inputs: [...stamp.inputs, [join(ROOT, "bin/no-such-file.ts"), 1, 1] as const],
      }),
      /no-such-file\.ts changed since it was precompiled$/,
    ],
    [
      "a malformed stamp",
      () => ({ ...stamp, outputs: 5 }) as unknown as PrecompileStamp,
      /^not used: unreadable stamp .*aion\.stamp\.json$/,
    ],
    [
      "the bundle changed after it was stamped",
      () => ({ ...stamp, outputs: [["aion.js", 1], ...stamp.outputs.slice(1)] }),
      /^not used: aion\.js changed$/,
    ],
  ];
  for (const [what, make, why] of stale) {
    test(`${what}: the sources run, and --check says why`, async () => {
      withStamp(make());
      const r = await run();
      expect(r).toEqual({ code: 0, stdout: version, stderr: "" });
      const c = await check();
      expect(c.code).toBe(1);
      expect(c.stdout.trim()).toMatch(why);
    });
  }

  test("--remove deletes the bundle and its stamp", async () => {
    withStamp(stamp);
    const r = await aionEnv({ AION_PRECOMPILED_DIR: marked }, "precompile", "--remove");
    expect(r.code).toBe(0);
    for (const f of ["aion.js", "aion.js.map", "aion.stamp.json"]) {
      expect(existsSync(join(marked, f))).toBe(false);
    }
    expect((await check()).code).toBe(1);
  });
});
