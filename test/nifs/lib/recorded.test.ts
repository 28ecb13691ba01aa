/**
 * Replays fixtures/lib/lib_cases.expected: every case calls one of our
 * natives with the arguments real erl was given and compares the `~w` text
 * of the (normalised) result, or the error reason, with what erl produced.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeExternalTerm } from "../../../terms/etf.ts";
import { formatW } from "../../../terms/format.ts";
import { listFromArray, listToArray } from "../../../terms/list.ts";
import type { Term } from "../../../terms/term.ts";
import { ErlangError } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call, hasNative } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const FILE = join(import.meta.dir, "../../../fixtures/lib/lib_cases.expected");

interface Case {
  norm: string;
  mod: string;
  fun: string;
  args: Term[];
  kind: string;
  text: string;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const cases: Case[] = readFileSync(FILE, "utf8")
  .split("\n")
  .filter((l) => l.length > 0)
  .map((l) => {
    const [norm, mod, fun, hex, kind, text] = l.split("\t");
    return {
      norm: norm!,
      mod: mod!,
      fun: fun!,
      args: listToArray(decodeExternalTerm(hexBytes(hex!)))!,
      kind: kind!,
      text: text ?? "",
    };
  });

function normalise(norm: string, v: Term): Term {
  if (norm === "flat") return call("lists:flatten", v);
  if (norm === "bin") return call("unicode:characters_to_binary", v);
  return v;
}

/** lib_cases:rand_seq/3 replayed with the state-passing natives. */
function randSeq(alg: Term, seed: Term, n: Term): Term {
  let s = call("rand:seed_s", alg, seed);
  const out: Term[] = [];
  for (let i = 1; i <= (n as number); i++) {
    const step = (mfa: string, ...a: Term[]): Term => {
      const r = call(mfa, ...a, s) as Term[];
      s = r[1]!;
      return r[0]!;
    };
    const a = step("rand:uniform_s");
    const b = step("rand:uniform_s", i * 7 + 1);
    const c = step("rand:uniform_real_s");
    const d = step("rand:uniform_s", 1n << 70n);
    out.push([a, b, c, d]);
  }
  return listFromArray(out);
}

function run(c: Case): { kind: string; text: string } {
  try {
    const v =
      c.mod === "lib_cases"
        ? randSeq(c.args[0]!, c.args[1]!, c.args[2]!)
        : call(`${c.mod}:${c.fun}`, ...c.args);
    return { kind: "value", text: formatW(normalise(c.norm, v)) };
  } catch (e) {
    if (e instanceof ErlangError && e.cls === "error")
      return { kind: "error", text: formatW(e.reason) };
    throw e;
  }
}

describe("library natives match recorded erl", () => {
  for (const [i, c] of cases.entries()) {
    const name = `${i}: ${c.mod}:${c.fun}(${c.args.map(formatW).join(", ")})`.slice(0, 160);
    test(name, () => {
      if (c.mod !== "lib_cases") expect(hasNative(`${c.mod}:${c.fun}/${c.args.length}`)).toBe(true);
      const got = run(c);
      if (c.mod === "math" && (c.fun === "erf" || c.fun === "erfc") && got.kind === "value") {
        // glibc's erf is not correctly rounded; ours may differ by an ulp or two.
        const [a, b] = [Number(got.text), Number(c.text)];
        expect(Math.abs(a - b) <= 4 * Number.EPSILON * Math.abs(b)).toBe(true);
        return;
      }
      expect(got).toEqual({ kind: c.kind, text: c.text });
    });
  }
});
