/**
 * External Term Format tag bytes and the typed decode error.
 * Tag values are fixed by the format (erts' external.h); names follow its docs.
 */

export const VERSION_MAGIC = 131;

export enum Tag {
  NEW_FLOAT = 70,
  BIT_BINARY = 77,
  COMPRESSED = 80,
  NEW_PID = 88,
  NEW_PORT = 89,
  NEWER_REFERENCE = 90,
  SMALL_INTEGER = 97,
  INTEGER = 98,
  FLOAT = 99,
  ATOM = 100,
  REFERENCE = 101,
  PORT = 102,
  PID = 103,
  SMALL_TUPLE = 104,
  LARGE_TUPLE = 105,
  NIL = 106,
  STRING = 107,
  LIST = 108,
  BINARY = 109,
  SMALL_BIG = 110,
  LARGE_BIG = 111,
  NEW_FUN = 112,
  EXPORT = 113,
  NEW_REFERENCE = 114,
  SMALL_ATOM = 115,
  MAP = 116,
  ATOM_UTF8 = 118,
  SMALL_ATOM_UTF8 = 119,
  V4_PORT = 120,
  LOCAL = 121,
}

/** Malformed or unsupported external-format input (what `binary_to_term` reports as `badarg`). */
export class EtfError extends Error {
  constructor(
    /** What was wrong, without the position. */
    readonly reason: string,
    /** Byte offset in the input where the problem was found. */
    readonly offset: number,
  ) {
    super(`${reason} at byte ${offset}`);
    this.name = "EtfError";
  }
}
