/**
 * The .beam container: the `FOR1`/`BEAM` IFF form and its chunks, built from
 * the assembler's tables. Chunks are laid out in the order beam_asm writes
 * them: AtU8 Code StrT ImpT ExpT [FunT] [LitT] LocT Attr CInf [Line] Type.
 *
 * Two forms: OTP 25-27's (non-negative AtU8 count with byte lengths, zlib
 * LitT) and, on request, OTP 28's (negative AtU8 count with compact `u`
 * lengths, LitT as a zero word followed by the uncompressed table).
 */
import { deflateSync } from "node:zlib";
import { compact, TAG } from "./compact.ts";

const enc = new TextEncoder();

/** Bytes builder: appends big-endian words and byte runs. */
export class Bytes {
  private parts: number[] = [];
  private chunks: Uint8Array[] = [];

  private flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Uint8Array.from(this.parts));
    this.parts = [];
  }

  u32(n: number): this {
    this.parts.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    return this;
  }

  u16(n: number): this {
    this.parts.push((n >>> 8) & 255, n & 255);
    return this;
  }

  bytes(b: Uint8Array | readonly number[]): this {
    if (b instanceof Uint8Array) {
      this.flush();
      this.chunks.push(b);
    } else for (const x of b) this.parts.push(x);
    return this;
  }

  done(): Uint8Array {
    this.flush();
    const n = this.chunks.reduce((s, c) => s + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** A chunk: id, data. `data` is the content without header or padding. */
export interface Chunk {
  readonly id: string;
  readonly data: Uint8Array;
}

/** The IFF form around `chunks`, each padded to 4 bytes. */
export function form(chunks: readonly Chunk[]): Uint8Array {
  const body = new Bytes();
  for (const c of chunks) {
    body.bytes(enc.encode(c.id)).u32(c.data.length).bytes(c.data);
    body.bytes(new Array((4 - (c.data.length % 4)) % 4).fill(0));
  }
  const b = body.done();
  return new Bytes()
    .bytes(enc.encode("FOR1"))
    .u32(b.length + 4)
    .bytes(enc.encode("BEAM"))
    .bytes(b)
    .done();
}

/** AtU8: in the OTP 28 form when `long`. */
export function atomChunk(names: readonly string[], long: boolean): Chunk {
  const b = new Bytes().u32(long ? -names.length >>> 0 : names.length);
  for (const n of names) {
    const text = enc.encode(n);
    b.bytes(long ? compact(TAG.u, text.length) : [text.length]).bytes(text);
  }
  return { id: "AtU8", data: b.done() };
}

/** A table of 32-bit triples with its count (ImpT, ExpT, LocT). */
export function tripleChunk(id: string, rows: readonly (readonly number[])[]): Chunk {
  const b = new Bytes().u32(rows.length);
  for (const r of rows) for (const x of r) b.u32(x);
  return { id, data: b.done() };
}

/** LitT: a count and size-prefixed external terms; zlib (OTP <= 27) or raw after a 0 word (OTP 28). */
export function literalChunk(literals: readonly Uint8Array[], compressed: boolean): Chunk {
  const t = new Bytes().u32(literals.length);
  for (const l of literals) t.u32(l.length).bytes(l);
  const table = t.done();
  const data = compressed
    ? new Bytes()
        .u32(table.length)
        .bytes(new Uint8Array(deflateSync(table)))
        .done()
    : new Bytes().u32(0).bytes(table).done();
  return { id: "LitT", data };
}

/**
 * Line: version 0, flags, line-instruction count, item count, file count
 * (without the implicit file 0), the items (an `a`-tagged file index when it
 * changes, then the `i`-tagged line), then the file names.
 */
export function lineChunk(
  lineInstructions: number,
  items: readonly (readonly [number, number])[],
  files: readonly string[],
): Chunk {
  const b = new Bytes()
    .u32(0)
    .u32(0)
    .u32(lineInstructions)
    .u32(items.length)
    .u32(files.length - 1);
  let current = 0;
  for (const [f, l] of items) {
    if (f !== current) b.bytes(compact(TAG.a, f));
    current = f;
    b.bytes(compact(TAG.i, l));
  }
  for (const name of files.slice(1)) {
    const text = enc.encode(name);
    b.u16(text.length).bytes(text);
  }
  return { id: "Line", data: b.done() };
}

/** Type, version 1 (OTP 25): count, then 18-byte entries. */
export function typeChunk(entries: readonly Uint8Array[]): Chunk {
  const b = new Bytes().u32(1).u32(entries.length);
  for (const e of entries) b.bytes(e);
  return { id: "Type", data: b.done() };
}
