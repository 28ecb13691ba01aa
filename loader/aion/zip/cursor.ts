/**
 * Bounds-checked little-endian reads over a byte array. Every read past the
 * end throws a `truncated` {@link PackageError}, so zip parsing code never
 * sees `undefined` or a RangeError from a short or lying archive.
 */
import { PackageError } from "../errors.ts";

export class Cursor {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** Named in errors. */
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws unless `[pos, pos + n)` lies inside the bytes. */
  need(pos: number, n: number, what: string): void {
    if (pos < 0 || n < 0 || pos + n > this.bytes.length) {
      throw new PackageError(
        "truncated",
        this.file,
        what,
        `needs ${n} bytes at offset ${pos}, archive is ${this.bytes.length} bytes`,
      );
    }
  }

  u16(pos: number, what: string): number {
    this.need(pos, 2, what);
    return this.view.getUint16(pos, true);
  }

  u32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.view.getUint32(pos, true);
  }

  slice(pos: number, n: number, what: string): Uint8Array {
    this.need(pos, n, what);
    return this.bytes.subarray(pos, pos + n);
  }
}
