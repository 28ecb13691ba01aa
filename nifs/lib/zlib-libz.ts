/**
 * Streams over the system's zlib (`libz.so.1`) through bun:ffi.
 *
 * OTP's `zlib` module is a NIF over the zlib the emulator links, which on
 * every stock install is the system libz. Bun bundles a Chromium-derived zlib
 * whose match finder picks other matches on longer input, so its compressed
 * bytes are valid but not OTP's. Driving the same library OTP drives, with the
 * same parameters, gives OTP's bytes (and its verdicts on corrupt input).
 *
 * {@link libzAvailable} says whether the library could be loaded; callers fall
 * back to node:zlib (nifs/lib/zlib-stream.ts) when it cannot (no FFI, no
 * libz): same data, other bytes.
 *
 * Memory: a `z_stream` lives in its own ArrayBuffer (whose storage never
 * moves), zlib allocates its state with its own malloc, and a stream that is
 * dropped without `close()` is ended by a FinalizationRegistry so the state
 * is not leaked.
 */

/** zlib's return codes that callers tell apart. */
export const Z = {
  OK: 0,
  STREAM_END: 1,
  NEED_DICT: 2,
  STREAM_ERROR: -2,
  DATA_ERROR: -3,
  MEM_ERROR: -4,
  BUF_ERROR: -5,
} as const;

/** zlib's flush modes. */
export const FLUSH = { none: 0, sync: 2, full: 3, finish: 4 } as const;

/** A failed zlib call: `errno` is zlib's return code (Z.DATA_ERROR...). */
export class ZlibFailure extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

const failure = (code: number, call: string): ZlibFailure =>
  new ZlibFailure(`zlib ${call} returned ${code}`, code);

// Offsets in `struct z_stream_s` on an LP64 platform (pointers and uLong are 8 bytes).
const NEXT_IN = 0;
const AVAIL_IN = 8;
const NEXT_OUT = 24;
const AVAIL_OUT = 32;
const ADLER = 96;
const Z_STREAM_SIZE = 112;

/**
 * Output space per zlib call, as OTP's NIF gives it (zlib.erl's
 * DEFLATE_OUT_CHUNKSIZE and INFLATE_OUT_CHUNKSIZE). It shows in the bytes:
 * level 0 (stored blocks) cuts a block wherever the output space ends.
 */
const OUT_CHUNK = { deflate: 8192, inflate: 16_384 } as const;
/** Input per deflate call (DEFLATE_IN_CHUNKSIZE). */
const IN_CHUNK = 8192;

interface LibzSymbols {
  zlibVersion(): unknown;
  deflateInit2_(
    s: number,
    level: number,
    method: number,
    bits: number,
    mem: number,
    strategy: number,
    version: unknown,
    size: number,
  ): number;
  inflateInit2_(s: number, bits: number, version: unknown, size: number): number;
  deflate(s: number, flush: number): number;
  inflate(s: number, flush: number): number;
  deflateEnd(s: number): number;
  inflateEnd(s: number): number;
  deflateReset(s: number): number;
  inflateReset(s: number): number;
  deflateParams(s: number, level: number, strategy: number): number;
  deflateSetDictionary(s: number, dict: number, len: number): number;
  inflateSetDictionary(s: number, dict: number, len: number): number;
}

interface Libz {
  readonly sym: LibzSymbols;
  readonly ptr: (a: Uint8Array) => number;
  /** zlib's version string pointer, passed back to the *Init2_ calls. */
  readonly version: unknown;
}

let loaded: Libz | null | undefined;

