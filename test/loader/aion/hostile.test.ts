/**
 * Hostile and broken archives: path tricks, duplicates, bombs, truncation,
 * CRC and layout lies, unsupported features, and a seeded fuzz over mutated
 * packages. Every failure must be a PackageError; nothing else may escape.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  computeVersion,
  PackageError,
  type PackageErrorCode,
  readPackage,
  withLimits,
  writePackage,
  writeZip,
} from "../../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import {
  concat,
  expectPackageError,
  helloDraft,
  helloManifestJson,
  helloModules,
  helloPackage,
  type RawEntry,
  rawZip,
} from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const TEXT = new TextEncoder();

/** A valid package's entries, for rawZip, plus `extra`. */
function validEntries(extra: readonly RawEntry[] = []): RawEntry[] {
  return [
    { name: "manifest.json", data: JSON.stringify(helloManifestJson()) },
    ...[...helloModules()].map(([n, data]) => ({ name: `beam/${n}.beam`, data })),
    ...extra,
  ];
}

function refused(bytes: Uint8Array, code: PackageErrorCode, limits = withLimits()): PackageError {
  return expectPackageError(() => readPackage(bytes, "evil.aion", { limits }), code);
}

test("the raw builder makes a valid package when it does not lie", () => {
  expect(readPackage(rawZip(validEntries()), "ok.aion").modules.size).toBe(2);
});

describe("entry names", () => {
  const tricks = [
    "../evil.beam",
    "beam/../../evil.beam",
    "beam/../manifest.json",
    "/etc/passwd",
    "beam\\evil.beam",
    "beam/./evil.beam",
    "beam//evil.beam",
    "C:/evil.beam",
    "beam/evil\u0000.beam",
    "",
  ];
  for (const name of tricks) {
    test(`refuses ${JSON.stringify(name)}`, () => {
      const err = refused(rawZip(validEntries([{ name, data: "x" }])), "entry_path");
      expect(err.file).toBe("evil.aion");
      expect(err.where).toBe(name);
    });
  }

  test("refuses names that are not UTF-8", () => {
    const bytes = rawZip(validEntries([{ name: "src/\u00ff.gleam", data: "x" }]));
    // Replace the two-byte UTF-8 sequence C3 BF with an invalid pair in both copies.
    for (let i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] === 0xc3 && bytes[i + 1] === 0xbf) bytes[i] = 0xff;
    }
    refused(bytes, "entry_path");
  });

  for (const name of [
    "README.md",
    "beam/x.txt",
    "src/x.erl",
    "beam/.beam",
    "other/",
    "ebin/x.beam",
  ]) {
    test(`refuses the unexpected entry ${name}`, () => {
      refused(
        rawZip(validEntries([{ name, data: name.endsWith("/") ? "" : "x" }])),
        "unexpected_entry",
      );
    });
  }

  test("accepts directory entries under beam/ and src/, refuses them with data", () => {
    const dirs = [
      { name: "beam/", data: "" },
      { name: "src/nested/", data: "" },
    ];
    expect(readPackage(rawZip(validEntries(dirs)), "ok.aion").modules.size).toBe(2);
    refused(rawZip(validEntries([{ name: "src/", data: "x" }])), "corrupt");
  });

  test("refuses duplicate entries", () => {
    const dup = validEntries();
    refused(rawZip([...dup, dup[1]!]), "duplicate_entry");
    refused(rawZip([dup[0]!, ...dup]), "duplicate_entry");
  });

  test("refuses a missing manifest", () => {
    refused(rawZip(validEntries().slice(1)), "manifest_missing");
  });
});

