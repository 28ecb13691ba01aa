/**
 * LitT, the literal table, and the ETF-valued chunks (Attr, CInf).
 *
 * LitT starts with a 32-bit word: the size of the table once inflated, with
 * zlib-compressed data after it (OTP <= 27), or 0 meaning the table follows
 * uncompressed (OTP 28+). The table is a 32-bit count and, per literal, a
 * 32-bit size and that many bytes of external term format.
 *
 * Zip bombs: everything a module inflates — the LitT table and any
 * compressed external terms inside it, Attr or CInf — shares one budget of
 * 64 MiB (an {@link InflateBudget}). A declared size must fit the budget and
 * be reachable from the compressed size (deflate cannot expand more than
 * 1032:1), and inflation is bounded to the declared size, so a hostile module
 * never makes us allocate more than the budget, nor more than ~1000x its size.
 */
import { inflateSync } from "node:zlib";
import { decodeExternalTerm, type Term } from "../terms/index.ts";
import { ErrorSite, LoadError } from "./errors.ts";
import { Reader } from "./reader.ts";

/** Most bytes one module may inflate, all compressed data together. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** Deflate's best possible compression ratio, plus slack for headers. */
const MAX_DEFLATE_RATIO = 1032;

/** What is left of a module's inflation allowance. */
export class InflateBudget {
  left = MAX_INFLATED_BYTES;

  /** Reserves `declared` bytes of output from `compressedSize` input, or throws. */
  take(r: Reader, declared: number, compressedSize: number, what: string, at = r.pos): void {
    if (declared > this.left) {
      throw r.error(
        `${what} would inflate to ${declared} bytes, over the ${MAX_INFLATED_BYTES}-byte cap`,
        at,
      );
    }
    if (declared > compressedSize * MAX_DEFLATE_RATIO + 64) {
      throw r.error(`${what} claims ${declared} bytes from ${compressedSize} compressed`, at);
    }
    this.left -= declared;
  }
}

/** Errors inside inflated data: the chunk's start, plus the inflated offset in words. */
class InflatedSite extends ErrorSite {
  override error(pos: number, message: string): LoadError {
    return new LoadError(this.file, this.chunk, this.base, `${message} (inflated offset ${pos})`);
  }
}

/** Reads a LitT chunk's framing; the literals decode on demand (or `all()` at once). */
export function readLiterals(r: Reader, budget: InflateBudget): LiteralTable {
  const declared = r.u32("literal table size");
  let table: Reader;
  if (declared === 0) {
    table = new Reader(r.buf, r.pos, r.end, r.site);
  } else {
    const compressed = r.buf.subarray(r.pos, r.end);
    budget.take(r, declared, compressed.length, "literal table");
    let raw: Uint8Array;
    try {
      raw = inflateSync(compressed, { maxOutputLength: declared });
    } catch (e) {
      throw r.error(`bad compressed literal table: ${(e as Error).message}`);
    }
    if (raw.length !== declared) {
      throw r.error(`literal table inflates to ${raw.length} bytes, header says ${declared}`);
    }
    const s = r.site;
    table = new Reader(raw, 0, raw.length, new InflatedSite(s.file, s.chunk, s.base + r.start));
  }
  const count = table.u32("literal count");
  table.checkCount(count, 4, "literal");
  const starts = new Int32Array(count);
  const sizes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const size = table.u32("literal size");
    starts[i] = table.pos;
    sizes[i] = size;
    table.bytes(size, "literal");
  }
  return new LiteralTable(table, starts, sizes, budget);
}

/**
 * The literal table, each literal decoded on first use: a module's code
 * uses a fraction of its literals before it is done (OTP's compiler reaches
 * about half of the code it loads), and the framing (count, sizes, bounds)
 * is checked at load. A literal that fails to decode is the same LoadError
 * whenever that happens. Reads like an array (`length`, `at`).
 */
export class LiteralTable {
  private readonly terms: (Term | undefined)[];

  constructor(
    private readonly table: Reader,
    private readonly starts: Int32Array,
    private readonly sizes: Int32Array,
    private readonly budget: InflateBudget,
  ) {
    this.terms = new Array<Term | undefined>(starts.length).fill(undefined);
  }

  get length(): number {
    return this.starts.length;
  }

  /** Literal `i` (0 <= i < length). */
  at(i: number): Term {
    const t = this.terms[i];
    if (t !== undefined) return t;
    const start = this.starts[i]!;
    const bytes = this.table.buf.subarray(start, start + this.sizes[i]!);
    const term = decodeTerm(this.table, bytes, start, `literal ${i}`, this.budget);
    this.terms[i] = term;
    return term;
  }

  /** Every literal, decoded. */
  all(): Term[] {
    const out: Term[] = new Array(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    return out;
  }
}

/** Decodes a chunk that is one external term (Attr, CInf). */
export function readTermChunk(r: Reader, budget: InflateBudget): Term {
  const at = r.pos;
  return decodeTerm(r, r.bytes(r.remaining, "term"), at, "term", budget);
}

/** The ETF tag of a compressed term: 131, 80, a 32-bit inflated size, zlib data. */
const COMPRESSED = 80;

function decodeTerm(
  r: Reader,
  bytes: Uint8Array,
  at: number,
  what: string,
  budget: InflateBudget,
): Term {
  let maxInflatedSize = 0;
  if (bytes.length >= 6 && bytes[1] === COMPRESSED) {
    maxInflatedSize = new DataView(bytes.buffer, bytes.byteOffset).getUint32(2);
    budget.take(r, maxInflatedSize, bytes.length - 6, what, at);
  }
  try {
    return decodeExternalTerm(bytes, { maxInflatedSize });
  } catch (e) {
    // EtfError for bad input; anything else would be a decoder bug, which must
    // still not escape the loader as a non-LoadError.
    throw r.error(`${what}: ${(e as Error).message}`, at);
  }
}