function load(): Libz | null {
  if (process.arch !== "x64" && process.arch !== "arm64") return null; // the offsets above are LP64
  const names =
    process.platform === "darwin" ? ["libz.1.dylib", "libz.dylib"] : ["libz.so.1", "libz.so"];
  try {
    // Required lazily, so a runtime without FFI never touches bun:ffi.
    const ffi = require("bun:ffi") as typeof import("bun:ffi");
    const { FFIType: T } = ffi;
    const p = T.ptr;
    const i = T.i32;
    for (const name of names) {
      try {
        const lib = ffi.dlopen(name, {
          zlibVersion: { args: [], returns: p },
          deflateInit2_: { args: [p, i, i, i, i, i, p, i], returns: i },
          inflateInit2_: { args: [p, i, p, i], returns: i },
          deflate: { args: [p, i], returns: i },
          inflate: { args: [p, i], returns: i },
          deflateEnd: { args: [p], returns: i },
          inflateEnd: { args: [p], returns: i },
          deflateReset: { args: [p], returns: i },
          inflateReset: { args: [p], returns: i },
          deflateParams: { args: [p, i, i], returns: i },
          deflateSetDictionary: { args: [p, p, T.u32], returns: i },
          inflateSetDictionary: { args: [p, p, T.u32], returns: i },
        });
        // The symbol table's types are bun:ffi's generic ones; the shapes are declared above.
        const sym = lib.symbols as unknown as LibzSymbols;
        return { sym, ptr: (a) => ffi.ptr(a), version: sym.zlibVersion() };
      } catch {
        // try the next name
      }
    }
  } catch {
    // no FFI in this runtime
  }
  return null;
}

function libz(): Libz | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Whether the system zlib is loaded (streams of this file can be made). */
export function libzAvailable(): boolean {
  return libz() !== null;
}

/** Ends a stream whose owner was collected without closing it. */
const orphans = new FinalizationRegistry<{ z: Libz; strm: Uint8Array; deflate: boolean }>((o) => {
  const s = o.z.ptr(o.strm);
  if (o.deflate) o.z.sym.deflateEnd(s);
  else o.z.sym.inflateEnd(s);
});

const EMPTY = new Uint8Array(1);

/** One zlib stream (deflate or inflate) with OTP's parameters; calls are synchronous. */
export class LibzStream {
  private readonly strm = new Uint8Array(new ArrayBuffer(Z_STREAM_SIZE));
  private readonly view = new DataView(this.strm.buffer);
  private open = true;
  /** Input an inflate stopped before, waiting for its dictionary. */
  private pending: Uint8Array | null = null;
  /** Whether an inflate stream has reached the end of its compressed data. */
  ended = false;

  private constructor(
    private readonly z: Libz,
    readonly kind: "deflate" | "inflate",
  ) {}

  /** A deflate stream; windowBits negative is raw deflate, 16 + bits is gzip. */
  static deflate(
    level: number,
    windowBits: number,
    memLevel: number,
    strategy: number,
  ): LibzStream {
    const z = libz();
    if (z === null) throw new Error("system zlib not loaded");
    const s = new LibzStream(z, "deflate");
    const rc = z.sym.deflateInit2_(
      s.at(),
      level,
      8,
      windowBits,
      memLevel,
      strategy,
      z.version,
      Z_STREAM_SIZE,
    );
    if (rc !== Z.OK) throw failure(rc, "deflateInit2");
    orphans.register(s, { z, strm: s.strm, deflate: true }, s);
    return s;
  }

  /** An inflate stream; negative bits is raw, 16 + bits gzip, 32 + bits either header. */
  static inflate(windowBits: number): LibzStream {
    const z = libz();
    if (z === null) throw new Error("system zlib not loaded");
    const s = new LibzStream(z, "inflate");
    const rc = z.sym.inflateInit2_(s.at(), windowBits, z.version, Z_STREAM_SIZE);
    if (rc !== Z.OK) throw failure(rc, "inflateInit2");
    orphans.register(s, { z, strm: s.strm, deflate: false }, s);
    return s;
  }

  private at(): number {
    return this.z.ptr(this.strm);
  }

  private setPtr(offset: number, p: number): void {
    this.view.setBigUint64(offset, BigInt(p), true);
  }

