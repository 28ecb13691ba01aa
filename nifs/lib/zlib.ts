/**
 * `zlib`: one-shot `compress/uncompress`, `zip/unzip` (raw deflate),
 * `gzip/gunzip`, and the stream API (`open`, `deflateInit`, `deflate`,
 * `deflateParams`, the dictionaries, `inflateInit` with its end-of-stream
 * behaviours, `inflate`, the `*End`/`*Reset` calls, `close`, checksums).
 *
 * The one-shot calls are built from the stream calls with the parameters
 * OTP's zlib.erl passes, and the streams drive the system libz, as OTP's NIF
 * does (nifs/lib/zlib-stream.ts), so compressed bytes and inflate's verdicts
 * on corrupt data are OTP's. Without a loadable libz the streams fall back to
 * Bun's bundled zlib: same data, other bytes on longer input
 * (docs/otp-compat.md). Errors are OTP's atoms (`data_error`,
 * `not_initialized`, `bad_windowbits`, `stream_error`...), raised as
 * `error:Reason`; non-iodata is `badarg`.
 *
 * A stream is a reference (as `zlib:open/0` returns in OTP 25) mapped to its
 * state; deflate and inflate return iolists (a list of at most one binary,
 * where OTP may return several chunks: the bytes are the same).
 */
import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { Cons, NIL, Ref, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { adler32, crc32 } from "../erlang/checksums.ts";
import { ioToBitString } from "../erlang/iolist.ts";
import { badarg, raise } from "./util.ts";
import { FLUSH, LibzStream, libzAvailable, Z } from "./zlib-libz.ts";
import { deflateStream, inflateStream, ZlibFailure, type ZStream } from "./zlib-stream.ts";

/** The bytes of iodata, else `badarg`. */
function bytesArg(t: Term): Uint8Array {
  if (t instanceof BitString) return (t.size & 7) === 0 ? t.bytes() : badarg();
  if (!(t instanceof Cons) && t !== NIL) return badarg();
  const flat = ioToBitString(t, false);
  return flat === null ? badarg() : flat.buf;
}

const bin = (b: Uint8Array): BitString => binaryFromBytes(b);
const fail = (reason: string): never => raise(atom(reason));

/** OTP's reason for a zlib return code. */
const ZLIB_REASONS: Record<number, string> = {
  [Z.STREAM_ERROR]: "stream_error",
  [Z.DATA_ERROR]: "data_error",
  [Z.MEM_ERROR]: "mem_error",
  [Z.BUF_ERROR]: "buf_error",
  [-6]: "version_error",
  [-1]: "errno",
};

/** What inflate does with data after the end of the compressed stream (`inflateInit/3`). */
type EndOfStream = "error" | "reset" | "cut";

/** The state behind a `zlib:open/0` reference. */
interface ZState {
  mode: "none" | "deflate" | "inflate" | "closed";
  stream: ZStream | null;
  /** Parameters to re-create the stream on reset. */
  deflate: { level: number; windowBits: number; memLevel: number; strategy: number } | null;
  inflateBits: number;
  eos: EndOfStream;
  /** Whether a deflate stream was finished (more input is a stream_error). */
  finished: boolean;
  /** Output a `deflateParams` flushed, returned by the next `deflate` (OTP's stash). */
  stash: Uint8Array | null;
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
const STRATEGIES: Record<string, number> = { default: 0, filtered: 1, huffman_only: 2, rle: 3 };

function levelArg(t: Term): number {
  if (typeof t === "number" && Number.isInteger(t) && t >= 0 && t <= 9) return t;
  if (t instanceof Atom && LEVELS[t.name] !== undefined) return LEVELS[t.name]!;
  return fail("bad_compression_level");
}

/** OTP's own check (zlib.erl's `arg_bitsz`); zlib then refuses some with stream_error. */
function windowBitsArg(t: Term): number {
  if (typeof t === "number" && Number.isInteger(t) && ((t >= 8 && t < 48) || (t >= -15 && t <= -8)))
    return t;
  return fail("bad_windowbits");
}

/** What zlib itself accepts, for the node:zlib fallback (libz answers for itself). */
function zlibAcceptsBits(bits: number, inflate: boolean): boolean {
  const a = Math.abs(bits);
  if (bits < 0) return a >= 9 || (inflate && a >= 8);
  if (bits <= 15) return true;
  if (bits >= 24 && bits <= 31) return inflate || bits >= 25;
  if (inflate && bits >= 40 && bits <= 47) return true;
  return inflate && (bits === 16 || bits === 32);
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

function flushArg(t: Term): number {
  const f = t instanceof Atom ? (FLUSH as Record<string, number>)[t.name] : undefined;
  return f ?? fail("bad_flush_mode");
}

function eosArg(t: Term): EndOfStream {
  if (t === atom("error") || t === atom("reset") || t === atom("cut"))
    return (t as Atom).name as EndOfStream;
  return fail("bad_eos_behavior");
}

/** Runs a zlib call, turning its failure into OTP's reason. */
function zcall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ZlibFailure) return fail(ZLIB_REASONS[e.errno] ?? "data_error");
    throw e;
  }
}

