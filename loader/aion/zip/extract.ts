/**
 * Getting entry data out safely. {@link locateEntries} checks every record
 * against the limits and the archive layout before anything is inflated;
 * {@link extractEntry} inflates one entry, never past its declared size, and
 * checks the result's size and CRC-32.
 */
import { inflateRawSync } from "node:zlib";
import { PackageError } from "../errors.ts";
import type { ExtractionLimits } from "../limits.ts";
import { Cursor } from "./cursor.ts";
import type { ZipDirectory } from "./directory.ts";
import {
  FLAG_ENCRYPTED,
  FLAG_STRONG_ENCRYPTION,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATE,
  METHOD_STORED,
  SIG_LOCAL,
  type ZipRecord,
} from "./format.ts";

/** A record whose data has been found in the archive and passed the limits. */
export interface LocatedEntry {
  readonly record: ZipRecord;
  /** The entry's (possibly compressed) bytes. */
  readonly data: Uint8Array;
}

/**
 * Checks all records against the limits, finds each entry's data through its
 * local header, and refuses overlapping entries (the trick behind
 * "non-recursive" zip bombs, where many entries share one compressed body).
 */
export function locateEntries(
  bytes: Uint8Array,
  file: string,
  directory: ZipDirectory,
  limits: ExtractionLimits,
): LocatedEntry[] {
  const cur = new Cursor(bytes, file);
  let total = 0;
  const located: { entry: LocatedEntry; start: number; end: number }[] = [];
  for (const record of directory.records) {
    checkRecord(record, file, limits);
    total += record.uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw new PackageError(
        "limit",
        file,
        record.name,
        `archive would inflate past ${limits.maxTotalBytes} bytes in total`,
      );
    }
    const { data, dataStart } = readLocalHeader(cur, record, directory.offset);
    located.push({
      entry: { record, data },
      start: record.localOffset,
      end: dataStart + data.length,
    });
  }
  const byStart = [...located].sort((a, b) => a.start - b.start);
  for (let i = 1; i < byStart.length; i++) {
    const prev = byStart[i - 1]!;
    const next = byStart[i]!;
    if (next.start < prev.end) {
      throw new PackageError(
        "corrupt",
        file,
        next.entry.record.name,
        `entry data overlaps entry '${prev.entry.record.name}'`,
      );
    }
  }
  return located.map((l) => l.entry);
}

/** Declared-value checks: flags, method, sizes, ratio. */
function checkRecord(r: ZipRecord, file: string, limits: ExtractionLimits): void {
  if ((r.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) {
    throw new PackageError("unsupported", file, r.name, "encrypted entries are not supported");
  }
  if (r.method !== METHOD_STORED && r.method !== METHOD_DEFLATE) {
    throw new PackageError(
      "unsupported",
      file,
      r.name,
      `compression method ${r.method} is not supported (only stored and deflate)`,
    );
  }
  if (r.method === METHOD_STORED && r.compressedSize !== r.uncompressedSize) {
    throw new PackageError(
      "corrupt",
      file,
      r.name,
      `stored entry has compressed size ${r.compressedSize} but uncompressed size ${r.uncompressedSize}`,
    );
  }
  if (r.uncompressedSize > limits.maxEntryBytes) {
    throw new PackageError(
      "limit",
      file,
      r.name,
      `entry inflates to ${r.uncompressedSize} bytes, limit is ${limits.maxEntryBytes}`,
    );
  }
  if (
    r.uncompressedSize > limits.ratioFloorBytes &&
    r.uncompressedSize > r.compressedSize * limits.maxRatio
  ) {
    throw new PackageError(
      "limit",
      file,
      r.name,
      `compression ratio ${r.uncompressedSize}:${r.compressedSize} exceeds ${limits.maxRatio}:1`,
    );
  }
}

/**
 * The local header must agree with the central directory on the name and
 * method (a mismatch is how some archives show different files to different
 * tools), and the data must end before the central directory starts.
 */
function readLocalHeader(
  cur: Cursor,
  r: ZipRecord,
  directoryOffset: number,
): { data: Uint8Array; dataStart: number } {
  const { file } = cur;
  const at = r.localOffset;
  if (at + LOCAL_HEADER_SIZE > directoryOffset) {
    throw new PackageError("corrupt", file, r.name, `local header offset ${at} is out of range`);
  }
  if (cur.u32(at, r.name) !== SIG_LOCAL) {
    throw new PackageError("corrupt", file, r.name, `bad local header signature at offset ${at}`);
  }
  if (cur.u16(at + 8, r.name) !== r.method) {
    throw new PackageError(
      "corrupt",
      file,
      r.name,
      "local header and central directory disagree on the method",
    );
  }
  const nameLen = cur.u16(at + 26, r.name);
  const extraLen = cur.u16(at + 28, r.name);
  const localName = cur.slice(at + LOCAL_HEADER_SIZE, nameLen, r.name);
  if (!sameBytes(localName, r.nameBytes)) {
    throw new PackageError(
      "corrupt",
      file,
      r.name,
      "local header and central directory disagree on the name",
    );
  }
  const start = at + LOCAL_HEADER_SIZE + nameLen + extraLen;
  if (start + r.compressedSize > directoryOffset) {
    throw new PackageError(
      "truncated",
      file,
      r.name,
      `entry data (${r.compressedSize} bytes at ${start}) runs into the central directory`,
    );
  }
  return { data: cur.slice(start, r.compressedSize, r.name), dataStart: start };
}

/** The entry's uncompressed bytes, checked against the declared size and CRC-32. */
export function extractEntry(entry: LocatedEntry, file: string): Uint8Array {
  const { record: r, data } = entry;
  // Stored data is copied so the result never aliases the caller's archive buffer.
  const out = r.method === METHOD_STORED ? data.slice() : inflate(data, r, file);
  if (out.length !== r.uncompressedSize) {
    throw new PackageError(
      "corrupt",
      file,
      r.name,
      `inflates to ${out.length} bytes, directory says ${r.uncompressedSize}`,
    );
  }
  const crc = Bun.hash.crc32(out) >>> 0;
  if (crc !== r.crc32) {
    throw new PackageError(
      "crc",
      file,
      r.name,
      `CRC-32 is ${hex32(crc)}, directory says ${hex32(r.crc32)}`,
    );
  }
  return out;
}

/** Inflates with the output capped at the declared size, so a lying size cannot bomb us. */
function inflate(data: Uint8Array, r: ZipRecord, file: string): Uint8Array {
  try {
    // maxOutputLength must be >= 1; an empty entry inflating to 1 byte is caught by the size check.
    const out = inflateRawSync(data, { maxOutputLength: Math.max(1, r.uncompressedSize) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new PackageError(
        "limit",
        file,
        r.name,
        `inflates past its declared size of ${r.uncompressedSize} bytes`,
      );
    }
    throw new PackageError(
      "corrupt",
      file,
      r.name,
      `deflate data is invalid: ${(e as Error).message}`,
    );
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, "0");
}