  /**
   * Feeds all of `input` with a flush mode and returns everything zlib
   * produced. An inflate stream stops at the end of its data (the rest of
   * the input is ignored, as OTP's default `cut` does) and sets `ended`;
   * with `resetAtEnd` it starts over on the rest instead (OTP's `reset`,
   * which `gunzip/1` uses for concatenated members).
   */
  write(fresh: Uint8Array, flush: number, resetAtEnd = false): Uint8Array {
    if (!this.open) throw failure(Z.STREAM_ERROR, this.kind);
    if (this.kind === "inflate") {
      if (this.ended) return new Uint8Array(0);
      // Input left over by a Z_NEED_DICT comes first, as OTP's input queue keeps it.
      const input = this.pending === null ? fresh : concat([this.pending, fresh]);
      this.pending = null;
      return concat(this.run(input, flush, resetAtEnd));
    }
    // OTP's NIF hands zlib at most DEFLATE_IN_CHUNKSIZE bytes at a time and the
    // caller's flush with the last of them only; stored blocks (level 0) show it.
    const outs: Uint8Array[] = [];
    for (let at = 0; ; at += IN_CHUNK) {
      const last = at + IN_CHUNK >= fresh.length;
      const slice = fresh.subarray(at, last ? fresh.length : at + IN_CHUNK);
      outs.push(...this.run(slice, last ? flush : FLUSH.none, false));
      if (last) break;
    }
    return concat(outs);
  }

  /** One zlib call after another on `input` until zlib has nothing more to give. */
  private run(input: Uint8Array, flush: number, resetAtEnd: boolean): Uint8Array[] {
    const outs: Uint8Array[] = [];
    this.setPtr(NEXT_IN, this.z.ptr(input.length > 0 ? input : EMPTY));
    this.view.setUint32(AVAIL_IN, input.length, true);
    const chunk = OUT_CHUNK[this.kind];
    for (;;) {
      const out = new Uint8Array(chunk);
      this.setPtr(NEXT_OUT, this.z.ptr(out));
      this.view.setUint32(AVAIL_OUT, chunk, true);
      const rc =
        this.kind === "deflate"
          ? this.z.sym.deflate(this.at(), flush)
          : this.z.sym.inflate(this.at(), flush);
      const availOut = this.view.getUint32(AVAIL_OUT, true);
      const produced = chunk - availOut;
      if (produced > 0) outs.push(out.subarray(0, produced));
      const availIn = this.view.getUint32(AVAIL_IN, true);
      if (rc === Z.STREAM_END && this.kind === "inflate") {
        if (resetAtEnd && availIn > 0) {
          this.z.sym.inflateReset(this.at());
          continue;
        }
        this.ended = true;
        break;
      }
      if (rc === Z.STREAM_END) break;
      // Z_BUF_ERROR only says no progress was possible: zlib wants more input.
      if (rc === Z.BUF_ERROR) break;
      if (rc === Z.NEED_DICT) this.pending = input.slice(input.length - availIn);
      if (rc !== Z.OK) throw failure(rc, this.kind);
      if (availOut !== 0 && (this.kind === "inflate" || availIn === 0)) break;
    }
    return outs;
  }

  /** The Adler-32 the stream last reported (the dictionary id after a Z_NEED_DICT). */
  adler(): number {
    return Number(this.view.getBigUint64(ADLER, true));
  }

  /** Starts the stream over with the same parameters. */
  reset(): void {
    const rc =
      this.kind === "deflate"
        ? this.z.sym.deflateReset(this.at())
        : this.z.sym.inflateReset(this.at());
    if (rc !== Z.OK) throw failure(rc, `${this.kind}Reset`);
    this.ended = false;
  }

  /** zlib's deflateParams (OTP flushes pending input with a sync flush first). */
  params(level: number, strategy: number): void {
    const rc = this.z.sym.deflateParams(this.at(), level, strategy);
    if (rc !== Z.OK) throw failure(rc, "deflateParams");
  }

  /** deflateSetDictionary / inflateSetDictionary. */
  setDictionary(dict: Uint8Array): void {
    const src = dict.length > 0 ? dict : EMPTY;
    const rc =
      this.kind === "deflate"
        ? this.z.sym.deflateSetDictionary(this.at(), this.z.ptr(src), dict.length)
        : this.z.sym.inflateSetDictionary(this.at(), this.z.ptr(src), dict.length);
    if (rc !== Z.OK) throw failure(rc, `${this.kind}SetDictionary`);
  }

  /** Frees zlib's state; the stream cannot be used afterwards. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    orphans.unregister(this);
    if (this.kind === "deflate") this.z.sym.deflateEnd(this.at());
    else this.z.sym.inflateEnd(this.at());
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
