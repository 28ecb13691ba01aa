/**
 * Replays fixtures/bifs/bif_cases.expected (recorded from real erl by
 * scripts/fixtures/bifs.sh) against the pure-BIF natives. Every case runs
 * once, in file order and in one process (the process-dictionary cases depend
 * on that); the results are then checked one test per BIF.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { PURE_BIF_NATIVES as erlangPureNatives } from "../../../nifs/registry.ts";
import type { Atom } from "../../../terms/atom.ts";
import { decodeExternalTerm } from "../../../terms/etf.ts";
import { formatW } from "../../../terms/format.ts";
import { listToArray } from "../../../terms/list.ts";
import { Pid } from "../../../terms/term.ts";
import { ErlangError, type NativeFn, Process, VM } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const natives = new Map<string, NativeFn>();
for (const mod of erlangPureNatives) {
  for (const [key, fn] of mod.functions) natives.set(`${mod.module}:${key}`, fn);
}

interface Outcome {
  readonly line: number;
  readonly call: string;
  readonly expected: string;
  readonly actual: string;
}

const file = new URL("../../../fixtures/bifs/bif_cases.expected", import.meta.url);
const lines = readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.length > 0);
const proc = new Process(new VM({ log: () => {} }), new Pid(1), null);
const byBif = new Map<string, Outcome[]>();

lines.forEach((text, i) => {
  const [call, cls, result, hex] = text.split("\t") as [string, string, string, string];
  const mfa = decodeExternalTerm(Buffer.from(hex, "hex")) as [Atom, Atom, never];
  const args = listToArray(mfa[2])!;
  const key = `${mfa[0].name}:${mfa[1].name}/${args.length}`;
  const fn = natives.get(key);
  let actual: string;
  if (fn === undefined) actual = "missing native";
  else {
    try {
      actual = `value\t${formatW(fn(proc, ...args) as never)}`;
    } catch (e) {
      if (!(e instanceof ErlangError)) throw e;
      actual = `${e.cls}\t${formatW(e.reason)}`;
    }
  }
  const list = byBif.get(key) ?? [];
  list.push({ line: i + 1, call, expected: `${cls}\t${result}`, actual });
  byBif.set(key, list);
});

describe("pure BIFs against real erl", () => {
  for (const [key, outcomes] of byBif) {
    test(`${key} (${outcomes.length} cases)`, () => {
      const wrong = outcomes
        .filter((o) => o.actual !== o.expected)
        .map((o) => `line ${o.line}: ${o.call}\n  want ${o.expected}\n  got  ${o.actual}`);
      expect(wrong).toEqual([]);
    });
  }
});
