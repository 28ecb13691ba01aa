/**
 * `zlib`: one-shot `compress/uncompress`, `zip/unzip` (raw deflate),
 * `gzip/gunzip`, and the stream API (`open`, `deflateInit`, `deflate`,
 * `inflateInit`, `inflate`, the `*End`/`*Reset` calls, `close`, checksums)
 * over node:zlib. `compress/1` goes through the system's reference libz when
 * it is loadable (terms/zlib-deflate.ts), so its bytes equal OTP's; Bun's
 * bundled zlib, used for the rest, picks other matches on longer input
 * (same data after decompression; docs/otp-compat.md). Errors are OTP's
 * atoms (`data_error`, `not_initialized`, `bad_windowbits`...), raised as
 * `error:Reason`; non-iodata is `badarg`.
 *
 * A stream is a reference (as `zlib:open/0` returns in OTP 25) mapped to its
 * state; deflate and inflate return iolists (a list of at most one binary).
 */
import * as zlib from "node:zlib";
import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, Ref, type Term } from "../../terms/term.ts";
import { zlibCompress } from "../../terms/zlib-deflate.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { adler32, crc32 } from "../erlang/checksums.ts";
import { ioToBitString } from "../erlang/iolist.ts";
import { badarg, raise } from "./util.ts";
import { deflateStream, inflateStream, type SyncZStream, ZlibFailure } from "./zlib-stream.ts";

/** The bytes of iodata, else `badarg`. */
function bytesArg(t: Term): Uint8Array {
  if (t instanceof BitString) return (t.size & 7) === 0 ? t.bytes() : badarg();
  if (!(t instanceof Cons) && t !== NIL) return badarg();
  const flat = ioToBitString(t, false);
  return flat === null ? badarg() : flat.buf;
}

const bin = (b: Uint8Array): BitString => binaryFromBytes(b);
const fail = (reason: string): never => raise(atom(reason));

/** A one-shot call whose zlib failure (bad or truncated data) is `data_error`. */
function oneShot(f: () => Buffer): BitString {
  try {
    return bin(new Uint8Array(f()));
  } catch {
    return fail("data_error");
  }
}

/** The state behind a `zlib:open/0` reference. */
interface ZState {
  mode: "none" | "deflate" | "inflate" | "closed";
  stream: SyncZStream | null;
  /** Parameters to re-create the stream on reset. */
  deflate: { level: number; windowBits: number; memLevel: number; strategy: number } | null;
  inflateBits: number;
  /** Whether a deflate stream was finished (more input is a stream_error). */
  finished: boolean;
  /** Whether an inflate stream has produced all of its data. */
  inflateDone: boolean;
}

const streams = new WeakMap<Ref, ZState>();

function stateArg(t: Term): ZState {
  const s = t instanceof Ref ? streams.get(t) : undefined;
  return s ?? badarg();
}

const LEVELS: Record<string, number> = {
  none: 0,
  default: -1,
  best_speed: 1,
  best_compression: 9,
};
const STRATEGIES: Record<string, number> = {
  default: zlib.constants.Z_DEFAULT_STRATEGY,
  filtered: zlib.constants.Z_FILTERED,
  huffman_only: zlib.constants.Z_HUFFMAN_ONLY,
  rle: zlib.constants.Z_RLE,
};
const FLUSHES: Record<string, number> = {
  none: zlib.constants.Z_NO_FLUSH,
  sync: zlib.constants.Z_SYNC_FLUSH,
  full: zlib.constants.Z_FULL_FLUSH,
  finish: zlib.constants.Z_FINISH,
};

function levelArg(t: Term): number {
  if (typeof t === "number" && Number.isInteger(t) && t >= 0 && t <= 9) return t;
  if (t instanceof Atom && LEVELS[t.name] !== undefined) return LEVELS[t.name]!;
  return fail("bad_compression_level");
}

