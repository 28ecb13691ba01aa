/**
 * The heap options of `spawn_opt/2,4` and `process_flag/2`: `max_heap_size`
 * (words, or `#{size, kill, error_logger}`) and `min_heap_size`, validated as
 * OTP 25 does (fixtures/conformance/proc_max_heap.erl): a size is a
 * non-negative integer, a non-zero max may not be below the min heap, a map
 * needs `size`, `kill` and `error_logger` are booleans, other keys are ignored.
 */

import { A, type Atom, atom } from "../../terms/atom.ts";
import { MapTerm } from "../../terms/map.ts";
import type { Term } from "../../terms/term.ts";
import {
  badarg,
  heapSizeClass,
  type MaxHeapSize,
  MIN_HEAP_WORDS,
  maxHeapTerm,
  type Process,
} from "../../vm/index.ts";

const SIZE = atom("size");
const KILL = atom("kill");
const ERROR_LOGGER = atom("error_logger");

function wordCount(t: Term | undefined): number {
  if (typeof t !== "number" || t < 0) return badarg();
  return t;
}

function flag(t: Term | undefined, dflt: boolean): boolean {
  if (t === undefined) return dflt;
  if (t !== A.true && t !== A.false) return badarg();
  return t === A.true;
}

/** A `max_heap_size` value; missing `kill`/`error_logger` keep those of `base`. */
export function parseMaxHeap(v: Term, base: MaxHeapSize): MaxHeapSize {
  if (v instanceof MapTerm) {
    const get = (k: Atom): Term | undefined => {
      const i = v.indexOf(k);
      return i >= 0 ? v.values[i] : undefined;
    };
    return {
      size: wordCount(get(SIZE)),
      kill: flag(get(KILL), base.kill),
      errorLogger: flag(get(ERROR_LOGGER), base.errorLogger),
    };
  }
  return { ...base, size: wordCount(v) };
}

/** A `min_heap_size` value, rounded up to a heap size class as BEAM does. */
export function parseMinHeap(v: Term): number {
  return heapSizeClass(Math.max(MIN_HEAP_WORDS, wordCount(v)));
}

/** `badarg` unless a non-zero max heap is at least the min heap. */
export function checkHeapBounds(max: MaxHeapSize, min: number): void {
  if (max.size !== 0 && max.size < min) badarg();
}

/** `process_flag(max_heap_size | min_heap_size, V)`: sets it, returns the old value. */
export function heapFlag(p: Process, name: Atom, v: Term): Term | undefined {
  if (name.name === "max_heap_size") {
    const old = p.maxHeap;
    const next = parseMaxHeap(v, old);
    checkHeapBounds(next, p.minHeapSize);
    p.maxHeap = next;
    p.heapCheckAt = 0;
    return maxHeapTerm(old);
  }
  if (name.name === "min_heap_size") {
    const old = p.minHeapSize;
    const next = parseMinHeap(v);
    checkHeapBounds(p.maxHeap, next);
    p.minHeapSize = next;
    return old;
  }
  return undefined;
}
