/**
 * `max_heap_size`: a process that outgrows its limit is killed with reason
 * `killed` (unless `kill => false`) and, unless `error_logger => false`, the
 * logger prints the report OTP prints (fixtures/vm/max_heap_report.expected).
 *
 * The heap is an estimate (process/heap-size.ts). The VM checks it when the
 * process is switched out, spaced by reductions so a big heap is not walked
 * every slice, and natives that build a large term in one call check the
 * size they are about to allocate first ({@link reserveHeap}), so one call
 * cannot blow far past the limit before anything looks.
 */

import { A, atom, bool } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { mapFromPairs } from "../../terms/map.ts";
import type { Term } from "../../terms/term.ts";
import { erlangTimestamp } from "../crash.ts";
import { ProcessKilled } from "../signals.ts";
import { processHeapWords } from "./heap-size.ts";
import type { Process } from "./process.ts";

/** A process's `max_heap_size` setting; size 0 means no limit. */
export interface MaxHeapSize {
  readonly size: number;
  readonly kill: boolean;
  readonly errorLogger: boolean;
}

/** BEAM's default: no limit, kill and report when one is set. */
export const NO_MAX_HEAP: MaxHeapSize = { size: 0, kill: true, errorLogger: true };

/** The setting as `process_info(P, max_heap_size)` shows it (OTP 25 keys). */
export function maxHeapTerm(m: MaxHeapSize): Term {
  return mapFromPairs([
    [atom("error_logger"), bool(m.errorLogger)],
    [atom("kill"), bool(m.kill)],
    [atom("size"), m.size],
  ]);
}

/** The report OTP's logger prints when a process reaches its max heap size. */
export function maxHeapReport(p: Process, heapWords: number, wallMs: number): string {
  const m = p.maxHeap;
  const field = (name: string, value: string) => `     ${`${name}:`.padEnd(20)}${value}\n`;
  const gcIndent = " ".repeat(26);
  const gc = [`{heap_size,${heapWords}}`, `{stack_size,${p.stack.length}}`];
  return (
    `=ERROR REPORT==== ${erlangTimestamp(wallMs)} ===\n` +
    field("Process", `${formatW(p.pid)} `) +
    field("Context", "maximum heap size reached") +
    field("Max Heap Size", String(m.size)) +
    field("Total Heap Size", String(heapWords)) +
    field("Kill", String(m.kill)) +
    field("Error Logger", String(m.errorLogger)) +
    field("Message Queue Len", String(p.mailbox.length)) +
    field("GC Info", `[${gc.join(`,\n${gcIndent}`)}]`) +
    "\n"
  );
}

/**
 * Handles a process found at `heapWords` above its limit: reports it if asked
 * and says whether it must die (the caller kills it with reason `killed`).
 */
function overLimit(p: Process, heapWords: number): boolean {
  if (p.maxHeap.errorLogger) p.vm.logReport(maxHeapReport(p, heapWords, p.vm.clock.wallNow()));
  return p.maxHeap.kill;
}

/** Fewest reductions between two walks of one process's heap. */
const CHECK_SPACING = 8_000;

/**
 * The schedule-out check: whether `p` outgrew its limit and must be killed.
 * Walks the heap only once the process has run as many reductions since the
 * last walk as the words it then held (at least {@link CHECK_SPACING}), so
 * measuring costs a bounded fraction of the work the process does. Between
 * two walks a process can grow by what that many reductions allocate, so the
 * limit may be passed by that much before it is noticed.
 */
export function heapExceeded(p: Process): boolean {
  const limit = p.maxHeap.size;
  if (limit === 0 || p.reductions < p.heapCheckAt) return false;
  const words = processHeapWords(p, limit);
  p.heapCheckAt = p.reductions + Math.max(CHECK_SPACING, words);
  return words > limit && overLimit(p, words);
}

/**
 * Whether the schedule-out check ({@link heapExceeded}) would walk the heap
 * of `p` after `reductions` more: a process that must be looked at is
 * switched out, not kept running (vm.ts `extendSlice`).
 */
export function heapCheckDue(p: Process, reductions: number): boolean {
  return p.maxHeap.size !== 0 && p.reductions + reductions >= p.heapCheckAt;
}

/**
 * Called by a native before it builds a term of about `words` words in one
 * go: if that would take `p` past its limit, the process is handled as the
 * schedule-out check would (killed with `killed` when `kill` is set) before
 * anything is allocated. Cheap when the size is small against the limit.
 */
export function reserveHeap(p: Process, words: number): void {
  // The work is proportional to the size: charge reductions for it, as BEAM's
  // BIFs bump theirs, so the caller is switched out soon after a big call.
  p.reds -= words >>> 6;
  const limit = p.maxHeap.size;
  if (limit === 0 || words <= limit / 8) return;
  const total = words + processHeapWords(p, limit);
  if (total > limit && overLimit(p, total)) throw new ProcessKilled(A.killed);
}
