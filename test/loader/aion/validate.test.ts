/** Every module-level validation error, each naming the file and the entry or field. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  deployedModuleName,
  ENGINE_MODULES,
  type PackageErrorCode,
  parseDeployedModuleName,
  readPackage,
  reservedReason,
  validatePackage,
  writePackage,
} from "../../../loader/aion/index.ts";
import { standardNatives } from "../../../nifs/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import {
  archive,
  beam,
  expectPackageError,
  helloDraft,
  helloManifestJson,
  helloModules,
} from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** Writes without validation, then reads (which validates): the reader's error. */
function readBack(
  draft: Parameters<typeof helloDraft>[0],
  modules: Map<string, Uint8Array>,
  code: PackageErrorCode,
  options: Parameters<typeof readPackage>[2] = {},
) {
  const { bytes } = writePackage({ manifest: helloDraft(draft), modules }, { validate: false });
  return expectPackageError(() => readPackage(bytes, "bad.aion", options), code);
}

const shout = {
  workflow_type: "hello_shout",
  entry_module: "hello_flow",
  entry_function: "shout",
  input_schema: true,
  output_schema: true,
  internal: false,
};

describe("validation errors", () => {
  test("the entry module is missing", () => {
    const err = readBack({ entry_module: "nope" }, helloModules(), "entry_module_missing");
    expect(err.message).toBe(
      "bad.aion: manifest.json: entry_module: module 'nope' is not in the package (no beam/nope.beam)",
    );
  });

  test("an additional workflow's entry module is missing", () => {
    const extra = [{ ...shout, entry_module: "ghost" }];
    const err = readBack({ additional_workflows: extra }, helloModules(), "entry_module_missing");
    expect(err.where).toBe("manifest.json: additional_workflows[0].entry_module");
  });

  test("the entry function is not exported", () => {
    const err = readBack({ entry_function: "walk" }, helloModules(), "entry_function_missing");
    expect(err.message).toBe(
      "bad.aion: manifest.json: entry_function: module 'hello_flow' does not export walk",
    );
    const extra = [{ ...shout, entry_function: "greeting" }];
    const e2 = readBack({ additional_workflows: extra }, helloModules(), "entry_function_missing");
    expect(e2.where).toBe("manifest.json: additional_workflows[0].entry_function");
  });

  test("the entry function has the wrong arity when one is required", () => {
    const bytes = writePackage({ manifest: helloDraft(), modules: helloModules() }).bytes;
    expect(readPackage(bytes, "ok.aion", { validate: { entryArity: 1 } }).version).toHaveLength(64);
    const err = expectPackageError(
      () => readPackage(bytes, "bad.aion", { validate: { entryArity: 2 } }),
      "entry_function_missing",
    );
    expect(err.detail).toBe("module 'hello_flow' does not export run/2 (exported: run/1)");
  });

  test("two workflows share a type", () => {
    const extra = [shout, { ...shout }];
    const err = readBack({ additional_workflows: extra }, helloModules(), "duplicate_workflow");
    expect(err.where).toBe("manifest.json: additional_workflows[1].workflow_type");
    const main = [{ ...shout, workflow_type: "hello_flow" }];
    readBack({ additional_workflows: main }, helloModules(), "duplicate_workflow");
  });

  test("reserved module names", () => {
    const natives = { validate: { reserved: standardNatives().map((m) => m.module) } };
    for (const name of ["aion_flow_ffi", "erlang", "lists"]) {
      const modules = helloModules();
      modules.set(name, beam("minimal", "minimal_flow"));
      const err = readBack({}, modules, "reserved_module", natives);
      expect(err.where).toBe(`beam/${name}.beam`);
      expect(err.detail).toContain("provided by the engine");
    }
    const modules = helloModules();
    modules.set("hello$1", beam("minimal", "minimal_flow"));
    expect(readBack({}, modules, "reserved_module").detail).toContain("'$'");
    const extra = helloModules();
    extra.set("custom", beam("minimal", "minimal_flow"));
    readBack({}, extra, "reserved_module", { validate: { reserved: ["custom"] } });
  });

  test("a module whose .beam declares another name", () => {
    const modules = helloModules();
    modules.set("impostor", beam("minimal", "minimal_flow"));
    const err = readBack({}, modules, "module_name_mismatch");
    expect(err.message).toBe(
      "bad.aion: beam/impostor.beam: the module inside is 'minimal_flow', not 'impostor'",
    );
  });

  test("an unloadable beam", () => {
    const modules = helloModules();
    modules.set("junk", new TextEncoder().encode("not a beam file"));
    const err = readBack({}, modules, "beam_unloadable");
    expect(err.where).toBe("beam/junk.beam");
    expect(err.detail).toStartWith("LoadError: beam/junk.beam:");
    const truncated = helloModules();
    truncated.set("hello_util", beam("hello", "hello_util").subarray(0, 100));
    readBack({}, truncated, "beam_unloadable");
  });

  test("the writer refuses the same problems before writing", () => {
    expectPackageError(
      () =>
        writePackage({ manifest: helloDraft({ entry_function: "x" }), modules: helloModules() }),
      "entry_function_missing",
    );
    expectPackageError(
      () =>
        writePackage({ manifest: helloDraft(), modules: new Map([["../x", new Uint8Array()]]) }),
      "entry_path",
    );
  });

  test("validatePackage checks the version as well", () => {
    const p = readPackage(archive(helloManifestJson()), "ok.aion");
    expect(validatePackage(p, "ok.aion")).toBe("legacy");
    const wrong = { ...p, manifest: { ...p.manifest, version: "f".repeat(64) } };
    expectPackageError(() => validatePackage(wrong, "ok.aion"), "version_mismatch");
  });
});

describe("names", () => {
  test("the engine's native modules are refused when passed as reserved", () => {
    const natives = standardNatives().map((m) => m.module);
    expect(natives).toContain("lists");
    expect(reservedReason("lists", new Set(natives))).toContain("provided by the engine");
    expect(reservedReason("lists")).toBeUndefined();
    expect(ENGINE_MODULES.has("aion_flow_ffi")).toBe(true);
    expect(reservedReason("hello_flow")).toBeUndefined();
    // Library modules the engine loads from .beam files are not reserved:
    // a package's own copy is deployed under its versioned name like any module.
    expect(reservedReason("queue")).toBeUndefined();
  });

  test("deployed module names round-trip", () => {
    const v = "0123456789abcdef".repeat(4);
    expect(deployedModuleName("hello_flow", v)).toBe(`hello_flow$${v}`);
    expect(parseDeployedModuleName(`hello_flow$${v}`)).toEqual({
      module: "hello_flow",
      version: v,
    });
    expect(parseDeployedModuleName("hello_flow")).toBeUndefined();
    expect(parseDeployedModuleName(`$${v}`)).toBeUndefined();
    expect(parseDeployedModuleName("a$b")).toBeUndefined();
    expect(parseDeployedModuleName(`a$${v}$${v}`)).toBeUndefined();
  });
});