function deflateInit(
  s: ZState,
  level: number,
  windowBits: number,
  memLevel: number,
  strategy: number,
): Term {
  if (s.mode !== "none") return fail("already_initialized");
  if (!libzAvailable() && !zlibAcceptsBits(windowBits, false)) return fail("stream_error");
  const params = { level, windowBits, memLevel, strategy };
  s.stream = zcall(() => deflateStream(params));
  s.deflate = params;
  s.mode = "deflate";
  s.finished = false;
  s.stash = null;
  return A.ok;
}

function inflateInit(s: ZState, windowBits: number, eos: EndOfStream): Term {
  if (s.mode !== "none") return fail("already_initialized");
  if (!libzAvailable() && !zlibAcceptsBits(windowBits, true)) return fail("stream_error");
  s.stream = zcall(() => inflateStream(windowBits));
  s.inflateBits = windowBits;
  s.eos = eos;
  s.mode = "inflate";
  return A.ok;
}

/** Releases the stream and returns to the state after `open/0`. */
function end(s: ZState, mode: "deflate" | "inflate"): Term {
  if (s.mode !== mode) return fail("not_initialized");
  const incomplete = mode === "inflate" && !s.stream!.ended;
  s.stream?.close();
  s.stream = null;
  s.mode = "none";
  return incomplete ? fail("data_error") : A.ok;
}

/** Output of a stream call as an iolist. */
function iolist(bytes: Uint8Array): Term {
  return bytes.length === 0 ? NIL : new Cons(bin(bytes), NIL);
}

function withStash(s: ZState, out: Uint8Array): Uint8Array {
  const stash = s.stash;
  if (stash === null) return out;
  s.stash = null;
  const all = new Uint8Array(stash.length + out.length);
  all.set(stash);
  all.set(out, stash.length);
  return all;
}

function deflate(s: ZState, data: Term, flush: Term): Term {
  const input = bytesArg(data);
  if (s.mode !== "deflate") return fail("not_initialized");
  const mode = flushArg(flush);
  if (s.finished && (input.length > 0 || mode !== FLUSH.finish)) return fail("stream_error");
  const out = zcall(() => s.stream!.write(input, mode));
  if (mode === FLUSH.finish) s.finished = true;
  return iolist(withStash(s, out));
}

/** `deflateParams/3`: OTP flushes what is pending (sync) and hands it to the next deflate. */
function deflateParams(s: ZState, levelT: Term, strategyT: Term): Term {
  const level = levelArg(levelT);
  const strategy = strategyArg(strategyT);
  if (s.mode !== "deflate") return fail("not_initialized");
  const out = zcall(() => s.stream!.write(new Uint8Array(0), FLUSH.sync));
  const stream = s.stream;
  if (!(stream instanceof LibzStream)) return fail("enotsup");
  zcall(() => stream.params(level, strategy));
  s.stash = withStash(s, out);
  s.deflate = { ...s.deflate!, level, strategy };
  return A.ok;
}

/** zlib's Adler-32 as OTP's NIF returns it: a signed 32-bit integer. */
const signed32 = (n: number): number => n | 0;

function setDictionary(s: ZState, mode: "deflate" | "inflate", dict: Term): Term {
  const bytes = bytesArg(dict);
  if (s.mode !== mode) return fail("not_initialized");
  const stream = s.stream;
  if (!(stream instanceof LibzStream)) return fail("enotsup");
  zcall(() => stream.setDictionary(bytes));
  if (mode === "inflate") return A.ok;
  return signed32(adler32(1, bytes));
}

function inflate(s: ZState, data: Term, options: Term): Term {
  const input = bytesArg(data);
  if (s.mode !== "inflate") return fail("not_initialized");
  const stream = s.stream!;
  if (stream.ended && input.length > 0 && s.eos === "error") return fail("data_error");
  let out: Uint8Array;
  try {
    out = stream.write(input, FLUSH.none, s.eos === "reset");
  } catch (e) {
    if (e instanceof ZlibFailure && e.errno === Z.NEED_DICT && stream instanceof LibzStream)
      return needDictionary(stream, options);
    if (e instanceof ZlibFailure) return fail(ZLIB_REASONS[e.errno] ?? "data_error");
    throw e;
  }
  return iolist(out);
}

