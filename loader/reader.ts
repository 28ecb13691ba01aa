/**
 * A bounds-checked big-endian cursor over a byte range. Every read checks the
 * range first and raises a LoadError naming the chunk and absolute offset, so
 * chunk decoders never index past their data and never see `undefined` bytes.
 */
import type { ErrorSite, LoadError } from "./errors.ts";

export class Reader {
  /** Current position (an index into `buf`). */
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    readonly start: number,
    /** One past the last readable index. */
    readonly end: number,
    readonly site: ErrorSite,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** A LoadError at the current position (or at `pos`). */
  error(message: string, pos = this.pos): LoadError {
    return this.site.error(pos, message);
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw this.error(`truncated ${what}: need ${n} byte(s), ${this.end - this.pos} left`);
    }
  }

  u8(what = "byte"): number {
    if (this.pos >= this.end) throw this.error(`truncated ${what}`);
    return this.buf[this.pos++]!;
  }

  u16(what = "16-bit field"): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what = "32-bit field"): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i32(what = "32-bit field"): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Signed 64-bit big-endian as a bigint. */
  i64(what = "64-bit field"): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  /** Big-endian IEEE double. */
  f64(what = "float"): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** `n` bytes as a view into the buffer (no copy). */
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * Checks that `count` items of at least `minSize` bytes each can still be
   * present, before anything is allocated for them. A hostile count then costs
   * nothing.
   */
  checkCount(count: number, minSize: number, what: string): void {
    if (count < 0 || count * minSize > this.end - this.pos) {
      throw this.error(
        `${what} count ${count} does not fit in the ${this.end - this.pos} byte(s) left`,
      );
    }
  }
}
