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

export class MatchContext {
  /**
   * Positions stored by the pre-OTP 22 `bs_save2` (slot 0 is the `start`
   * slot, slot N+1 is the compiler's slot N). Allocated on first use.
   */
  saved: number[] | null = null;
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
    this.buf = src.buf;
    this.pos = src.offset;
    this.end = src.offset + src.size;
  }

  /** Bits left to match. */
  get remaining(): number {
    return this.end - this.pos;
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