/** Z_NEED_DICT: `error:{need_dictionary, Adler}`, or a tuple when the caller asked for one. */
function needDictionary(stream: LibzStream, options: Term): Term {
  const adler = signed32(stream.adler());
  for (let l = options; l instanceof Cons; l = l.tail) {
    const o = l.head;
    if (Array.isArray(o) && o[0] === atom("exception_on_need_dict") && o[1] === A.false)
      return [atom("need_dictionary"), adler, NIL];
  }
  return raise([atom("need_dictionary"), adler]);
}

function newStream(p: Process): Ref {
  const ref = p.vm.makeRef();
  streams.set(ref, {
    mode: "none",
    stream: null,
    deflate: null,
    inflateBits: 15,
    eos: "cut",
    finished: false,
    stash: null,
  });
  return ref;
}

/** Runs `f` on a fresh stream and closes it, as zlib.erl's one-shot functions do. */
function oneShot(p: Process, f: (s: ZState) => Uint8Array): BitString {
  const s = streams.get(newStream(p))!;
  try {
    return bin(f(s));
  } finally {
    s.stream?.close();
  }
}

/** `deflate(Data, finish)` with zlib.erl's parameters for compress/zip/gzip. */
function compressWith(p: Process, data: Term, windowBits: number): BitString {
  const input = bytesArg(data);
  return oneShot(p, (s) => {
    deflateInit(s, -1, windowBits, 8, 0);
    return zcall(() => s.stream!.write(input, FLUSH.finish));
  });
}

/** inflate then inflateEnd, as zlib.erl's uncompress/unzip/gunzip do. */
function decompressWith(p: Process, input: Uint8Array, windowBits: number, eos: EndOfStream) {
  return oneShot(p, (s) => {
    inflateInit(s, windowBits, eos);
    const out = zcall(() => s.stream!.write(input, FLUSH.none, eos === "reset"));
    if (!s.stream!.ended) fail("data_error");
    return out;
  });
}

export const zlibNatives: NativeModule = defineNatives("zlib", {
  "compress/1": (p, d) => compressWith(p, d!, 15),
  "uncompress/1": (p, d) => {
    const input = bytesArg(d!);
    // zlib.erl refuses anything shorter than a header and a checksum up front.
    if (input.length < 8) return fail("data_error");
    return decompressWith(p, input, 15, "cut");
  },
  "zip/1": (p, d) => compressWith(p, d!, -15),
  "unzip/1": (p, d) => decompressWith(p, bytesArg(d!), -15, "cut"),
  "gzip/1": (p, d) => compressWith(p, d!, 31),
  "gunzip/1": (p, d) => decompressWith(p, bytesArg(d!), 31, "reset"),
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
    return deflateInit(s, level, windowBitsArg(w!), memLevelArg(ml!), strategyArg(st!));
  },
  "deflate/2": (_p, z, d) => deflate(stateArg(z!), d!, atom("none")),
  "deflate/3": (_p, z, d, f) => deflate(stateArg(z!), d!, f!),
  "deflateParams/3": (_p, z, l, st) => deflateParams(stateArg(z!), l!, st!),
  "deflateSetDictionary/2": (_p, z, d) => setDictionary(stateArg(z!), "deflate", d!),
  "deflateEnd/1": (_p, z) => end(stateArg(z!), "deflate"),
  "deflateReset/1": (_p, z) => {
    const s = stateArg(z!);
    if (s.mode !== "deflate") return fail("not_initialized");
    s.stream?.close();
    s.stream = zcall(() => deflateStream(s.deflate!));
    s.finished = false;
    s.stash = null;
    return A.ok;
  },
  "inflateInit/1": (_p, z) => inflateInit(stateArg(z!), 15, "cut"),
  "inflateInit/2": (_p, z, w) => {
    const s = stateArg(z!);
    return inflateInit(s, windowBitsArg(w!), "cut");
  },
  "inflateInit/3": (_p, z, w, e) => {
    const s = stateArg(z!);
    const bits = windowBitsArg(w!);
    return inflateInit(s, bits, eosArg(e!));
  },
  "inflate/2": (_p, z, d) => inflate(stateArg(z!), d!, NIL),
  "inflate/3": (_p, z, d, o) => inflate(stateArg(z!), d!, o!),
  "inflateSetDictionary/2": (_p, z, d) => setDictionary(stateArg(z!), "inflate", d!),
  "inflateEnd/1": (_p, z) => end(stateArg(z!), "inflate"),
  "inflateReset/1": (_p, z) => {
    const s = stateArg(z!);
    if (s.mode !== "inflate") return fail("not_initialized");
    s.stream?.close();
    s.stream = zcall(() => inflateStream(s.inflateBits));
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
