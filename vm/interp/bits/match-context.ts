/**
 * The binary match context (BEAM's match state): the bitstring being matched
 * and a cursor into it. Matching instructions keep it in an X or Y register
 * and advance `pos`; the compiler guarantees it never escapes into a term a
 * program can see, except as the argument of `byte_size/1` and `bit_size/1`
 * (OTP 26+), which measure what is left to match.
 *
 * Positions are absolute bit offsets into `buf`, so reading never adds the
 * source's offset; `bs_get_position` hands out such an offset and
 * `bs_set_position` takes one back.
 */
import { BitString } from "../../../terms/binary.ts";
import type { Term } from "../../../terms/term.ts";

/** The getter on a base class, which keeps contexts 16 bytes smaller (see terms/binary.ts). */
abstract class MatchContextGetters {
  abstract pos: number;
  abstract readonly end: number;

  /** Bits left to match. */
  get remaining(): number {
    return this.end - this.pos;
  }
}

export class MatchContext extends MatchContextGetters {
  /** `src.buf`, hoisted for the readers. */
  readonly buf: Uint8Array;
  /** Current absolute bit position in `buf`. */
  pos: number;
  /** Absolute bit position one past the last bit. */
  readonly end: number;

  constructor(
    /** The bitstring being matched. */
    readonly src: BitString,
  ) {
    super();
    this.buf = src.buf;
    this.pos = src.offset;
    this.end = src.offset + src.size;
  }

  /** The unmatched rest as a bitstring sharing storage. */
  tail(): BitString {
    if (this.pos === this.src.offset) return this.src;
    return new BitString(this.buf, this.pos, this.end - this.pos);
  }

  /** Bits from absolute position `from` to the end (`bs_context_to_binary`). */
  from(from: number): BitString {
    if (from === this.src.offset) return this.src;
    return new BitString(this.buf, from, this.end - from);
  }
}

/**
 * Positions stored by the pre-OTP 22 `bs_save2` (slot 0 is the `start`
 * slot, slot N+1 is the compiler's slot N), per context. Kept off the
 * context, which current compilers never need them on: four fields make a
 * 48-byte object, five a 64-byte one.
 */
const savedPositions = new WeakMap<MatchContext, number[]>();

/** The context's saved positions (pre-OTP 22 code), if it has any. */
export function savedOf(m: MatchContext): number[] | undefined {
  return savedPositions.get(m);
}

/** Sets the context's saved positions. */
export function setSaved(m: MatchContext, positions: number[]): void {
  savedPositions.set(m, positions);
}

/** A match context as it sits in a register (registers hold terms). */
export function ctxTerm(m: MatchContext): Term {
  // Registers are typed `Term`; a context lives there only between matching
  // instructions, which read it back with `asCtx`.
  return m as unknown as Term;
}

/** The match context in a register the compiler says holds one. */
export function asCtx(t: Term): MatchContext {
  return t as unknown as MatchContext;
}

export function isMatchContext(t: unknown): t is MatchContext {
  return t instanceof MatchContext;
}

/** `bit_size/1` of a match context: the bits not yet matched. */
export function matchContextBitSize(m: MatchContext): number {
  return m.remaining;
}

/** `byte_size/1` of a match context: the unmatched bits, rounded up to bytes. */
export function matchContextByteSize(m: MatchContext): number {
  return (m.remaining + 7) >>> 3;
}
