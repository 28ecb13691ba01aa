/**
 * buildProject on the gleam_like fixture (one archive per [[workflow]], all
 * from one beam set, manifests as the original writes them), the other module
 * layouts, output paths, `--build`'s runner, and the flat form unchanged.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildPackage,
  buildProject,
  computeVersion,
  outputPaths,
  readPackage,
  runGleamBuild,
  workflowTimeouts,
} from "../../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { expectPackageError, FIXTURES, ROOT } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const PROJECT = join(ROOT, "fixtures", "projects", "gleam_like");
const EBIN = join(PROJECT, "build", "dev", "erlang");
const scratch = mkdtempSync(join(tmpdir(), "aion-project-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A copy of the fixture project to change. */
function copy(): string {
  const d = join(scratch, `p${n++}`);
  cpSync(PROJECT, d, { recursive: true });
  return d;
}

function schema(name: string): unknown {
  return JSON.parse(readFileSync(join(PROJECT, "schemas", `${name}.json`), "utf8"));
}

const SHIPPED = [
  "aion@workflow",
  "gleam@int",
  "gleam@list",
  "my_app@pricing",
  "my_app@workflows@order",
  "my_app@workflows@payment",
  "my_app@workflows@refund",
];

describe("the gleam_like project", () => {
  const built = buildProject(PROJECT);

  test("one archive per [[workflow]], in order, at its configured output", () => {
    expect(built.form).toBe("project");
    expect(built.layout).toBe("gleam");
    expect(built.packages.map((p) => [p.workflowType, p.output])).toEqual([
      ["my_app@workflows@order", join(PROJECT, "order.aion")],
      ["my_app@workflows@payment", join(PROJECT, "payment.aion")],
      ["my_app@workflows@refund", join(PROJECT, "dist", "refund.aion")],
    ]);
  });

  test("every archive ships the whole beam set but the SDK's test-only modules", () => {
    for (const p of built.packages) {
      expect([...p.modules.keys()]).toEqual(SHIPPED);
      expect(p.modules.get("gleam@int")).toEqual(
        new Uint8Array(readFileSync(join(EBIN, "gleam_stdlib", "ebin", "gleam@int.beam"))),
      );
      expect([...p.sources.keys()]).toEqual([
        "my_app/pricing",
        "my_app/workflows/order",
        "my_app/workflows/payment",
        "my_app/workflows/refund",
      ]);
    }
    expect(built.excluded).toEqual([
      { module: "aion@testing", package: "aion_flow", reason: "sdk_test_only" },
      { module: "aion_flow_ffi", package: "aion_flow", reason: "sdk_test_only" },
    ]);
  });

  test("the manifests are what the original writes", () => {
    const [order, payment, refund] = built.packages.map((p) => {
      const read = readPackage(p.bytes, p.output);
      expect(read.version).toBe(p.version);
      return JSON.parse(new TextDecoder().decode(unzipManifest(p.bytes)));
    });
    expect(order).toEqual({
      entry_module: "my_app@workflows@order",
      entry_function: "run",
      input_schema: schema("order_input"),
      output_schema: schema("order_output"),
      timeout: { secs: 3600, nanos: 0 },
      activities: [],
      version: built.packages[0]!.version,
      format_version: 1,
    });
    expect(payment).toMatchObject({
      entry_module: "my_app@workflows@payment",
      input_schema: schema("payment_input"),
      output_schema: schema("payment_output"),
      timeout: { secs: 600, nanos: 0 },
      activities: [{ activity_type: "charge_card" }],
    });
    expect(refund).toMatchObject({
      entry_module: "my_app@workflows@refund",
      input_schema: schema("payment_input"),
      timeout: { secs: 900, nanos: 0 },
      activities: [{ activity_type: "refund_card" }],
    });
    expect(Object.keys(order)).not.toContain("additional_workflows");
  });

  test("versions: the timeouts form over the shared modules, so each entry's differs", () => {
    const modules = built.packages[0]!.modules;
    for (const p of built.packages) {
      expect(p.versionForm).toBe("timeouts");
      expect(p.version).toBe(computeVersion(modules, workflowTimeouts(p.manifest)));
    }
    expect(new Set(built.packages.map((p) => p.version)).size).toBe(3);
  });

  test("building twice, or from a copy elsewhere, gives the same bytes", () => {
    const again = buildProject(copy());
    expect(again.packages.map((p) => p.bytes)).toEqual(built.packages.map((p) => p.bytes));
  });

  test("include_source = false ships no sources and keeps the versions", () => {
    const d = copy();
    const toml = readFileSync(join(d, "workflow.toml"), "utf8");
    writeFileSync(
      join(d, "workflow.toml"),
      toml.replace("include_source = true", "include_source = false"),
    );
    const lean = buildProject(d);
    expect(lean.packages.map((p) => p.sources.size)).toEqual([0, 0, 0]);
    expect(lean.packages.map((p) => p.version)).toEqual(built.packages.map((p) => p.version));
  });

  test("buildPackage refuses a project with several workflows", () => {
    const err = expectPackageError(() => buildPackage(PROJECT), "config");
    expect(err.detail).toContain("declares 3 workflows");
  });
});

