/**
 * Finding and parsing the central directory: the list of entries a reader
 * trusts. Structural checks happen here, before any entry data is touched:
 * one end record at the very end, a directory that ends exactly where that
 * record starts, sane counts, no zip64, no multi-disk archives.
 */
import { PackageError } from "../errors.ts";
import type { ExtractionLimits } from "../limits.ts";
import { Cursor } from "./cursor.ts";
import {
  CENTRAL_HEADER_SIZE,
  END_RECORD_SIZE,
  MAX_COMMENT,
  SIG_CENTRAL,
  SIG_END,
  SIG_ZIP64_LOCATOR,
  type ZipRecord,
} from "./format.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const CONTAINER = "zip container";

/** Where the end record sits and what it says. */
interface EndRecord {
  readonly at: number;
  readonly entries: number;
  readonly directorySize: number;
  readonly directoryOffset: number;
}

/** The parsed central directory. */
export interface ZipDirectory {
  /** The records, in directory order. */
  readonly records: readonly ZipRecord[];
  /** Where the directory starts; every entry's data must end before it. */
  readonly offset: number;
}

/** Parses the central directory of `bytes`. */
export function readCentralDirectory(
  bytes: Uint8Array,
  file: string,
  limits: ExtractionLimits,
): ZipDirectory {
  if (bytes.length > limits.maxArchiveBytes) {
    throw new PackageError(
      "limit",
      file,
      CONTAINER,
      `archive is ${bytes.length} bytes, limit is ${limits.maxArchiveBytes}`,
    );
  }
  const cur = new Cursor(bytes, file);
  const end = findEndRecord(cur);
  if (end.entries > limits.maxEntries) {
    throw new PackageError(
      "limit",
      file,
      CONTAINER,
      `${end.entries} entries, limit is ${limits.maxEntries}`,
    );
  }
  const records: ZipRecord[] = [];
  let pos = end.directoryOffset;
  const stop = end.directoryOffset + end.directorySize;
  for (let i = 0; i < end.entries; i++) {
    const where = `central directory record ${i}`;
    if (pos + CENTRAL_HEADER_SIZE > stop) {
      throw new PackageError(
        "truncated",
        file,
        where,
        "runs past the end of the central directory",
      );
    }
    if (cur.u32(pos, where) !== SIG_CENTRAL) {
      throw new PackageError("corrupt", file, where, `bad signature at offset ${pos}`);
    }
    const nameLen = cur.u16(pos + 28, where);
    const extraLen = cur.u16(pos + 30, where);
    const commentLen = cur.u16(pos + 32, where);
    const next = pos + CENTRAL_HEADER_SIZE + nameLen + extraLen + commentLen;
    if (next > stop) {
      throw new PackageError(
        "truncated",
        file,
        where,
        "runs past the end of the central directory",
      );
    }
    if (nameLen > limits.maxNameBytes) {
      throw new PackageError(
        "limit",
        file,
        where,
        `entry name is ${nameLen} bytes, limit is ${limits.maxNameBytes}`,
      );
    }
    if (cur.u16(pos + 34, where) !== 0) {
      throw new PackageError("unsupported", file, where, "multi-disk archives are not supported");
    }
    const nameBytes = cur.slice(pos + CENTRAL_HEADER_SIZE, nameLen, where);
    records.push({
      name: decodeName(nameBytes, file, where),
      nameBytes,
      flags: cur.u16(pos + 8, where),
      method: cur.u16(pos + 10, where),
      crc32: cur.u32(pos + 16, where),
      compressedSize: cur.u32(pos + 20, where),
      uncompressedSize: cur.u32(pos + 24, where),
      localOffset: cur.u32(pos + 42, where),
    });
    pos = next;
  }
  if (pos !== stop) {
    throw new PackageError(
      "corrupt",
      file,
      CONTAINER,
      `central directory has ${stop - pos} bytes after its last record`,
    );
  }
  return { records, offset: end.directoryOffset };
}

/**
 * The end record is the last thing in the file, followed only by its own
 * comment. Scanning back from the end and requiring the comment length to
 * reach the end exactly rejects trailing garbage and signature look-alikes
 * inside a comment.
 */
function findEndRecord(cur: Cursor): EndRecord {
  const { bytes, file } = cur;
  if (bytes.length < END_RECORD_SIZE) {
    throw new PackageError(
      "truncated",
      file,
      CONTAINER,
      `${bytes.length} bytes is too short for a zip archive`,
    );
  }
  const lowest = Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = bytes.length - END_RECORD_SIZE; at >= lowest; at--) {
    if (cur.u32(at, CONTAINER) !== SIG_END) continue;
    if (at + END_RECORD_SIZE + cur.u16(at + 20, CONTAINER) !== bytes.length) continue;
    return checkEndRecord(cur, at);
  }
  throw new PackageError(
    "corrupt",
    file,
    CONTAINER,
    "not a zip archive (no end-of-central-directory record)",
  );
}

function checkEndRecord(cur: Cursor, at: number): EndRecord {
  const { file } = cur;
  const what = "end of central directory";
  const disk = cur.u16(at + 4, what);
  const directoryDisk = cur.u16(at + 6, what);
  const entriesHere = cur.u16(at + 8, what);
  const entries = cur.u16(at + 10, what);
  const directorySize = cur.u32(at + 12, what);
  const directoryOffset = cur.u32(at + 16, what);
  if (
    entries === 0xffff ||
    directorySize === 0xffffffff ||
    directoryOffset === 0xffffffff ||
    (at >= 20 && cur.u32(at - 20, what) === SIG_ZIP64_LOCATOR)
  ) {
    throw new PackageError("unsupported", file, what, "zip64 archives are not supported");
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesHere !== entries) {
    throw new PackageError("unsupported", file, what, "multi-disk archives are not supported");
  }
  // The directory must end exactly where the end record starts: no gaps for
  // smuggled data, no prefix (self-extractor) shifting every offset.
  if (directoryOffset + directorySize !== at) {
    throw new PackageError(
      "corrupt",
      file,
      what,
      `central directory at ${directoryOffset}+${directorySize} does not end at the end record (${at})`,
    );
  }
  return { at, entries, directorySize, directoryOffset };
}

function decodeName(nameBytes: Uint8Array, file: string, where: string): string {
  try {
    return UTF8.decode(nameBytes);
  } catch {
    throw new PackageError("entry_path", file, where, "entry name is not valid UTF-8");
  }
}
