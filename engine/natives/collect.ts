/**
 * `collect_all/2`, `collect_race/2`, `collect_map/2`: dispatch several
 * activities (items are JSON `{"name","input","config"}`, plus an optional
 * `"key"` for the map) in one append and await them together.
 *
 * - all: `{ok, JsonArrayOfResultTexts}`, or the earliest failure (fail fast);
 * - map: `{ok, JsonObject}` keyed by `key` (default: the activity name);
 * - race: the first to settle (by seq) wins; the others are cancelled.
 *
 * Re-entering with the same collection id (after a query sentinel) awaits
 * the same activities; nothing is dispatched twice.
 */

import { listToArray, type Term } from "../../terms/index.ts";
import type { NativeFn, Process } from "../../vm/index.ts";
import type { Settled } from "../run/history-index.ts";
import type { AwaitSpec, WorkflowRun } from "../run/run-state.ts";
import { errorTerm, okTerm, payloadFromText, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

type Mode = "all" | "race" | "map";

interface Item {
  readonly name: string;
  readonly input: string;
  readonly config: string;
  readonly key: string;
}

function parseItems(list: Term): Item[] | string {
  const arr = listToArray(list);
  if (arr === null) return "items argument is not a proper list";
  const items: Item[] = [];
  for (const t of arr) {
    const text = textOf(t);
    if (text === undefined) return "item is not a binary";
    try {
      const v = JSON.parse(text) as Record<string, unknown>;
      if (typeof v.name !== "string") return "item has no name";
      const str = (x: unknown, dflt: string) =>
        typeof x === "string" ? x : x === undefined ? dflt : JSON.stringify(x);
      items.push({
        name: v.name,
        input: str(v.input, "null"),
        config: str(v.config, "{}"),
        key: str(v.key, v.name),
      });
    } catch {
      return "invalid activity spec JSON";
    }
  }
  return items;
}

function collectAwait(
  native: string,
  mode: Mode,
  ids: readonly string[],
  keys: readonly string[],
  onDecided: () => void,
): AwaitSpec {
  return {
    native,
    resolve: (run: WorkflowRun) => {
      const settled: (Settled | null)[] = ids.map(
        (id) => run.index.activities.get(id)?.settled ?? null,
      );
      if (mode === "race") {
        let first: Settled | undefined;
        for (const s of settled)
          if (s !== null && (first === undefined || s.seq < first.seq)) first = s;
        if (first === undefined) return undefined;
        return {
          seq: first.seq,
          value: first.ok ? okTerm(first.text) : errorTerm(first.text),
          consume: onDecided,
        };
      }
      let failure: Settled | undefined;
      for (const s of settled)
        if (s !== null && !s.ok && (failure === undefined || s.seq < failure.seq)) failure = s;
      if (failure !== undefined)
        return { seq: failure.seq, value: errorTerm(failure.text), consume: onDecided };
      if (settled.some((s) => s === null)) return undefined;
      const seq = Math.max(...settled.map((s) => s!.seq));
      const texts = settled.map((s) => s!.text);
      const json =
        mode === "all"
          ? JSON.stringify(texts)
          : JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, texts[i]])));
      return { seq, value: okTerm(json) };
    },
  };
}

export function collectNatives(env: NativeEnv): Record<string, NativeFn> {
  const core = env.core;
  const collect = (p: Process, native: string, mode: Mode, idT: Term, itemsT: Term) => {
    const e = enter(env, p, native, "recording-await");
    if (e.result !== undefined) return e.result;
    const run = e.run;
    const collectionId = textOf(idT);
    if (collectionId === undefined)
      return errorTerm(`${native}: collection id: argument is not a binary`);
    const items = parseItems(itemsT);
    if (typeof items === "string") return errorTerm(`${native}: ${items}`);
    if (mode === "race" && items.length === 0)
      return errorTerm("collect_race: expected at least one activity");
    const keys = items.map((i) => i.key);
    const existing = run.collections.get(collectionId);
    const ids = existing ?? items.map(() => `a-${++run.ordinals.activity}`);
    const cancelLosers = () => {
      for (const id of ids) {
        const a = run.index.activities.get(id);
        if (a !== undefined && a.settled === null && !run.replaying)
          env.activities.cancel(run.workflowId, id, "race lost");
      }
    };
    const spec = collectAwait(native, mode, ids, keys, mode === "race" ? cancelLosers : () => {});
    const startAndAwait = () => {
      const step = core.steps.awaitStep(run, spec, collectionId);
      // Only work still undecided needs to run; a replay resolved from history dispatches nothing.
      if (step.kind === "park" || run.parked === spec) {
        for (const [i, item] of items.entries())
          env.activities.ensureRunning(run, ids[i]!, item.config);
      }
      return step;
    };
    if (existing !== undefined) return core.steps.finishSync(startAndAwait());
    run.collections.set(collectionId, ids);
    if (items.length === 0) return okTerm(mode === "map" ? "{}" : "[]");
    return core.command(
      run,
      p,
      items.map((item, i) => ({
        kind: "ActivityScheduled" as const,
        activityId: ids[i]!,
        activityType: item.name,
        input: payloadFromText(item.input),
      })),
      startAndAwait,
    );
  };
  return {
    "collect_all/2": (p, id, items) => collect(p, "collect_all", "all", id, items),
    "collect_race/2": (p, id, items) => collect(p, "collect_race", "race", id, items),
    "collect_map/2": (p, id, items) => collect(p, "collect_map", "map", id, items),
  };
}