describe("bombs and limits", () => {
  const zeros = new Uint8Array(10 * 1024 * 1024);

  test("an extreme compression ratio is refused before inflating", () => {
    const err = refused(
      rawZip(validEntries([{ name: "src/bomb.gleam", data: zeros, deflate: true }])),
      "limit",
    );
    expect(err.detail).toContain("compression ratio");
  });

  test("an entry that inflates past its declared size is stopped at that size", () => {
    const small = withLimits({ maxRatio: 1e9 });
    const lie = { name: "src/bomb.gleam", data: zeros, deflate: true, uncompressedSize: 100 };
    const err = refused(rawZip(validEntries([lie])), "limit", small);
    expect(err.detail).toContain("past its declared size of 100");
  });

  test("an entry that inflates short of its declared size is corrupt", () => {
    const lie = { name: "src/a.gleam", data: "abc", deflate: true, uncompressedSize: 50 };
    refused(rawZip(validEntries([lie])), "corrupt");
  });

  test("per-entry, total, count and archive-size limits", () => {
    const bytes = helloPackage();
    refused(bytes, "limit", withLimits({ maxEntryBytes: 600 }));
    refused(bytes, "limit", withLimits({ maxTotalBytes: 1000 }));
    refused(bytes, "limit", withLimits({ maxEntries: 2 }));
    refused(bytes, "limit", withLimits({ maxArchiveBytes: 100 }));
    refused(bytes, "limit", withLimits({ maxNameBytes: 10 }));
    expect(readPackage(bytes, "ok.aion").modules.size).toBe(2);
  });

  test("entries sharing data (overlapping) are refused", () => {
    // Entry A's stored data is a complete local header + data for entry B, and
    // B's central record points inside A: one body counted twice.
    const inner = rawZip([{ name: "src/b.gleam", data: "pub fn b() { 1 }" }]);
    const innerLocal = inner.subarray(0, 30 + "src/b.gleam".length + 16);
    const entries = validEntries([
      { name: "src/a.gleam", data: innerLocal },
      {
        name: "src/b.gleam",
        data: "pub fn b() { 1 }",
        localOffset: 0, // patched below
      },
    ]);
    const probe = rawZip(entries);
    const aAt = findLocal(probe, "src/a.gleam");
    const patched = entries.map((e) =>
      e.name === "src/b.gleam" ? { ...e, localOffset: aAt + 30 + "src/a.gleam".length } : e,
    );
    const err = refused(rawZip(patched), "corrupt");
    expect(err.detail).toContain("overlaps");
  });
});

