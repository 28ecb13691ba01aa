/**
 * Synchronous zlib streams (deflate or inflate) for `zlib:deflate/3` and
 * `zlib:inflate/2`: over the system libz when it loads (nifs/lib/zlib-libz.ts,
 * OTP's bytes), else over node:zlib's native handle (same data, other bytes
 * on longer input: Bun bundles another zlib).
 *
 * The node:zlib fallback: node:zlib offers either one-shot functions or asynchronous
 * streams, but `zlib:deflate/3` and `zlib:inflate/2` are synchronous calls
 * on a stream that keeps its state between calls. Node's own one-shot code
 * drives the native handle with `writeSync`; this does the same and keeps the
 * handle open (Node's one-shot path closes it after one call).
 *
 * This relies on the handle's `writeSync(flush, in, inOff, inLen, out,
 * outOff, outLen)`, its `_writeState` ([availOut, availIn] after a call) and
 * its `onerror(message, errno)` callback, which Bun implements as Node does;
 * test/nifs/zlib.test.ts and the sem_zlib conformance fixture pin them.
 */
import * as zlib from "node:zlib";
import { LibzStream, libzAvailable, ZlibFailure } from "./zlib-libz.ts";

/** What the native handle of a node:zlib stream offers (not in Node's typings). */
interface NativeHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number) => void;
  close(): void;
}

export { ZlibFailure };

/** What zlib.ts needs of a stream, whichever zlib is behind it. */
export interface ZStream {
  /** Feeds `input` with a zlib flush mode; all output produced. Throws {@link ZlibFailure}. */
  write(input: Uint8Array, flush: number, resetAtEnd?: boolean): Uint8Array;
  /** Whether an inflate stream has seen the end of its compressed data. */
  readonly ended: boolean;
  close(): void;
}

const OUT_CHUNK = 16_384;

/** One deflate or inflate stream whose calls run to completion synchronously. */
export class SyncZStream implements ZStream {
  private readonly handle: NativeHandle;
  private readonly state: Uint32Array;
  private failure: ZlibFailure | null = null;
  /** Whether an inflate stream has seen the end of the compressed data. */
  ended = false;

  constructor(
    stream: zlib.Deflate | zlib.Inflate | zlib.Gzip | zlib.Gunzip | zlib.DeflateRaw,
    private readonly inflating = false,
  ) {
    // Internal fields of node:zlib streams, as documented above.
    const s = stream as unknown as { _handle: NativeHandle; _writeState: Uint32Array };
    this.handle = s._handle;
    this.state = s._writeState;
    this.handle.onerror = (message, errno) => {
      this.failure = new ZlibFailure(message, errno);
    };
  }

  /** Feeds `input` with a zlib flush mode and returns all output it produced. */
  write(input: Uint8Array, flush: number): Uint8Array {
    // Data after the end of the compressed stream is ignored, as OTP's `cut` does.
    if (this.ended) return new Uint8Array(0);
    const outs: Uint8Array[] = [];
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      const out = new Uint8Array(OUT_CHUNK);
      this.failure = null;
      this.state[0] = 0;
      this.state[1] = 0;
      this.handle.writeSync(flush, input, inOff, inLen, out, 0, out.length);
      if (this.failure !== null) throw this.failure;
      const availOut = this.state[0]!;
      const availIn = this.state[1]!;
      const produced = out.length - availOut;
      if (produced > 0) outs.push(out.subarray(0, produced));
      inOff += inLen - availIn;
      inLen = availIn;
      // Output space left over means zlib had nothing more to give.
      if (availOut !== 0) break;
    }
    if (this.inflating) this.ended = this.probeEnd();
    return new Uint8Array(Buffer.concat(outs));
  }

  /**
   * Whether the inflate stream has reached its end. The handle does not say,
   * so an empty write with Z_FINISH asks: zlib accepts it only when the data
   * fed so far is a complete stream (and fails harmlessly otherwise).
   */
  private probeEnd(): boolean {
    this.failure = null;
    const out = new Uint8Array(1);
    this.handle.writeSync(zlib.constants.Z_FINISH, out, 0, 0, out, 0, 1);
    return this.failure === null;
  }

  close(): void {
    this.handle.close();
  }
}

/** Options of a deflate stream, in zlib's terms. */
export interface DeflateOptions {
  level: number;
  windowBits: number;
  memLevel: number;
  strategy: number;
}

/** A deflate stream: zlib format for windowBits 8..15, raw for negative, gzip for 16 + bits. */
export function deflateStream(o: DeflateOptions): ZStream {
  if (libzAvailable()) return LibzStream.deflate(o.level, o.windowBits, o.memLevel, o.strategy);
  return nodeDeflateStream(o);
}

/** A deflate stream over node:zlib (Bun's zlib). */
export function nodeDeflateStream(o: DeflateOptions): SyncZStream {
  const common = { level: o.level, memLevel: o.memLevel, strategy: o.strategy };
  if (o.windowBits < 0)
    return new SyncZStream(zlib.createDeflateRaw({ ...common, windowBits: -o.windowBits }));
  if (o.windowBits > 15)
    return new SyncZStream(zlib.createGzip({ ...common, windowBits: o.windowBits - 16 }));
  return new SyncZStream(zlib.createDeflate({ ...common, windowBits: o.windowBits }));
}

/** An inflate stream: raw for negative bits, gzip for 16 + bits, either for 32 + bits. */
export function inflateStream(windowBits: number): ZStream {
  if (libzAvailable()) return LibzStream.inflate(windowBits);
  return nodeInflateStream(windowBits);
}

/** An inflate stream over node:zlib (Bun's zlib). */
export function nodeInflateStream(windowBits: number): SyncZStream {
  const s =
    windowBits < 0
      ? zlib.createInflateRaw({ windowBits: -windowBits })
      : windowBits >= 32
        ? zlib.createUnzip({ windowBits: windowBits - 32 })
        : windowBits > 15
          ? zlib.createGunzip({ windowBits: windowBits - 16 })
          : zlib.createInflate({ windowBits });
  return new SyncZStream(s, true);
}
