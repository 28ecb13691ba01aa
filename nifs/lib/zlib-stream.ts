/**
 * A synchronous zlib stream (deflate or inflate) over node:zlib's native
 * handle. node:zlib offers either one-shot functions or asynchronous
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

/** A zlib error: `errno` is zlib's code (Z_DATA_ERROR is -3...). */
export class ZlibFailure extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

const OUT_CHUNK = 16_384;

/** One deflate or inflate stream whose calls run to completion synchronously. */
export class SyncZStream {
  private readonly handle: NativeHandle;
  private readonly state: Uint32Array;
  private failure: ZlibFailure | null = null;
  /** Whether an inflate stream has seen the end of the compressed data. */
  ended = false;

  constructor(stream: zlib.Deflate | zlib.Inflate | zlib.Gzip | zlib.Gunzip | zlib.DeflateRaw) {
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
    return new Uint8Array(Buffer.concat(outs));
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
export function deflateStream(o: DeflateOptions): SyncZStream {
  const common = { level: o.level, memLevel: o.memLevel, strategy: o.strategy };
  if (o.windowBits < 0)
    return new SyncZStream(zlib.createDeflateRaw({ ...common, windowBits: -o.windowBits }));
  if (o.windowBits > 15)
    return new SyncZStream(zlib.createGzip({ ...common, windowBits: o.windowBits - 16 }));
  return new SyncZStream(zlib.createDeflate({ ...common, windowBits: o.windowBits }));
}

/** An inflate stream: raw for negative bits, gzip for 16 + bits, either for 32 + bits. */
export function inflateStream(windowBits: number): SyncZStream {
  if (windowBits < 0) return new SyncZStream(zlib.createInflateRaw({ windowBits: -windowBits }));
  if (windowBits >= 32) return new SyncZStream(zlib.createUnzip({ windowBits: windowBits - 32 }));
  if (windowBits > 15) return new SyncZStream(zlib.createGunzip({ windowBits: windowBits - 16 }));
  return new SyncZStream(zlib.createInflate({ windowBits }));
}
