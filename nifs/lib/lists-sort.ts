/**
 * The order OTP's `lists:sort/1` and `lists:keysort/2` leave elements in when
 * they compare equal but differ (1 and 1.0, {1,a} and {1.0,a}).
 *
 * OTP's sort/1 is a natural merge sort that is not stable. It first cuts the
 * input into runs, and the direction of every run is fixed by the first two
 * elements that differ: when they ascend, each run is grown upward (a new
 * element goes after the top, or between the top two, or below the bottom
 * while the run has only two elements); when they descend, downward the same
 * way, and there an element equal to the bottom goes below it, so equal
 * elements of a descending run come out reversed. Leading equal elements
 * seed the first run in input order. Then all runs are merged; elements that
 * still compare equal keep the order of their runs: the earliest run first
 * when runs ascend, the latest first when they descend. Only the cutting is
 * reproduced step by step here; the merge is a plain stable merge of the
 * runs in that priority order, which gives the same result (and OTP's own
 * merges are built to be stable: lists:merge/1 is documented so).
 *
 * keysort/2 is stable (its descending runs use strict comparisons) except
 * for one case: when the list starts with two or more whole tuples that are
 * `==` and the next different tuple has a smaller key, that leading group
 * seeds a descending run and comes out reversed.
 *
 * Checked against erl on a generated corpus: fixtures/conformance/sem_sort_order.erl.
 */

import type { Term } from "../../terms/term.ts";

type Cmp = (a: Term, b: Term) => number;

/** Merges two ascending runs; on a tie `a`'s element comes first. */
function mergeTwo(a: Term[], b: Term[], cmp: Cmp): Term[] {
  const out = new Array<Term>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    if (cmp(a[i]!, b[j]!) <= 0) out[k++] = a[i++]!;
    else out[k++] = b[j++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * Stable merge of ascending runs given in priority order (earlier wins ties).
 * Few long runs merge pairwise (n log r comparisons); many short ones go
 * through a stable sort of their concatenation, which is the same merge and
 * costs the engine's sort fewer comparisons than log r rounds would.
 */
function mergeRuns(runs: Term[][], n: number, cmp: Cmp): Term[] {
  if (runs.length * runs.length > n) {
    const all: Term[] = [];
    for (const r of runs) for (const x of r) all.push(x);
    return all.sort(cmp);
  }
  let level = runs;
  while (level.length > 1) {
    const next: Term[][] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(mergeTwo(level[i]!, level[i + 1]!, cmp));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/**
 * One run under construction: `hi` is its top, `lo` the element under it,
 * and `below` the ones already placed under `lo`, in input order.
 */
interface Run {
  lo: Term;
  hi: Term;
  below: Term[];
}

/** The finished run, in ascending order (a descending run's `below` ends up last, reversed). */
function closeRun(r: Run, up: boolean): Term[] {
  const xs = r.below;
  if (up) {
    xs.push(r.lo, r.hi);
    return xs;
  }
  const out = [r.hi, r.lo];
  for (let k = xs.length - 1; k >= 0; k--) out.push(xs[k]!);
  return out;
}

/**
 * Cuts `xs[from..]` into runs, given the first run's two top elements and
 * what sits below them. `up` is the direction of every run; in a descending
 * run "lo" is the larger element and "hi" the smaller, and "on top" means
 * further in that direction.
 */
function cutRuns(xs: readonly Term[], from: number, first: Run, up: boolean, cmp: Cmp): Term[][] {
  // Ascending: Z goes on top of Y when Z >= Y. Descending: when Z =< Y.
  const onTop = up ? (z: Term, y: Term) => cmp(z, y) >= 0 : (z: Term, y: Term) => cmp(z, y) <= 0;
  const runs: Term[][] = [];
  let r = first;
  let pending: Term | undefined; // an element below the run's bottom, waiting for a partner
  for (let i = from; i < xs.length; i++) {
    const z = xs[i]!;
    if (onTop(z, r.hi)) {
      r.below.push(r.lo);
      r.lo = r.hi;
      r.hi = z;
    } else if (onTop(z, r.lo)) {
      r.below.push(r.lo);
      r.lo = z;
    } else if (pending === undefined && r.below.length === 0) {
      r.below.push(z);
    } else if (pending === undefined) {
      pending = z;
    } else {
      // A second element below the run: it and the pending one start the next run.
      runs.push(closeRun(r, up));
      const s = pending;
      pending = undefined;
      // Ascending: the pair goes up (S, Z) when S =< Z; descending: (S, Z) when S > Z.
      const keep = up ? cmp(s, z) <= 0 : cmp(s, z) > 0;
      r = keep ? { lo: s, hi: z, below: [] } : { lo: z, hi: s, below: [] };
    }
  }
  runs.push(closeRun(r, up));
  if (pending !== undefined) runs.push([pending]);
  return runs;
}

/** Whether every element is a small integer (then equal means identical). */
function allSmallInts(xs: readonly Term[]): boolean {
  for (const x of xs) if (typeof x !== "number") return false;
  return true;
}

/** `lists:sort/1`'s result order; `xs` may be reordered in place. */
export function otpSort(xs: Term[], cmp: Cmp): Term[] {
  const n = xs.length;
  if (n < 2) return xs;
  // Small integers that compare equal are the same term: any sort gives OTP's result.
  if (allSmallInts(xs)) return xs.sort(cmp);
  const [x, y] = [xs[0]!, xs[1]!];
  const c = cmp(x, y);
  if (n === 3) {
    const z = xs[2]!;
    if (c <= 0) {
      if (cmp(y, z) <= 0) return xs;
      return cmp(x, z) <= 0 ? [x, z, y] : [z, x, y];
    }
    if (cmp(x, z) <= 0) return [y, x, z];
    return cmp(y, z) <= 0 ? [y, z, x] : [z, y, x];
  }
  if (n === 2) return c <= 0 ? xs : [y, x];
  let run: Run = { lo: x, hi: y, below: [] };
  let from = 2;
  let up = c < 0;
  if (c === 0) {
    // A leading group of equal elements sits below the first run, in input order.
    let i = 1;
    while (i + 1 < n && cmp(xs[i]!, xs[i + 1]!) === 0) i++;
    if (i + 1 === n) return xs;
    run = { lo: xs[i]!, hi: xs[i + 1]!, below: xs.slice(0, i) };
    from = i + 2;
    up = cmp(run.lo, run.hi) < 0;
  }
  const runs = cutRuns(xs, from, run, up, cmp);
  // Equal elements of different runs: earliest run first when ascending, latest when descending.
  if (!up) runs.reverse();
  return mergeRuns(runs, n, cmp);
}

/**
 * `lists:keysort/2`'s order: a stable sort by key, except that a leading
 * group of `==` tuples followed by a smaller key comes out reversed. `eq`
 * compares whole tuples, `keyCmp` their keys.
 */
export function otpKeySortPrefix(xs: Term[], eq: (a: Term, b: Term) => boolean, keyCmp: Cmp): void {
  const n = xs.length;
  if (n < 4 || !eq(xs[0]!, xs[1]!)) return;
  let i = 1;
  while (i + 1 < n && eq(xs[i]!, xs[i + 1]!)) i++;
  if (i + 1 < n && keyCmp(xs[i]!, xs[i + 1]!) > 0) {
    const head = xs.slice(0, i + 1).reverse();
    for (let k = 0; k <= i; k++) xs[k] = head[k]!;
  }
}
