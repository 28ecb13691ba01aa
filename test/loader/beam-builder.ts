/**
 * Test helper: builds .beam bytes by hand, for forms OTP 25 does not write
 * (OTP 28 atom and literal tables) and for malformed input.
 */
import { deflateSync } from "node:zlib";
import { encodeExternalTerm, type Term } from "../../terms/index.ts";

export const TAG = { u: 0, i: 1, a: 2, x: 3, y: 4, f: 5, h: 6, z: 7 } as const;

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

export function u16(n: number): number[] {
  return [(n >>> 8) & 255, n & 255];
}

/** Big-endian two's-complement bytes of `v`, minimal but sign-preserving. */
function signedBytes(v: bigint): number[] {
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.unshift(Number(x & 255n));
    x >>= 8n;
    const top = out[0]! & 0x80;
    if ((x === 0n && !top) || (x === -1n && top)) break;
  }
  return out;
}

/** Compact encoding of one tag and value (see loader/compact.ts). */
export function compact(tag: number, value: number | bigint): number[] {
  const v = BigInt(value);
  if (v >= 0n && v < 16n) return [(Number(v) << 4) | tag];
  if (v >= 0n && v < 2048n) return [((Number(v) >> 3) & 0xe0) | tag | 0x08, Number(v) & 0xff];
  let bytes = signedBytes(v);
  if (bytes.length < 2) bytes = [v < 0n ? 0xff : 0, ...bytes];
  if (bytes.length <= 8) return [((bytes.length - 2) << 5) | 0x18 | tag, ...bytes];
  return [0xf8 | tag, ...compact(TAG.u, bytes.length - 9), ...bytes];
}

/** An extended-tag header byte. */
export function ext(n: number): number[] {
  return [(n << 4) | TAG.z];
}

/** A chunk: id, size, data, padding. */
export function chunk(id: string, data: Uint8Array | number[]): Uint8Array {
  const pad = (4 - (data.length % 4)) % 4;
  return concat(new TextEncoder().encode(id), u32(data.length), data, new Array(pad).fill(0));
}

/** The IFF form around chunks. */
export function form(chunks: Uint8Array[]): Uint8Array {
  const body = concat(...chunks);
  return concat(
    new TextEncoder().encode("FOR1"),
    u32(body.length + 4),
    new TextEncoder().encode("BEAM"),
    body,
  );
}

/** AtU8 in the OTP <= 27 form (length bytes). */
export function atomChunk(names: string[]): Uint8Array {
  const enc = new TextEncoder();
  return chunk(
    "AtU8",
    concat(u32(names.length), ...names.map((n) => concat([enc.encode(n).length], enc.encode(n)))),
  );
}

/** AtU8 in the OTP 28 form: negative count, compact `u` lengths. */
export function longAtomChunk(names: string[]): Uint8Array {
  const enc = new TextEncoder();
  return chunk(
    "AtU8",
    concat(
      u32(-names.length >>> 0),
      ...names.map((n) => concat(compact(TAG.u, enc.encode(n).length), enc.encode(n))),
    ),
  );
}

/** The literal table body: count, then size-prefixed external terms. */
function literalTable(terms: Term[]): Uint8Array {
  return concat(
    u32(terms.length),
    ...terms.map((t) => {
      const b = encodeExternalTerm(t);
      return concat(u32(b.length), b);
    }),
  );
}

/** LitT as OTP <= 27 writes it (zlib). */
export function compressedLitT(terms: Term[]): Uint8Array {
  const table = literalTable(terms);
  return chunk("LitT", concat(u32(table.length), deflateSync(table)));
}

/** LitT as OTP 28 writes it: a zero word, then the table uncompressed. */
export function uncompressedLitT(terms: Term[]): Uint8Array {
  return chunk("LitT", concat(u32(0), literalTable(terms)));
}

/** A Code chunk around instruction bytes (which must end with int_code_end). */
export function codeChunk(
  body: number[],
  labelCount: number,
  functionCount: number,
  maxOpcode = 180,
): Uint8Array {
  return chunk(
    "Code",
    concat(u32(16), u32(0), u32(maxOpcode), u32(labelCount), u32(functionCount), body),
  );
}

/** An instruction: opcode byte then encoded operands. */
export function ins(op: number, ...operands: number[][]): number[] {
  return [op, ...operands.flat()];
}

export interface ModuleParts {
  atoms?: Uint8Array;
  /** Instructions of the body of `m:f/0` (after its entry label), before `return`. */
  body?: number[][];
  litT?: Uint8Array;
  extra?: Uint8Array[];
  imports?: [number, number, number][];
}

/**
 * A module `m` with one exported function `f/0`: atoms m, f, a, b; labels
 * 1 (func_info) and 2 (entry); `body` runs before `return`.
 */
export function moduleBytes(p: ModuleParts = {}): Uint8Array {
  const code = [
    ...ins(1, compact(TAG.u, 1)),
    ...ins(2, compact(TAG.a, 1), compact(TAG.a, 2), compact(TAG.u, 0)),
    ...ins(1, compact(TAG.u, 2)),
    ...(p.body ?? []).flat(),
    ...ins(19),
    ...ins(3),
  ];
  const imports = p.imports ?? [];
  return form([
    p.atoms ?? atomChunk(["m", "f", "a", "b"]),
    codeChunk(code, 3, 1),
    chunk("StrT", []),
    chunk(
      "ImpT",
      concat(u32(imports.length), ...imports.map(([m, f, a]) => concat(u32(m), u32(f), u32(a)))),
    ),
    chunk("ExpT", concat(u32(1), u32(2), u32(0), u32(2))),
    ...(p.litT ? [p.litT] : []),
    ...(p.extra ?? []),
  ]);
}
