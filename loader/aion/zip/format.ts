/**
 * The parts of the zip format (PKWARE APPNOTE 6.3) that `.aion` archives use:
 * local file headers, the central directory and its end record. No zip64, no
 * encryption, no multi-disk archives; methods 0 (stored) and 8 (deflate).
 */

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_END = 0x06054b50;
export const SIG_ZIP64_END = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

/** Fixed part of a local file header. */
export const LOCAL_HEADER_SIZE = 30;
/** Fixed part of a central directory file header. */
export const CENTRAL_HEADER_SIZE = 46;
/** End of central directory record without its comment. */
export const END_RECORD_SIZE = 22;
/** The end record's comment length is a u16, so it starts at most this far from the end. */
export const MAX_COMMENT = 0xffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

/** General-purpose flag bits. */
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_STRONG_ENCRYPTION = 0x0040;
export const FLAG_UTF8 = 0x0800;

/**
 * The fixed timestamp every written entry carries: 1980-01-01 00:00:00, the
 * earliest MS-DOS date, so archives never depend on when they were built.
 */
export const DOS_TIME = 0;
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** "Version made by": Unix (3) in the high byte, spec 2.0 in the low byte. */
export const MADE_BY_UNIX = (3 << 8) | 20;
/** Regular file, mode 0644, in the high half of the external attributes. */
export const EXTERNAL_ATTR_FILE = (0o100644 << 16) >>> 0;

/** One central-directory record: what the reader knows about an entry before touching its data. */
export interface ZipRecord {
  /** The entry name, decoded from UTF-8. */
  readonly name: string;
  /** The raw name bytes (compared against the local header's copy). */
  readonly nameBytes: Uint8Array;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Offset of the entry's local file header. */
  readonly localOffset: number;
}
