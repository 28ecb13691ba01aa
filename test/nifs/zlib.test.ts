/**
 * The synchronous zlib stream (nifs/lib/zlib-stream.ts) relies on internals
 * of node:zlib streams that Bun implements (the native handle's writeSync,
 * _writeState, onerror): these tests pin that behaviour so a Bun upgrade that
 * changes it fails here, with a clear name, rather than deep in a workflow.
 */
import { describe, expect, test } from "bun:test";
import * as zlib from "node:zlib";
import { deflateStream, inflateStream, ZlibFailure } from "../../nifs/lib/zlib-stream.ts";

const C = zlib.constants;
const text = (n: number) => new TextEncoder().encode("stream data ".repeat(n));

describe("SyncZStream", () => {
  test("deflate across calls with a sync flush, then finish, decompresses to the input", () => {
    const d = deflateStream({ level: -1, windowBits: 15, memLevel: 8, strategy: 0 });
    const a = d.write(text(10), C.Z_NO_FLUSH);
    const b = d.write(text(5), C.Z_SYNC_FLUSH);
    // A sync flush ends in the empty stored block 00 00 ff ff.
    expect([...b.subarray(b.length - 4)]).toEqual([0, 0, 0xff, 0xff]);
    const c = d.write(new Uint8Array(0), C.Z_FINISH);
    const all = Buffer.concat([a, b, c]);
    expect(new Uint8Array(zlib.inflateSync(all))).toEqual(text(15));
  });

  test("output larger than one buffer is returned whole", () => {
    const big = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);
    const d = deflateStream({ level: 0, windowBits: 15, memLevel: 8, strategy: 0 });
    const out = d.write(big, C.Z_FINISH);
    expect(out.length).toBeGreaterThan(200_000);
    expect(new Uint8Array(zlib.inflateSync(out))).toEqual(big);
  });

  test("inflate in pieces, and a finishing probe tells a complete stream from a partial one", () => {
    const comp = zlib.deflateSync(text(300));
    const i = inflateStream(15);
    const a = i.write(comp.subarray(0, 7), C.Z_NO_FLUSH);
    expect(() => i.write(new Uint8Array(0), C.Z_FINISH)).toThrow();
    const b = i.write(comp.subarray(7), C.Z_NO_FLUSH);
    expect(() => i.write(new Uint8Array(0), C.Z_FINISH)).not.toThrow();
    expect(new Uint8Array(Buffer.concat([a, b]))).toEqual(text(300));
  });

  test("bad data raises a ZlibFailure with zlib's Z_DATA_ERROR, synchronously", () => {
    const i = inflateStream(15);
    let caught: unknown = null;
    try {
      i.write(new TextEncoder().encode("garbage!"), C.Z_NO_FLUSH);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ZlibFailure);
    expect((caught as ZlibFailure).errno).toBe(C.Z_DATA_ERROR);
  });

  test("raw and gzip window bits pick the formats", () => {
    const raw = deflateStream({ level: -1, windowBits: -15, memLevel: 8, strategy: 0 });
    const r = raw.write(text(3), C.Z_FINISH);
    expect(new Uint8Array(zlib.inflateRawSync(r))).toEqual(text(3));
    const gz = deflateStream({ level: -1, windowBits: 31, memLevel: 8, strategy: 0 });
    const g = gz.write(text(3), C.Z_FINISH);
    expect([g[0], g[1]]).toEqual([0x1f, 0x8b]);
    const auto = inflateStream(47);
    expect(auto.write(g, C.Z_NO_FLUSH)).toEqual(text(3));
  });
});