describe("truncated and corrupt archives", () => {
  const good = helloPackage();

  test("every proper prefix is refused as truncated or corrupt", () => {
    for (let n = 0; n < good.length; n++) {
      try {
        readPackage(good.subarray(0, n), "cut.aion");
        throw new Error(`prefix of ${n} bytes was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(PackageError);
        expect(["truncated", "corrupt"]).toContain((e as PackageError).code);
      }
    }
  });

  test("garbage and empty input", () => {
    refused(new Uint8Array(), "truncated");
    refused(TEXT.encode("this is not a zip archive at all, just text"), "corrupt");
    refused(concat([good, TEXT.encode("trailing")]), "corrupt");
    refused(concat([TEXT.encode("prefix"), good]), "corrupt");
  });

  test("CRC mismatches", () => {
    refused(rawZip(validEntries([{ name: "src/a.gleam", data: "x", crc: 1234 }])), "crc");
    const flipped = good.slice();
    const at = findLocal(flipped, "beam/hello_util.beam") + 30 + "beam/hello_util.beam".length + 40;
    flipped[at]! ^= 0xff;
    const err = refused(flipped, "crc");
    expect(err.where).toBe("beam/hello_util.beam");
  });

  test("layout lies", () => {
    const name = "src/a.gleam";
    refused(rawZip(validEntries([{ name, data: "x", localName: "src/b.gleam" }])), "corrupt");
    refused(rawZip(validEntries([{ name, data: "xyz", compressedSize: 2 }])), "corrupt");
    refused(rawZip(validEntries([{ name, data: "x", localOffset: 1 }])), "corrupt");
    refused(rawZip(validEntries([{ name, data: "x", localOffset: 0x7fffffff }])), "corrupt");
    refused(
      rawZip(validEntries([{ name, data: "xyz", compressedSize: 5000, uncompressedSize: 5000 }])),
      "truncated",
    );
    const bad = { name, data: new Uint8Array([0xff, 0xff, 0xff]), method: 8 };
    refused(rawZip(validEntries([bad])), "corrupt");
  });

  test("a central directory that claims more entries than it holds", () => {
    const bytes = good.slice();
    const end = bytes.length - 22;
    new DataView(bytes.buffer).setUint16(end + 8, 50, true);
    new DataView(bytes.buffer).setUint16(end + 10, 50, true);
    refused(bytes, "truncated");
  });
});

describe("unsupported features", () => {
  test("encryption, other methods, zip64, multi-disk", () => {
    const name = "src/a.gleam";
    refused(rawZip(validEntries([{ name, data: "x", flags: 1 }])), "unsupported");
    refused(rawZip(validEntries([{ name, data: "x", method: 12 }])), "unsupported");
    const z64 = helloPackage();
    new DataView(z64.buffer).setUint32(z64.length - 22 + 16, 0xffffffff, true);
    refused(z64, "unsupported");
    const disk = helloPackage();
    new DataView(disk.buffer).setUint16(disk.length - 22 + 4, 1, true);
    refused(disk, "unsupported");
  });
});

describe("fuzz", () => {
  /** A small seeded PRNG (mulberry32), so failures reproduce. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function mutate(src: Uint8Array, rand: () => number): Uint8Array {
    let b: Uint8Array = src.slice();
    const edits = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(rand() * b.length);
      switch (Math.floor(rand() * 6)) {
        case 0:
          b[at] = Math.floor(rand() * 256);
          break;
        case 1:
          b[at]! ^= 1 << Math.floor(rand() * 8);
          break;
        case 2:
          b = b.subarray(0, at).slice();
          break;
        case 3:
          b = concat([
            b.subarray(0, at),
            new Uint8Array([Math.floor(rand() * 256)]),
            b.subarray(at),
          ]);
          break;
        case 4:
          b = concat([
            b.subarray(0, at),
            b.subarray(Math.min(b.length, at + 1 + Math.floor(rand() * 8))),
          ]);
          break;
        default: {
          // Overwrite a 16/32-bit field with an extreme value.
          const v = [0, 0xffff, 0xffffffff, 0x7fffffff, 1][Math.floor(rand() * 5)]!;
          const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
          if (at + 4 <= b.length) view.setUint32(at, v >>> 0, true);
        }
      }
      if (b.length === 0) break;
    }
    return b;
  }

  const seeds = [
    helloPackage(),
    writePackage(
      { manifest: helloDraft({ timeout: { secs: 5, nanos: 0 } }), modules: helloModules() },
      { compression: "deflate" },
    ).bytes,
  ];

  test("mutated packages are read or refused with a PackageError, nothing else", () => {
    const rand = rng(0xa10);
    let accepted = 0;
    const codes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const bytes = mutate(seeds[i % seeds.length]!, rand);
      try {
        readPackage(bytes, "fuzz.aion");
        accepted++;
      } catch (e) {
        if (!(e instanceof PackageError)) {
          throw new Error(`iteration ${i}: ${String(e)}\n${Buffer.from(bytes).toString("base64")}`);
        }
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
    // Sanity: the mutations reach past the container into several checks.
    expect(codes.size).toBeGreaterThan(4);
    expect(accepted).toBeLessThan(3000);
    if (process.env.FUZZ_REPORT) console.log({ accepted, codes });
  });

  test("packages with mutated contents in a valid container: same guarantee, deeper checks", () => {
    const rand = rng(0xbea);
    const baseManifest = helloManifestJson();
    const manifest = new TextEncoder().encode(JSON.stringify(baseManifest));
    const entries = [
      { name: "manifest.json", data: manifest },
      ...[...helloModules()].map(([n, data]) => ({ name: `beam/${n}.beam`, data })),
    ];
    const codes = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      const victim = Math.floor(rand() * entries.length);
      const mutated = entries.map((e, j) =>
        j === victim ? { ...e, data: mutate(e.data, rand) } : e,
      );
      if (victim > 0) {
        // A mutated beam gets a matching version, so the check reaches loadBeam.
        const modules = new Map(mutated.slice(1).map((e) => [e.name.slice(5, -5), e.data]));
        const m = { ...baseManifest, version: computeVersion(modules) };
        mutated[0] = { name: "manifest.json", data: new TextEncoder().encode(JSON.stringify(m)) };
      }
      const bytes = writeZip(mutated);
      try {
        readPackage(bytes, "fuzz.aion", { validate: { entryArity: 1 } });
      } catch (e) {
        if (!(e instanceof PackageError)) {
          throw new Error(`iteration ${i}: ${String(e)}\n${Buffer.from(bytes).toString("base64")}`);
        }
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
    expect(codes.get("manifest_json") ?? 0).toBeGreaterThan(0);
    expect(codes.get("version_mismatch") ?? 0).toBeGreaterThan(0);
    expect(codes.get("beam_unloadable") ?? 0).toBeGreaterThan(0);
    if (process.env.FUZZ_REPORT) console.log({ codes });
  });
});

/** Offset of the local header for `name` (first match of its signature + name). */
function findLocal(bytes: Uint8Array, name: string): number {
  const n = TEXT.encode(name);
  for (let i = 0; i + 30 + n.length <= bytes.length; i++) {
    if (bytes[i] !== 0x50 || bytes[i + 1] !== 0x4b || bytes[i + 2] !== 3 || bytes[i + 3] !== 4)
      continue;
    if (n.every((c, j) => bytes[i + 30 + j] === c)) return i;
  }
  throw new Error(`no local header for ${name}`);
}
