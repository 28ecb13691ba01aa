/**
 * A deterministic zip writer: the same entries in the same order always give
 * the same bytes. Timestamps are fixed (1980-01-01), permissions are fixed
 * (0644), there are no extra fields or comments, and the caller decides the
 * entry order. With `deflate`, output depends on the zlib build too, which
 * is why packages default to `store` (see docs/package-format.md).
 */
import { deflateRawSync } from "node:zlib";
import { PackageError } from "../errors.ts";
import {
  CENTRAL_HEADER_SIZE,
  DOS_DATE,
  DOS_TIME,
  END_RECORD_SIZE,
  EXTERNAL_ATTR_FILE,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  MADE_BY_UNIX,
  METHOD_DEFLATE,
  METHOD_STORED,
  SIG_CENTRAL,
  SIG_END,
  SIG_LOCAL,
} from "./format.ts";

/** One file to write. */
export interface ZipInput {
  readonly name: string;
  readonly data: Uint8Array;
}

/** `store` keeps bytes as they are; `deflate` compresses at level 9 when that is smaller. */
export type Compression = "store" | "deflate";

const UTF8 = new TextEncoder();
const U32_MAX = 0xffffffff;

interface Prepared {
  readonly name: Uint8Array;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly size: number;
  readonly body: Uint8Array;
  readonly offset: number;
}

/** The archive bytes for `entries`, in the given order. */
export function writeZip(
  entries: readonly ZipInput[],
  compression: Compression = "store",
  file = "<archive>",
): Uint8Array {
  if (entries.length >= 0xffff) {
    throw new PackageError(
      "limit",
      file,
      "zip container",
      "too many entries for a non-zip64 archive",
    );
  }
  const prepared: Prepared[] = [];
  let offset = 0;
  for (const e of entries) {
    const p = prepare(e, compression, offset, file);
    prepared.push(p);
    offset += LOCAL_HEADER_SIZE + p.name.length + p.body.length;
  }
  const directoryOffset = offset;
  const directorySize = prepared.reduce((n, p) => n + CENTRAL_HEADER_SIZE + p.name.length, 0);
  if (directoryOffset + directorySize > U32_MAX) {
    throw new PackageError(
      "limit",
      file,
      "zip container",
      "archive too large for a non-zip64 archive",
    );
  }
  const out = new Uint8Array(directoryOffset + directorySize + END_RECORD_SIZE);
  const view = new DataView(out.buffer);
  for (const p of prepared) writeLocal(out, view, p);
  let pos = directoryOffset;
  for (const p of prepared) pos = writeCentral(out, view, p, pos);
  view.setUint32(pos, SIG_END, true);
  view.setUint16(pos + 8, prepared.length, true);
  view.setUint16(pos + 10, prepared.length, true);
  view.setUint32(pos + 12, directorySize, true);
  view.setUint32(pos + 16, directoryOffset, true);
  return out;
}

function prepare(e: ZipInput, compression: Compression, offset: number, file: string): Prepared {
  const name = UTF8.encode(e.name);
  if (name.length > 0xffff || e.data.length > U32_MAX) {
    throw new PackageError("limit", file, e.name, "entry too large for a non-zip64 archive");
  }
  let method = METHOD_STORED;
  let body = e.data;
  if (compression === "deflate") {
    const packed = deflateRawSync(e.data, { level: 9 });
    // Deterministic choice: compress only when it actually saves bytes.
    if (packed.length < e.data.length) {
      method = METHOD_DEFLATE;
      body = new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
    }
  }
  const ascii = name.every((b) => b < 0x80);
  return {
    name,
    flags: ascii ? 0 : FLAG_UTF8,
    method,
    crc: Bun.hash.crc32(e.data) >>> 0,
    size: e.data.length,
    body,
    offset,
  };
}

/** Version needed to extract: 2.0 for deflate, 1.0 for stored. */
function needed(p: Prepared): number {
  return p.method === METHOD_DEFLATE ? 20 : 10;
}

function writeLocal(out: Uint8Array, view: DataView, p: Prepared): void {
  const at = p.offset;
  view.setUint32(at, SIG_LOCAL, true);
  view.setUint16(at + 4, needed(p), true);
  view.setUint16(at + 6, p.flags, true);
  view.setUint16(at + 8, p.method, true);
  view.setUint16(at + 10, DOS_TIME, true);
  view.setUint16(at + 12, DOS_DATE, true);
  view.setUint32(at + 14, p.crc, true);
  view.setUint32(at + 18, p.body.length, true);
  view.setUint32(at + 22, p.size, true);
  view.setUint16(at + 26, p.name.length, true);
  view.setUint16(at + 28, 0, true);
  out.set(p.name, at + LOCAL_HEADER_SIZE);
  out.set(p.body, at + LOCAL_HEADER_SIZE + p.name.length);
}

function writeCentral(out: Uint8Array, view: DataView, p: Prepared, at: number): number {
  view.setUint32(at, SIG_CENTRAL, true);
  view.setUint16(at + 4, MADE_BY_UNIX, true);
  view.setUint16(at + 6, needed(p), true);
  view.setUint16(at + 8, p.flags, true);
  view.setUint16(at + 10, p.method, true);
  view.setUint16(at + 12, DOS_TIME, true);
  view.setUint16(at + 14, DOS_DATE, true);
  view.setUint32(at + 16, p.crc, true);
  view.setUint32(at + 20, p.body.length, true);
  view.setUint32(at + 24, p.size, true);
  view.setUint16(at + 28, p.name.length, true);
  // extra length, comment length, disk number start, internal attributes: all 0
  view.setUint32(at + 38, EXTERNAL_ATTR_FILE, true);
  view.setUint32(at + 42, p.offset, true);
  out.set(p.name, at + CENTRAL_HEADER_SIZE);
  return at + CENTRAL_HEADER_SIZE + p.name.length;
}