function windowBitsArg(t: Term, inflate: boolean): number {
  if (typeof t !== "number" || !Number.isInteger(t)) return fail("bad_windowbits");
  const a = Math.abs(t);
  if (a >= 8 && a <= 15) return t;
  if (t >= 24 && t <= 31) return t;
  if (inflate && t >= 40 && t <= 47) return t;
  if (!inflate && t > 15 && t < 24) return fail("stream_error");
  return fail("bad_windowbits");
}

function memLevelArg(t: Term): number {
  return typeof t === "number" && Number.isInteger(t) && t >= 1 && t <= 9
    ? t
    : fail("bad_memlevel");
}

function strategyArg(t: Term): number {
  if (t instanceof Atom && STRATEGIES[t.name] !== undefined) return STRATEGIES[t.name]!;
  return fail("bad_compression_strategy");
}

function deflateInit(
  s: ZState,
  level: number,
  windowBits: number,
  memLevel: number,
  strategy: number,
): Term {
  if (s.mode !== "none") return fail("already_initialized");
  s.deflate = { level, windowBits, memLevel, strategy };
  s.stream = deflateStream(s.deflate);
  s.mode = "deflate";
  s.finished = false;
  return A.ok;
}

function inflateInit(s: ZState, windowBits: number): Term {
  if (s.mode !== "none") return fail("already_initialized");
  s.inflateBits = windowBits;
  s.stream = inflateStream(windowBits);
  s.mode = "inflate";
  s.inflateDone = false;
  return A.ok;
}

/** Releases the stream and returns to the state after `open/0`. */
function end(s: ZState, mode: "deflate" | "inflate"): Term {
  if (s.mode !== mode) return fail("not_initialized");
  const incomplete = mode === "inflate" && !s.inflateDone;
  s.stream?.close();
  s.stream = null;
  s.mode = "none";
  return incomplete ? fail("data_error") : A.ok;
}

/** Output of a stream call as an iolist. */
function iolist(bytes: Uint8Array): Term {
  return bytes.length === 0 ? NIL : new Cons(bin(bytes), NIL);
}

/** Runs a stream call, turning zlib's failure into its OTP reason. */
function streamWrite(stream: SyncZStream, input: Uint8Array, flush: number): Uint8Array {
  try {
    return stream.write(input, flush);
  } catch (e) {
    if (e instanceof ZlibFailure)
      return fail(e.errno === zlib.constants.Z_NEED_DICT ? "need_dictionary" : "data_error");
    throw e;
  }
}

function deflate(s: ZState, data: Term, flush: Term): Term {
  const input = bytesArg(data);
  if (s.mode !== "deflate") return fail("not_initialized");
  const mode = flush instanceof Atom ? FLUSHES[flush.name] : undefined;
  if (mode === undefined) return fail("bad_flush_mode");
  if (s.finished) return fail("stream_error");
  const out = streamWrite(s.stream!, input, mode);
  if (mode === zlib.constants.Z_FINISH) s.finished = true;
  return iolist(out);
}

function inflate(s: ZState, data: Term): Term {
  const input = bytesArg(data);
  if (s.mode !== "inflate") return fail("not_initialized");
  // Data after the end of the compressed stream is ignored, as zlib does.
  if (s.inflateDone) return NIL;
  const out = streamWrite(s.stream!, input, zlib.constants.Z_NO_FLUSH);
  if (streamEnded(s, input)) s.inflateDone = true;
  return iolist(out);
}

/**
 * Whether the inflate stream has reached its end. The handle does not say,
 * so an empty write with Z_FINISH asks: zlib accepts it only when the data
 * fed so far is a complete stream (and fails harmlessly otherwise).
 */
function streamEnded(s: ZState, _input: Uint8Array): boolean {
  try {
    s.stream!.write(new Uint8Array(0), zlib.constants.Z_FINISH);
    return true;
  } catch {
    return false;
  }
}

function newStream(p: Process): Ref {
  const ref = p.vm.makeRef();
  streams.set(ref, {
    mode: "none",
    stream: null,
    deflate: null,
    inflateBits: 15,
    finished: false,
    inflateDone: false,
  });
  return ref;
}

