/**
 * zlib compression for `term_to_binary(T, [compressed])`.
 *
 * Compressed bytes depend on the zlib implementation, not just the format:
 * Bun's bundled zlib picks different matches than the reference zlib that
 * ERTS links against, so its output is valid but not byte-identical to
 * OTP's. When the system's reference libz is loadable (it is wherever a
 * stock Erlang runs) we call its `compress2` through bun:ffi, which gives
 * exactly OTP's bytes; otherwise we fall back to node:zlib.
 */
import { deflateSync } from "node:zlib";

type Compress = (src: Uint8Array, level: number) => Uint8Array;

let systemCompress: Compress | null | undefined;

function loadSystemZlib(): Compress | null {
  const names =
    process.platform === "darwin" ? ["libz.1.dylib", "libz.dylib"] : ["libz.so.1", "libz.so"];
  try {
    // Loaded lazily so that environments without FFI never touch bun:ffi.
    const ffi = require("bun:ffi") as typeof import("bun:ffi");
    const { FFIType } = ffi;
    for (const name of names) {
      try {
        const lib = ffi.dlopen(name, {
          compress2: {
            args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.i32],
            returns: FFIType.i32,
          },
          compressBound: { args: [FFIType.u64], returns: FFIType.u64 },
        });
        return (src, level) => {
          const bound = Number(lib.symbols.compressBound(src.length));
          const out = new Uint8Array(bound);
          const len = new BigUint64Array([BigInt(bound)]);
          // A zero-length source still needs a valid pointer.
          const input = src.length > 0 ? src : new Uint8Array(1);
          const rc = lib.symbols.compress2(
            ffi.ptr(out),
            ffi.ptr(len),
            ffi.ptr(input),
            src.length,
            level,
          );
          if (rc !== 0) throw new Error(`zlib compress2 failed: ${rc}`);
          return out.subarray(0, Number(len[0]));
        };
      } catch {
        // try the next name
      }
    }
  } catch {
    // no FFI in this runtime
  }
  return null;
}

/** zlib-wrapped deflate of `src` at `level` (0..9), as ERTS' `compress2`-style call produces. */
export function zlibCompress(src: Uint8Array, level: number): Uint8Array {
  if (systemCompress === undefined) systemCompress = loadSystemZlib();
  if (systemCompress !== null) {
    try {
      return systemCompress(src, level);
    } catch {
      systemCompress = null;
    }
  }
  return deflateSync(src, { level });
}

/** Whether compressed output comes from the reference zlib (byte-identical to OTP). */
export function usingSystemZlib(): boolean {
  if (systemCompress === undefined) systemCompress = loadSystemZlib();
  return systemCompress !== null;
}
