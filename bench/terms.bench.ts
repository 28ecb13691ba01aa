/**
 * Term library micro-benchmarks for the shallow, common case of the walkers
 * that have an explicit-stack fallback for deep terms (compare, ~w, io_lib's
 * write, json encode/decode, the engine's term -> JSON text): the fallback
 * must cost nothing here. Best of 7 rounds, in CPU microseconds per operation.
 *
 *   bun bench/terms.bench.ts
 */
import * as engineTerms from "../engine/terms.ts";
import { LIBRARY_NATIVES } from "../nifs/registry.ts";
import { atom } from "../terms/atom.ts";
import { binaryFromString } from "../terms/binary.ts";
import { compare, exactEq } from "../terms/compare.ts";
import { formatW } from "../terms/format.ts";
import { listFromArray } from "../terms/list.ts";
import { mapFromPairs } from "../terms/map.ts";
import { Cons, Float, NIL, Pid, type Term } from "../terms/term.ts";
import { type NativeFn, Process, VM } from "../vm/index.ts";

const natives = new Map<string, NativeFn>();
for (const m of LIBRARY_NATIVES)
  for (const [k, f] of m.functions) natives.set(`${m.module}:${k}`, f);
const proc = new Process(new VM(), new Pid(1), null);
const call = (mfa: string, ...args: Term[]) => natives.get(mfa)!(proc, ...args) as Term;

/** A typical record-like term: tagged tuples, a short list, a small map, a binary. */
function record(i: number): Term {
  return [
    atom("order"),
    i,
    binaryFromString(`customer-${i}`),
    listFromArray([1, 2, 3, new Float(i / 7)]),
    mapFromPairs([
      [atom("status"), atom("open")],
      [atom("items"), listFromArray([[atom("sku"), i % 13]])],
    ]),
  ];
}
const records = Array.from({ length: 2000 }, (_, i) => record(i));
const copies = Array.from({ length: 2000 }, (_, i) => record(i));
const doc = mapFromPairs(
  Array.from({ length: 20 }, (_, i): [Term, Term] => [
    binaryFromString(`k${i}`),
    listFromArray([i, binaryFromString("v"), mapFromPairs([[binaryFromString("n"), i]])]),
  ]),
);
const docText = call("json:encode/1", doc);
function nest(): Term {
  let t: Term = NIL;
  for (let i = 0; i < 50; i++) t = new Cons([i, t], NIL);
  return t;
}
const nested = nest();
const nestedCopy = nest();
/** The engine's term -> JSON text (older trees had only termToJson + JSON.stringify). */
const jsonText: (t: Term) => string =
  (engineTerms as { termJsonText?: (t: Term) => string }).termJsonText ??
  ((t) => JSON.stringify(engineTerms.termToJson(t)));

/** CPU time (not wall time: the machine may be shared) of the best of 7 rounds. */
function bench(name: string, ops: number, f: () => void): void {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 7; r++) {
    const t0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(t0);
    best = Math.min(best, d.user + d.system);
  }
  console.log(`${name.padEnd(44)} ${(best / ops).toFixed(3).padStart(9)} us/op`);
}

bench("compare: sort 2000 records", 1, () => {
  records.slice().reverse().sort(compare);
});
bench("=:= of equal records (2000)", 2000, () => {
  for (let i = 0; i < records.length; i++) exactEq(records[i]!, copies[i]!);
});
bench("compare: 50-deep nested list", 1000, () => {
  for (let i = 0; i < 1000; i++) compare(nested, nestedCopy);
});
bench("~w of a record (terms/format)", 2000, () => {
  for (const r of records) formatW(r);
});
bench("io_lib:write of a record", 2000, () => {
  for (const r of records) call("io_lib:write/1", r);
});
bench("json:encode of a 20-key document", 1000, () => {
  for (let i = 0; i < 1000; i++) call("json:encode/1", doc);
});
bench("json:decode of a 20-key document", 1000, () => {
  for (let i = 0; i < 1000; i++) call("json:decode/1", docText);
});
bench("engine: term -> JSON text of a record", 2000, () => {
  for (const r of records) jsonText(r);
});
