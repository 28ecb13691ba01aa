/**
 * The synchronous zlib streams behind `zlib:deflate/inflate`: the system-libz
 * one (nifs/lib/zlib-libz.ts, OTP's bytes; sem_zlib_bytes compares those with
 * erl) and the node:zlib fallback (nifs/lib/zlib-stream.ts), which relies on
 * internals of node:zlib streams that Bun implements (the native handle's
 * writeSync, _writeState, onerror): these tests pin that behaviour so a Bun
 * upgrade that changes it fails here, with a clear name, rather than deep in
 * a workflow.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import * as zlib from "node:zlib";
import { FLUSH, LibzStream, libzAvailable } from "../../nifs/lib/zlib-libz.ts";
import {
  deflateStream,
  nodeDeflateStream as deflateStreamNode,
  nodeInflateStream as inflateStreamNode,
  ZlibFailure,
} from "../../nifs/lib/zlib-stream.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const C = zlib.constants;
const text = (n: number) => new TextEncoder().encode("stream data ".repeat(n));

describe("SyncZStream (node:zlib fallback)", () => {
  const deflateStream = deflateStreamNode;
  const inflateStream = inflateStreamNode;
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

  test("inflate in pieces knows when the compressed stream has ended, and ignores what follows", () => {
    const comp = zlib.deflateSync(text(300));
    const i = inflateStream(15);
    const a = i.write(comp.subarray(0, 7), C.Z_NO_FLUSH);
    expect(i.ended).toBe(false);
    const b = i.write(comp.subarray(7), C.Z_NO_FLUSH);
    expect(i.ended).toBe(true);
    expect(i.write(new Uint8Array([1, 2, 3]), C.Z_NO_FLUSH).length).toBe(0);
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

// The system libz is on every machine with a stock Erlang; without it the fallback above is used.
describe.skipIf(!libzAvailable())("LibzStream (system zlib)", () => {
  test("the stream API picks the system zlib when it loads", () => {
    const d = deflateStream({ level: -1, windowBits: 15, memLevel: 8, strategy: 0 });
    expect(d).toBeInstanceOf(LibzStream);
    d.close();
  });

  test("inflate stops at the end of the data, or starts over on the rest with resetAtEnd", () => {
    const one = LibzStream.deflate(-1, 31, 8, 0).write(text(20), FLUSH.finish);
    const two = new Uint8Array([...one, ...one]);
    const cut = LibzStream.inflate(31);
    expect(cut.write(two, FLUSH.none)).toEqual(text(20));
    expect(cut.ended).toBe(true);
    const reset = LibzStream.inflate(31);
    expect(reset.write(two, FLUSH.none, true)).toEqual(new Uint8Array([...text(20), ...text(20)]));
  });

  test("after Z_NEED_DICT the unread input waits for the dictionary", () => {
    const dict = new TextEncoder().encode("stream data");
    const d = LibzStream.deflate(-1, 15, 8, 0);
    d.setDictionary(dict);
    const comp = d.write(text(50), FLUSH.finish);
    const i = LibzStream.inflate(15);
    let caught: unknown = null;
    try {
      i.write(comp, FLUSH.none);
    } catch (e) {
      caught = e;
    }
    expect((caught as ZlibFailure).errno).toBe(C.Z_NEED_DICT);
    i.setDictionary(dict);
    expect(i.write(new Uint8Array(0), FLUSH.none)).toEqual(text(50));
  });

  test("a closed stream refuses more work with a stream error, and closing twice is harmless", () => {
    const d = LibzStream.deflate(6, 15, 8, 0);
    d.close();
    d.close();
    expect(() => d.write(text(1), FLUSH.finish)).toThrow(ZlibFailure);
  });

  test("zlib's refusal of a parameter is a ZlibFailure with Z_STREAM_ERROR", () => {
    let caught: unknown = null;
    try {
      LibzStream.deflate(6, -8, 8, 0);
    } catch (e) {
      caught = e;
    }
    expect((caught as ZlibFailure).errno).toBe(C.Z_STREAM_ERROR);
  });
});
