/**
 * Compares a history recovered after a crash with the history of an
 * uninterrupted run, under the engine's real guarantee for activities:
 * at-least-once. A SIGKILL that lands while an activity attempt runs loses
 * that attempt's outcome, so recovery runs it again: the recovered history
 * may hold one extra `ActivityStarted` (and, if that lost attempt had failed,
 * its `ActivityFailed`) for an activity that was in flight at the kill, and
 * every later attempt number of that activity is shifted by the number of
 * re-runs. Everything else (kinds, payloads, order, results) must be equal.
 */

type Shaped = Record<string, unknown>;

/** What `compareModuloReruns` found: equal apart from re-runs, or the first difference. */
export interface RerunComparison {
  /** Extra attempts per activity id (only activities that were re-run). */
  readonly reruns: Record<string, number>;
  /** Null when the histories agree modulo re-runs; otherwise where they part. */
  readonly mismatch: string | null;
}

/**
 * Walks both shaped histories (`shape()` strings) side by side. An event of
 * the recovered history that the baseline lacks is accepted only when it is
 * an `ActivityStarted` or `ActivityFailed` of an activity that is in flight
 * (started, not yet completed/failed for good/cancelled) at that point.
 */
export function compareModuloReruns(
  baseline: readonly string[],
  recovered: readonly string[],
): RerunComparison {
  const reruns: Record<string, number> = {};
  const inFlight = new Set<string>();
  const lastAttempt = new Map<string, number>();
  let i = 0;
  let j = 0;
  const parse = (s: string) => JSON.parse(s) as Shaped;
  while (i < baseline.length || j < recovered.length) {
    const b = i < baseline.length ? parse(baseline[i]!) : undefined;
    const r = j < recovered.length ? parse(recovered[j]!) : undefined;
    if (b && r && sameModuloShift(b, r, reruns)) {
      track(r, inFlight, lastAttempt);
      i++;
      j++;
      continue;
    }
    if (r && isRerunEvent(r, inFlight, lastAttempt)) {
      const id = r.activityId as string;
      if (r.kind === "ActivityStarted") reruns[id] = (reruns[id] ?? 0) + 1;
      track(r, inFlight, lastAttempt);
      j++;
      continue;
    }
    return {
      reruns,
      mismatch: `at baseline #${i + 1} / recovered #${j + 1}: expected ${b ? JSON.stringify(b) : "end of history"}, got ${r ? JSON.stringify(r) : "end of history"}`,
    };
  }
  return { reruns, mismatch: null };
}

/** Equal, except that an attempt number may be shifted by that activity's re-runs so far. */
function sameModuloShift(b: Shaped, r: Shaped, reruns: Record<string, number>): boolean {
  if (b.kind === "ActivityStarted" && r.kind === "ActivityStarted") {
    const shift = reruns[b.activityId as string] ?? 0;
    return (
      b.activityId === r.activityId &&
      (r.attempt as number) === (b.attempt as number) + shift &&
      JSON.stringify({ ...b, attempt: 0 }) === JSON.stringify({ ...r, attempt: 0 })
    );
  }
  return JSON.stringify(b) === JSON.stringify(r);
}

/** A re-run start numbers the next attempt; a re-run failure belongs to the attempt in flight. */
function isRerunEvent(r: Shaped, inFlight: Set<string>, lastAttempt: Map<string, number>): boolean {
  const id = r.activityId as string;
  if (!inFlight.has(id)) return false;
  if (r.kind === "ActivityFailed") return true;
  return r.kind === "ActivityStarted" && r.attempt === (lastAttempt.get(id) ?? 0) + 1;
}

function track(e: Shaped, inFlight: Set<string>, lastAttempt: Map<string, number>): void {
  const id = e.activityId as string;
  if (e.kind === "ActivityStarted") {
    inFlight.add(id);
    lastAttempt.set(id, e.attempt as number);
  } else if (e.kind === "ActivityCompleted" || e.kind === "ActivityCancelled") inFlight.delete(id);
  // An ActivityFailed may be followed by a retry: the activity stays in flight
  // until its next start or its workflow's reaction, so do not close it here.
}
