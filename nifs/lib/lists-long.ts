/**
 * `lists:seq` and `lists:duplicate` for long results, built a chunk at a time.
 * Between chunks the native returns a {@link Trap} to its own continuation
 * (`lists:'$seq_chunk'/4`, `lists:'$duplicate_chunk'/3`), so the scheduler
 * can run other processes while a million-element list is being built, and
 * the half-built list sits in the caller's registers where the heap check
 * (vm/process/max-heap.ts) sees it. Lists are built from their end, so each
 * chunk prepends to the part already built.
 */
import { atom } from "../../terms/atom.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { type NativeFn, type Process, Trap } from "../../vm/index.ts";

/** Elements built per slice: a few milliseconds of work. */
export const CHUNK = 32_768;

/** Reductions one chunk costs, so a long build yields every few chunks. */
const CHUNK_REDUCTIONS = CHUNK >>> 4;

const LISTS = atom("lists");
const SEQ_CHUNK = atom("$seq_chunk");
const DUPLICATE_CHUNK = atom("$duplicate_chunk");

/**
 * Prepends `from + i * step` for `i` from `next` down to 0, at most
 * {@link CHUNK} of them; traps with the rest.
 */
function seqChunk(p: Process, from: number, next: number, step: number, acc: Term): Term | Trap {
  const stop = Math.max(-1, next - CHUNK);
  let out = acc;
  for (let i = next; i > stop; i--) out = new Cons(from + i * step, out);
  if (stop < 0) return out;
  p.reds -= CHUNK_REDUCTIONS;
  return new Trap(LISTS, SEQ_CHUNK, [from, stop, step, out]);
}

/** `seq(From, ...)` of `n` small-integer elements (arguments already checked). */
export function longSeq(p: Process, from: number, step: number, n: number): Term | Trap {
  return seqChunk(p, from, n - 1, step, NIL);
}

function duplicateChunk(p: Process, n: number, x: Term, acc: Term): Term | Trap {
  const k = Math.min(n, CHUNK);
  let out = acc;
  for (let i = 0; i < k; i++) out = new Cons(x, out);
  if (k === n) return out;
  p.reds -= CHUNK_REDUCTIONS;
  return new Trap(LISTS, DUPLICATE_CHUNK, [n - k, x, out]);
}

/** `duplicate(N, X)` (N already checked). */
export function longDuplicate(p: Process, n: number, x: Term): Term | Trap {
  return duplicateChunk(p, n, x, NIL);
}

/** The continuations; internal, but callable like any export (as OTP's trap functions are). */
export const listsLongFns: Record<string, NativeFn> = {
  "$seq_chunk/4": (p, from, next, step, acc) =>
    seqChunk(p, from as number, next as number, step as number, acc!),
  "$duplicate_chunk/3": (p, n, x, acc) => duplicateChunk(p, n as number, x!, acc!),
};
