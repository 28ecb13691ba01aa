/** The content-hash version in both forms, against independently computed digests. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import {
  computeVersion,
  declaredTimeouts,
  readPackage,
  TIMEOUTS_DOMAIN,
  workflowTimeouts,
  writePackage,
} from "../../../loader/aion/index.ts";
import { sortedModuleNames } from "../../../loader/aion/version.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import {
  archive,
  expectPackageError,
  helloDraft,
  helloManifestJson,
  helloModules,
} from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** 8-byte big-endian length, then the bytes. */
function framed(bytes: Uint8Array | string): Buffer {
  const b = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(b.length));
  return Buffer.concat([len, b]);
}

function sha256(parts: readonly Buffer[]): string {
  return createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}

const MODULES = new Map<string, Uint8Array>([
  ["workflow/b", new Uint8Array([2])],
  ["workflow/a", new Uint8Array([1, 2, 3])],
  ["é", new Uint8Array([9])],
  ["z", new Uint8Array()],
]);

/** The same modules framed by hand in ascending UTF-8 byte order. */
const MODULE_BYTES = [
  framed("workflow/a"),
  framed(new Uint8Array([1, 2, 3])),
  framed("workflow/b"),
  framed(new Uint8Array([2])),
  framed("z"),
  framed(new Uint8Array()),
  framed("é"),
  framed(new Uint8Array([9])),
];

describe("legacy form", () => {
  test("matches a hand-framed SHA-256 and a fixed vector", () => {
    const expected = sha256(MODULE_BYTES);
    expect(computeVersion(MODULES)).toBe(expected);
    // Computed once with Python's hashlib over the same framing.
    expect(expected).toBe("665b365ca89974dddbaa27e8a4d1d4419d85f58b66d90eaca78fedd2944b49cb");
  });

  test("does not depend on insertion order", () => {
    const reversed = new Map([...MODULES].reverse());
    expect(computeVersion(reversed)).toBe(computeVersion(MODULES));
  });

  test("of no modules is the hash of nothing", () => {
    expect(computeVersion(new Map())).toBe(createHash("sha256").digest("hex"));
  });

  test("framing keeps name/body boundaries apart", () => {
    const a = computeVersion(new Map([["ab", new Uint8Array([99])]]));
    const b = computeVersion(new Map([["a", new TextEncoder().encode("bc")]]));
    expect(a).not.toBe(b);
  });

  test("orders names by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF21 is EF BC A1 in UTF-8 but U+1F600 is F0 9F 98 80; in UTF-16 the
    // emoji's surrogate D83D sorts first instead.
    expect(sortedModuleNames(["\u{1F600}", "\uFF21", "a"])).toEqual(["a", "\uFF21", "\u{1F600}"]);
  });
});

describe("timeouts form", () => {
  const timeouts = [
    { key: "workflow/a", timeout: { secs: 30, nanos: 250_000_000 } },
    { key: "child" },
    { key: "other", timeout: { secs: 7200, nanos: 0 } },
  ];

  function entry(key: string, t?: { secs: number; nanos: number }): Buffer {
    if (t === undefined) return Buffer.concat([framed(key), Buffer.from([0])]);
    const secs = Buffer.alloc(8);
    secs.writeBigUInt64BE(BigInt(t.secs));
    const nanos = Buffer.alloc(4);
    nanos.writeUInt32BE(t.nanos);
    return Buffer.concat([framed(key), Buffer.from([1]), secs, nanos]);
  }

  test("matches a hand-framed SHA-256 and a fixed vector", () => {
    const count = Buffer.alloc(8);
    count.writeBigUInt64BE(3n);
    const expected = sha256([
      ...MODULE_BYTES,
      framed(TIMEOUTS_DOMAIN),
      count,
      ...timeouts.map((t) => entry(t.key, t.timeout)),
    ]);
    expect(computeVersion(MODULES, timeouts)).toBe(expected);
    expect(expected).toBe("07433e0ca79df5e14a346acbdb1af28574ba428949f9797129d1e7f00963e120");
  });

  test("binds presence, value, key and order", () => {
    const base = computeVersion(MODULES, timeouts);
    const variants = [
      [{ ...timeouts[0]!, timeout: { secs: 30, nanos: 250_000_001 } }, timeouts[1]!, timeouts[2]!],
      [timeouts[0]!, { key: "child", timeout: { secs: 0, nanos: 0 } }, timeouts[2]!],
      [timeouts[0]!, { key: "childx" }, timeouts[2]!],
      [timeouts[0]!, timeouts[2]!, timeouts[1]!],
      [timeouts[0]!, timeouts[1]!],
    ];
    for (const v of variants) expect(computeVersion(MODULES, v)).not.toBe(base);
    expect(computeVersion(MODULES, [])).not.toBe(computeVersion(MODULES));
  });

  test("workflowTimeouts lists the main workflow by entry module, then additional ones by type", () => {
    const m = {
      entry_module: "main_mod",
      timeout: { secs: 5, nanos: 0 },
      additional_workflows: [
        {
          workflow_type: "t1",
          entry_module: "main_mod",
          entry_function: "f",
          input_schema: true,
          output_schema: true,
          internal: false,
        },
      ],
    };
    expect(workflowTimeouts(m)).toEqual([
      { key: "main_mod", timeout: { secs: 5, nanos: 0 } },
      { key: "t1" },
    ]);
  });
});

describe("verification", () => {
  test("a package in either form reads back with its form", () => {
    const draft = helloDraft({ timeout: { secs: 60, nanos: 0 } });
    for (const versionForm of ["legacy", "timeouts"] as const) {
      const w = writePackage({ manifest: draft, modules: helloModules() }, { versionForm });
      const p = readPackage(w.bytes, "x.aion");
      expect(p.versionForm).toBe(versionForm);
      expect(p.version).toBe(w.version);
      // Only the timeouts form vouches for the timeout.
      expect(declaredTimeouts(p.manifest, p.versionForm).get("hello_flow")).toEqual(
        versionForm === "timeouts" ? { secs: 60, nanos: 0 } : undefined,
      );
    }
  });

  test("the default form follows whether any timeout is set", () => {
    const modules = helloModules();
    expect(writePackage({ manifest: helloDraft(), modules }).versionForm).toBe("legacy");
    const timed = helloDraft({ timeout: { secs: 1, nanos: 0 } });
    expect(writePackage({ manifest: timed, modules }).versionForm).toBe("timeouts");
  });

  test("a version matching neither form is refused naming both", () => {
    const m = helloManifestJson();
    const legacy = computeVersion(helloModules());
    m.version = "0".repeat(64);
    const err = expectPackageError(() => readPackage(archive(m), "x.aion"), "version_mismatch");
    expect(err.message).toContain("x.aion: manifest.json: version:");
    expect(err.message).toContain(legacy);
  });

  test("a timeout edited into a legacy package breaks nothing but vouches for nothing", () => {
    const m = helloManifestJson();
    m.timeout = { secs: 1, nanos: 0 };
    const p = readPackage(archive(m), "x.aion");
    expect(p.versionForm).toBe("legacy");
    expect(declaredTimeouts(p.manifest, p.versionForm).size).toBe(0);
  });

  test("a timeout edited into a timeouts-form package is refused", () => {
    const draft = helloDraft({ timeout: { secs: 60, nanos: 0 } });
    const w = writePackage({ manifest: draft, modules: helloModules() });
    const m = JSON.parse(JSON.stringify(w.manifest));
    m.timeout = { secs: 61, nanos: 0 };
    expectPackageError(() => readPackage(archive(m), "x.aion"), "version_mismatch");
  });
});
