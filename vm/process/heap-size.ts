/**
 * The VM's estimate of a process's heap, in BEAM words (8 bytes), defined
 * once here for `max_heap_size`, `process_info(P, heap_size | memory)` and
 * the engine's per-workflow memory limit.
 *
 * Terms are JS objects shared between processes, so there is no real heap to
 * measure; instead the live data a process holds (its stack, its live X
 * registers, its dictionary and its mailbox, as in BEAM where on-heap
 * messages count) is walked and each term is charged what it occupies on
 * 64-bit BEAM: a cons 2 words, a tuple 1 + arity, a float 2, a bignum 1 + its
 * 64-bit digits, a map 3 + 2 per pair, a fun 4 + its free variables, a
 * reference 4; immediates (small integers, atoms, local pids, []) live in the
 * word that holds them. Binaries are charged a 2-word header plus their bytes
 * even when large: BEAM keeps large binaries off the heap, but they are the
 * easiest way to exhaust the host's memory, so the limit must see them.
 * A tuple, map, fun, binary or whole list reachable twice (sharing) is
 * counted once, as BEAM's heap shares it; a list tail shared by two lists is
 * counted twice (remembering every cell would cost more than the walk).
 *
 * The walk stops as soon as the count passes `cap`, so checking a limit costs
 * at most the limit, and the VM only checks at schedule-out points, spaced
 * by the reductions run since the previous check (see VM.checkHeap).
 */

import { Atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { Cons, ExportFun, Float, Fun, MapStorage, NIL, type Term } from "../../terms/term.ts";
import type { Process } from "./process.ts";

/** BEAM's smallest heap (words); `min_heap_size` defaults to it. */
export const MIN_HEAP_WORDS = 233;

/** Bytes of a process beyond its heap (the process structure and its tables), for `memory`. */
export const PROCESS_OVERHEAD_BYTES = 2_688;

/** Largest integer BEAM keeps immediate on 64-bit (60-bit signed). */
const SMALL_MAX = 2 ** 59 - 1;

/** Words a term's own cell takes beyond the word referring to it, and its children. */
function cellWords(t: object): number {
  if (t instanceof Cons) return 2;
  if (Array.isArray(t)) return 1 + t.length;
  if (t instanceof Float) return 2;
  if (t instanceof BitString) return 2 + Math.ceil(t.byteSize / 8);
  if (t instanceof MapStorage) return 3 + 2 * t.size;
  if (t instanceof Fun) return 4 + t.env.length;
  if (t instanceof ExportFun || t instanceof Atom) return 0;
  return 4; // references, ports, remote pids
}

/** Words of an integer outside its containing word: 0 when small, a bignum's size otherwise. */
function scalarWords(n: number | bigint): number {
  if (typeof n === "number") return n > SMALL_MAX || n < -SMALL_MAX ? 2 : 0;
  return 1 + Math.ceil(n.toString(16).length / 16);
}

/**
 * Estimated words of the terms in `roots`, stopping once past `cap` (the
 * result is then some number above `cap`). Iterative: no depth limit.
 */
export function termWords(roots: readonly Term[], cap = Number.POSITIVE_INFINITY): number {
  let words = 0;
  const seen = new Set<object>();
  const todo: Term[] = [...roots];
  while (todo.length > 0) {
    const t = todo.pop()!;
    if (typeof t !== "object") {
      words += scalarWords(t);
      continue;
    }
    if (t === NIL || t instanceof Atom || seen.has(t)) continue;
    seen.add(t);
    words += cellWords(t);
    if (words > cap) return words;
    if (t instanceof Cons) {
      // Walk a list's spine in place. Only a list's first cell is remembered:
      // a Set entry per cell would cost more than the walk, so a tail shared
      // by two lists is counted twice (the estimate errs high, never low).
      let c: Term = t.tail;
      const head = t.head;
      if (typeof head === "object" && head !== NIL) todo.push(head);
      else if (typeof head !== "object") words += scalarWords(head);
      while (c instanceof Cons) {
        words += 2;
        if (words > cap) return words;
        const h = c.head;
        if (typeof h === "object" && h !== NIL) todo.push(h);
        else if (typeof h !== "object") words += scalarWords(h);
        c = c.tail;
      }
      if (c !== NIL) todo.push(c);
    } else if (Array.isArray(t)) {
      for (const e of t) todo.push(e);
    } else if (t instanceof MapStorage) {
      for (const k of t.keys) todo.push(k);
      for (const v of t.values) todo.push(v);
    } else if (t instanceof Fun) {
      for (const e of t.env) todo.push(e);
    }
  }
  return words;
}

/** The terms a process holds: stack, live X registers, dictionary, mailbox. */
function rootsOf(p: Process): Term[] {
  const roots: Term[] = [...p.stack, ...p.savedX];
  for (const [k, v] of p.dict.entries()) roots.push(k, v);
  for (const m of p.mailbox.toArray()) roots.push(m);
  return roots;
}

/**
 * A process's heap size in words as `process_info(P, total_heap_size)`
 * reports it: the estimate of what it holds, never below its `min_heap_size`.
 * Stops counting once past `cap`.
 */
export function processHeapWords(p: Process, cap = Number.POSITIVE_INFINITY): number {
  return Math.max(p.minHeapSize, termWords(rootsOf(p), cap) + p.stack.length);
}

/**
 * BEAM's heap size classes: 233, 376, 610, 987, ... (each the sum of the two
 * before plus one). `min_heap_size` is rounded up to one of them.
 */
export function heapSizeClass(words: number): number {
  let a = MIN_HEAP_WORDS;
  let b = 376;
  if (words <= a) return a;
  while (b < words) [a, b] = [b, a + b + 1];
  return b;
}
