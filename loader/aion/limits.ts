/**
 * Ceilings applied while reading an archive. A zip declares its own sizes, so
 * a hostile one can lie; every limit here is checked against the declared
 * value first and enforced again while inflating (inflation is capped at the
 * declared size, so a lie is caught rather than believed).
 */

export interface ExtractionLimits {
  /** Largest archive accepted at all, in bytes. */
  readonly maxArchiveBytes: number;
  /** Most entries (including directory entries) in one archive. */
  readonly maxEntries: number;
  /** Largest uncompressed size of a single entry. */
  readonly maxEntryBytes: number;
  /** Largest sum of uncompressed sizes over all entries. */
  readonly maxTotalBytes: number;
  /**
   * Largest uncompressed/compressed ratio for an entry bigger than
   * {@link ratioFloorBytes}. Real .beam files deflate 3–10×; bombs reach 1000×.
   */
  readonly maxRatio: number;
  /** Entries at most this big are exempt from the ratio check (tiny files compress oddly). */
  readonly ratioFloorBytes: number;
  /** Longest entry name, in UTF-8 bytes. */
  readonly maxNameBytes: number;
}

const MiB = 1024 * 1024;

/** Generous for real packages (a Gleam closure is a few MiB), tight for bombs. */
export const DEFAULT_LIMITS: ExtractionLimits = Object.freeze({
  maxArchiveBytes: 256 * MiB,
  maxEntries: 10_000,
  maxEntryBytes: 64 * MiB,
  maxTotalBytes: 256 * MiB,
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024,
  maxNameBytes: 1024,
});

/** {@link DEFAULT_LIMITS} with some fields replaced. */
export function withLimits(overrides: Partial<ExtractionLimits> = {}): ExtractionLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
