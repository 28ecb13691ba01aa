/** writePackage → readPackage, and the zip layer on its own. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readPackage, writePackage, writeZip } from "../../../loader/aion/index.ts";
import { DEFAULT_LIMITS } from "../../../loader/aion/limits.ts";
import { readCentralDirectory } from "../../../loader/aion/zip/directory.ts";
import { extractEntry, locateEntries } from "../../../loader/aion/zip/extract.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { FIXTURES, helloDraft, helloModules } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const TEXT = new TextEncoder();

function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  const dir = readCentralDirectory(bytes, "z", DEFAULT_LIMITS);
  const out = new Map<string, Uint8Array>();
  for (const e of locateEntries(bytes, "z", dir, DEFAULT_LIMITS))
    out.set(e.record.name, extractEntry(e, "z"));
  return out;
}

describe("zip layer", () => {
  const entries = [
    { name: "a.txt", data: TEXT.encode("hello ".repeat(100)) },
    { name: "empty", data: new Uint8Array() },
    { name: "dir/ünïcödé.bin", data: new Uint8Array([0, 1, 2, 255]) },
    { name: "random", data: crypto.getRandomValues(new Uint8Array(4096)) },
  ];

  for (const compression of ["store", "deflate"] as const) {
    test(`${compression}: entries come back byte for byte, in order`, () => {
      const out = unzip(writeZip(entries, compression));
      expect([...out.keys()]).toEqual(entries.map((e) => e.name));
      for (const e of entries) expect(out.get(e.name)).toEqual(e.data);
    });
  }

  test("deflate compresses what compresses and stores what does not", () => {
    const z = writeZip(entries, "deflate");
    const dir = readCentralDirectory(z, "z", DEFAULT_LIMITS);
    expect(dir.records.map((r) => r.method)).toEqual([8, 0, 0, 0]);
    expect(z.length).toBeLessThan(writeZip(entries, "store").length);
  });

  test("fixed metadata: 1980-01-01 timestamps, UTF-8 flag only for non-ASCII names", () => {
    const z = writeZip(entries);
    const dir = readCentralDirectory(z, "z", DEFAULT_LIMITS);
    expect(dir.records.map((r) => r.flags)).toEqual([0, 0, 0x0800, 0]);
    const view = new DataView(z.buffer);
    expect(view.getUint16(10, true)).toBe(0); // time
    expect(view.getUint16(12, true)).toBe(0x21); // date
  });
});

describe("packages", () => {
  const sources = new Map([
    ["hello_flow", TEXT.encode("pub fn run() { 1 }")],
    ["nested/mod", TEXT.encode("pub fn x() { 2 }")],
  ]);
  const additional = [
    {
      workflow_type: "hello_shout",
      entry_module: "hello_flow",
      entry_function: "shout",
      input_schema: { type: "object" },
      output_schema: { type: "string" },
      timeout: { secs: 1, nanos: 500_000_000 },
      internal: true,
    },
  ];

  test("round trip: manifest, modules, sources and version", () => {
    const draft = helloDraft({
      timeout: { secs: 300, nanos: 0 },
      additional_workflows: additional,
    });
    const w = writePackage({ manifest: draft, modules: helloModules(), sources });
    const p = readPackage(w.bytes, "hello.aion");
    expect(p.manifest).toEqual(w.manifest);
    expect(p.manifest).toEqual({
      ...draft,
      additional_workflows: additional,
      version: w.version,
      format_version: 1,
    });
    expect(p.version).toBe(w.version);
    expect(p.versionForm).toBe("timeouts");
    expect([...p.modules.keys()]).toEqual(["hello_flow", "hello_util"]);
    for (const [k, v] of helloModules()) expect(p.modules.get(k)).toEqual(v);
    expect([...p.sources.keys()]).toEqual(["hello_flow", "nested/mod"]);
    expect(p.sources.get("nested/mod")).toEqual(sources.get("nested/mod")!);
    expect(p.fileName).toBe("hello.aion");
  });

  test("entries are laid out manifest first, then beam/ and src/ in name order", () => {
    const w = writePackage({ manifest: helloDraft(), modules: helloModules(), sources });
    const dir = readCentralDirectory(w.bytes, "z", DEFAULT_LIMITS);
    expect(dir.records.map((r) => r.name)).toEqual([
      "manifest.json",
      "beam/hello_flow.beam",
      "beam/hello_util.beam",
      "src/hello_flow.gleam",
      "src/nested/mod.gleam",
    ]);
  });

  test("sources and compression do not change the version", () => {
    const a = writePackage({ manifest: helloDraft(), modules: helloModules() });
    const b = writePackage(
      { manifest: helloDraft(), modules: helloModules(), sources },
      { compression: "deflate" },
    );
    expect(b.version).toBe(a.version);
    expect(readPackage(b.bytes, "b.aion").version).toBe(a.version);
  });

  test("the same input gives the same bytes", () => {
    for (const compression of ["store", "deflate"] as const) {
      const make = () =>
        writePackage({ manifest: helloDraft(), modules: helloModules(), sources }, { compression })
          .bytes;
      expect(make()).toEqual(make());
    }
  });

  test("reads an archive written by the Info-ZIP zip tool (deflate, data descriptors, directories)", () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, "foreign", "hello-zipcli.aion")));
    const p = readPackage(bytes, "hello-zipcli.aion");
    expect(p.versionForm).toBe("timeouts");
    expect(p.manifest.additional_workflows.map((w) => w.workflow_type)).toEqual(["hello_shout"]);
    expect([...p.sources.keys()]).toEqual(["hello_flow"]);
  });
});