export const zlibNatives: NativeModule = defineNatives("zlib", {
  // The reference zlib where loadable, so bytes match OTP's (the compiler's LitT chunk, and the MD5 over it).
  "compress/1": (_p, d) => bin(zlibCompress(bytesArg(d!), 6)),
  "uncompress/1": (_p, d) => {
    const input = bytesArg(d!);
    return oneShot(() => zlib.inflateSync(input));
  },
  "zip/1": (_p, d) => bin(new Uint8Array(zlib.deflateRawSync(bytesArg(d!)))),
  "unzip/1": (_p, d) => {
    const input = bytesArg(d!);
    return oneShot(() => zlib.inflateRawSync(input));
  },
  "gzip/1": (_p, d) => bin(new Uint8Array(zlib.gzipSync(bytesArg(d!)))),
  "gunzip/1": (_p, d) => {
    const input = bytesArg(d!);
    return oneShot(() => zlib.gunzipSync(input));
  },
  "open/0": (p) => newStream(p),
  "close/1": (_p, z) => {
    const s = stateArg(z!);
    if (s.mode === "closed") return fail("not_initialized");
    s.stream?.close();
    s.stream = null;
    // OTP keeps the handle: a later init says already_initialized, anything else not_initialized.
    s.mode = "closed";
    return A.ok;
  },
  "deflateInit/1": (_p, z) => deflateInit(stateArg(z!), -1, 15, 8, 0),
  "deflateInit/2": (_p, z, l) => {
    const s = stateArg(z!);
    return deflateInit(s, levelArg(l!), 15, 8, 0);
  },
  "deflateInit/6": (_p, z, l, m, w, ml, st) => {
    const s = stateArg(z!);
    const level = levelArg(l!);
    if (m !== atom("deflated")) return fail("bad_compression_method");
    return deflateInit(s, level, windowBitsArg(w!, false), memLevelArg(ml!), strategyArg(st!));
  },
  "deflate/2": (_p, z, d) => deflate(stateArg(z!), d!, atom("none")),
  "deflate/3": (_p, z, d, f) => deflate(stateArg(z!), d!, f!),
  "deflateEnd/1": (_p, z) => end(stateArg(z!), "deflate"),
  "deflateReset/1": (_p, z) => {
    const s = stateArg(z!);
    if (s.mode !== "deflate") return fail("not_initialized");
    s.stream?.close();
    s.stream = deflateStream(s.deflate!);
    s.finished = false;
    return A.ok;
  },
  "inflateInit/1": (_p, z) => inflateInit(stateArg(z!), 15),
  "inflateInit/2": (_p, z, w) => {
    const s = stateArg(z!);
    return inflateInit(s, windowBitsArg(w!, true));
  },
  "inflate/2": (_p, z, d) => inflate(stateArg(z!), d!),
  "inflateEnd/1": (_p, z) => end(stateArg(z!), "inflate"),
  "inflateReset/1": (_p, z) => {
    const s = stateArg(z!);
    if (s.mode !== "inflate") return fail("not_initialized");
    s.stream?.close();
    s.stream = inflateStream(s.inflateBits);
    s.inflateDone = false;
    return A.ok;
  },
  "setBufSize/2": (_p, z, n) => {
    stateArg(z!);
    return typeof n === "number" && n >= 16 ? A.ok : badarg();
  },
  "getBufSize/1": (_p, z) => {
    stateArg(z!);
    return 8192;
  },
  "crc32/2": (_p, z, d) => {
    stateArg(z!);
    return crc32(0, bytesArg(d!));
  },
  "crc32/3": (_p, z, c, d) => {
    stateArg(z!);
    if (typeof c !== "number" || c < 0 || c >= 2 ** 32) return badarg();
    return crc32(c, bytesArg(d!));
  },
  "adler32/2": (_p, z, d) => {
    stateArg(z!);
    return adler32(1, bytesArg(d!));
  },
  "adler32/3": (_p, z, c, d) => {
    stateArg(z!);
    if (typeof c !== "number" || c < 0 || c >= 2 ** 32) return badarg();
    return adler32(c, bytesArg(d!));
  },
});
