/**
 * Shared test inputs for the .aion package tests: the fixture beams, a valid
 * package built from them, and a raw zip builder that can lie in any header
 * field (the real writer cannot, by design).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import {
  type ManifestDraft,
  type PackageError,
  type PackageErrorCode,
  writePackage,
  writeZip,
} from "../../../loader/aion/index.ts";

export const ROOT = join(import.meta.dir, "..", "..", "..");
export const FIXTURES = join(ROOT, "fixtures", "packages");

/** A fixture .beam file's bytes. */
export function beam(pkg: string, module: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, pkg, `${module}.beam`)));
}

/** The `hello` fixture's modules. */
export function helloModules(): Map<string, Uint8Array> {
  return new Map([
    ["hello_flow", beam("hello", "hello_flow")],
    ["hello_util", beam("hello", "hello_util")],
  ]);
}

/** A small valid manifest draft for the hello modules. */
export function helloDraft(over: Partial<ManifestDraft> = {}): ManifestDraft {
  return {
    entry_module: "hello_flow",
    entry_function: "run",
    input_schema: { type: "object" },
    output_schema: true,
    activities: [{ activity_type: "greet" }],
    ...over,
  };
}

/** A valid hello package's bytes. */
export function helloPackage(): Uint8Array {
  return writePackage({ manifest: helloDraft(), modules: helloModules() }).bytes;
}

/** The hello package's manifest.json as a plain object, to tamper with. */
export function helloManifestJson(): Record<string, unknown> {
  const w = writePackage({ manifest: helloDraft(), modules: helloModules() });
  return JSON.parse(JSON.stringify(w.manifest));
}

/**
 * A well-formed archive (right CRCs and layout) holding whatever manifest
 * and modules it is given: for testing the checks above the container.
 */
export function archive(
  manifest: unknown,
  modules: ReadonlyMap<string, Uint8Array> = helloModules(),
  extra: readonly { name: string; data: Uint8Array }[] = [],
): Uint8Array {
  return writeZip([
    { name: "manifest.json", data: new TextEncoder().encode(JSON.stringify(manifest)) },
    ...[...modules].map(([name, data]) => ({ name: `beam/${name}.beam`, data })),
    ...extra,
  ]);
}

/** Runs `f`, expecting a PackageError with `code`; returns it. */
export function expectPackageError(f: () => unknown, code: PackageErrorCode): PackageError {
  try {
    f();
  } catch (e) {
    const err = e as PackageError;
    if (err.name !== "PackageError") throw e;
    if (err.code !== code) {
      throw new Error(`expected PackageError[${code}], got ${String(err)}`);
    }
    return err;
  }
  throw new Error(`expected PackageError[${code}], but nothing was thrown`);
}

/** One entry for {@link rawZip}; every header field can be overridden. */
export interface RawEntry {
  readonly name: string;
  readonly data: Uint8Array | string;
  readonly deflate?: boolean;
  readonly crc?: number;
  readonly uncompressedSize?: number;
  readonly compressedSize?: number;
  readonly flags?: number;
  readonly method?: number;
  /** The name written in the local header, if different. */
  readonly localName?: string;
  /** Point the central record at this offset instead of the real one. */
  readonly localOffset?: number;
}

const TEXT = new TextEncoder();

/** A zip archive assembled byte by byte, trusting every override. */
export function rawZip(
  entries: readonly RawEntry[],
  trailer: Uint8Array = new Uint8Array(),
): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === "string" ? TEXT.encode(e.data) : e.data;
    const body = e.deflate ? new Uint8Array(deflateRawSync(data)) : data;
    const name = TEXT.encode(e.name);
    const localName = TEXT.encode(e.localName ?? e.name);
    const method = e.method ?? (e.deflate ? 8 : 0);
    const crc = e.crc ?? Bun.hash.crc32(data) >>> 0;
    const csize = e.compressedSize ?? body.length;
    const usize = e.uncompressedSize ?? data.length;
    const flags = e.flags ?? 0;
    const local = new Uint8Array(30 + localName.length + body.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, csize, true);
    lv.setUint32(22, usize, true);
    lv.setUint16(26, localName.length, true);
    local.set(localName, 30);
    local.set(body, 30 + localName.length);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, csize, true);
    cv.setUint32(24, usize, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, e.localOffset ?? offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, ...centrals, end, trailer]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