describe("module discovery", () => {
  test("a Gleam project that was never built says so", () => {
    const d = copy();
    rmSync(join(d, "build"), { recursive: true });
    const err = expectPackageError(() => buildProject(d), "not_built");
    expect(err.detail).toContain("gleam build");
  });

  test("two packages compiling one module is refused", () => {
    const d = copy();
    const dup = join(d, "build", "dev", "erlang", "zz_other", "ebin");
    mkdirSync(dup, { recursive: true });
    cpSync(join(EBIN, "gleam_stdlib", "ebin", "gleam@int.beam"), join(dup, "gleam@int.beam"));
    const err = expectPackageError(() => buildProject(d), "config");
    expect(err.detail).toBe(
      "module 'gleam@int' is provided by both gleam_stdlib and zz_other; rename one",
    );
  });

  test("a module named aion_flow_ffi outside the SDK package is refused as reserved", () => {
    const d = copy();
    cpSync(
      join(EBIN, "aion_flow", "ebin", "aion_flow_ffi.beam"),
      join(d, "build", "dev", "erlang", "my_app", "ebin", "aion_flow_ffi.beam"),
    );
    expectPackageError(() => buildProject(d), "reserved_module");
  });

  test("ebin/ and the project root are the other layouts", () => {
    const d = copy();
    mkdirSync(join(d, "ebin"));
    for (const pkg of ["my_app", "aion_flow", "gleam_stdlib"]) {
      cpSync(join(EBIN, pkg, "ebin"), join(d, "ebin"), { recursive: true });
    }
    rmSync(join(d, "ebin", "aion_flow_ffi.beam"));
    rmSync(join(d, "build"), { recursive: true });
    const fromEbin = buildProject(d);
    expect(fromEbin.layout).toBe("ebin");
    expect([...fromEbin.packages[0]!.modules.keys()]).toEqual(["aion@testing", ...SHIPPED]);

    cpSync(join(d, "ebin"), d, { recursive: true });
    rmSync(join(d, "ebin"), { recursive: true });
    const fromRoot = buildProject(d);
    expect(fromRoot.layout).toBe("root");
    expect(fromRoot.packages.map((p) => p.version)).toEqual(
      fromEbin.packages.map((p) => p.version),
    );
  });
});

describe("the flat form, unchanged", () => {
  test("buildProject and buildPackage agree on the hello fixture", () => {
    const hello = join(FIXTURES, "hello");
    const project = buildProject(hello);
    const single = buildPackage(hello);
    expect(project.form).toBe("flat");
    expect(project.layout).toBe("root");
    expect(project.packages).toHaveLength(1);
    expect(project.packages[0]!.bytes).toEqual(single.bytes);
    expect(project.packages[0]!.output).toBe(join(hello, "hello_flow.aion"));
    expect(single.defaultOutput).toBe(join(hello, "hello_flow.aion"));
    expect(single.manifest.additional_workflows.map((w) => w.workflow_type)).toEqual([
      "hello_shout",
    ]);
  });
});

describe("output paths", () => {
  const built = buildProject(PROJECT);
  const single = buildProject(join(FIXTURES, "minimal"));

  test("without -o: each archive where its config says", () => {
    expect(outputPaths(built)).toEqual(built.packages.map((p) => p.output));
  });

  test("-o DIR puts every archive into DIR under its file name", () => {
    expect(outputPaths(built, scratch)).toEqual([
      join(scratch, "order.aion"),
      join(scratch, "payment.aion"),
      join(scratch, "refund.aion"),
    ]);
    const fresh = join(scratch, "not-yet");
    expect(outputPaths(built, fresh)[2]).toBe(join(fresh, "refund.aion"));
  });

  test("-o FILE works for a single archive, and is refused for several", () => {
    expect(outputPaths(single, join(scratch, "m.aion"))).toEqual([join(scratch, "m.aion")]);
    expect(outputPaths(single, scratch)).toEqual([join(scratch, "minimal_flow.aion")]);
    const err = expectPackageError(() => outputPaths(built, join(scratch, "all.aion")), "config");
    expect(err.where).toBe("-o");
  });

  test("two archives with one file name cannot share -o DIR", () => {
    const d = copy();
    const toml = readFileSync(join(d, "workflow.toml"), "utf8");
    writeFileSync(
      join(d, "workflow.toml"),
      toml.replace('output = "order.aion"', 'output = "other/refund.aion"'),
    );
    const err = expectPackageError(() => outputPaths(buildProject(d), scratch), "config");
    expect(err.detail).toContain("both write refund.aion");
  });
});

describe("--build", () => {
  test("runs `gleam build` in the project, found on the given PATH", () => {
    const d = copy();
    rmSync(join(d, "build"), { recursive: true });
    const bin = join(scratch, `bin${n++}`);
    mkdirSync(bin);
    // A stand-in compiler: records its arguments and lays out the build tree.
    writeFileSync(
      join(bin, "gleam"),
      `#!/bin/sh\necho "$@" > gleam-args\ncp -R "${join(PROJECT, "build")}" build\n`,
    );
    chmodSync(join(bin, "gleam"), 0o755);
    runGleamBuild(d, { path: `${bin}:/usr/bin:/bin` });
    expect(readFileSync(join(d, "gleam-args"), "utf8")).toBe("build\n");
    expect(buildProject(d).packages.map((p) => p.version)).toEqual(
      buildProject(PROJECT).packages.map((p) => p.version),
    );
  });

  test("a failing build and a missing gleam are `build` errors", () => {
    const bin = join(scratch, `bin${n++}`);
    mkdirSync(bin);
    writeFileSync(join(bin, "gleam"), "#!/bin/sh\nexit 3\n");
    chmodSync(join(bin, "gleam"), 0o755);
    const failed = expectPackageError(() => runGleamBuild(scratch, { path: bin }), "build");
    expect(failed.detail).toContain("exit status 3");
    const missing = expectPackageError(
      () => runGleamBuild(scratch, { path: join(scratch, "empty-bin") }),
      "build",
    );
    expect(missing.detail).toContain("not on PATH");
    expect(existsSync(join(scratch, "build"))).toBe(false);
  });
});

/** manifest.json's bytes: the first entry of a stored archive the writer made. */
function unzipManifest(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameLength = v.getUint16(26, true);
  const extraLength = v.getUint16(28, true);
  const size = v.getUint32(18, true);
  const start = 30 + nameLength + extraLength;
  const name = new TextDecoder().decode(bytes.subarray(30, 30 + nameLength));
  if (name !== "manifest.json") throw new Error(`first entry is ${name}`);
  return bytes.subarray(start, start + size);
}
