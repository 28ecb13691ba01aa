/**
 * The deep term shapes of fixtures/deep/deep_terms.erl, built in TypeScript,
 * and that module's recorded answers (fixtures/deep/deep_terms.expected), so
 * tests can check the term library against real erl without running Erlang.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { atom } from "../../terms/atom.ts";
import { MapTerm } from "../../terms/map.ts";
import { parseTerm } from "../../terms/parse.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";

export const DEEP_DIR = join(import.meta.dir, "../../fixtures/deep");

/** The depths deep_terms.erl uses (its DEPTH, PRINT_DEPTH, PRETTY_DEPTH and CHAIN macros). */
export const DEPTH = 1_000_000;
export const PRINT_DEPTH = 100_000;
export const PRETTY_DEPTH = 1000;

export type Shape = "list" | "tuple" | "map" | "mixed";
export const SHAPES: readonly Shape[] = ["list", "tuple", "map", "mixed"];

const KEY = atom("key");

/** `deep_terms:shape(S, N, Seed)`. */
export function shape(s: Shape, n: number, seed: Term): Term {
  let a = seed;
  switch (s) {
    case "list":
      for (let i = 0; i < n; i++) a = new Cons(a, NIL);
      return a;
    case "tuple":
      for (let i = 1; i <= n; i++) a = [a, i];
      return a;
    case "map":
      for (let i = 1; i <= n; i++) a = new MapTerm([i], [a]);
      return a;
    case "mixed":
      for (let i = 0; i < n; i++) {
        const r = i % 3;
        a = r === 0 ? new Cons(a, new Cons(i, NIL)) : r === 1 ? [i, a] : new MapTerm([KEY], [a]);
      }
      return a;
  }
}

/** The seeds the fixture uses: `[]`, `[1]`, `[1.0]`, `[x]`. */
export const SEED = {
  nil: NIL as Term,
  one: new Cons(1, NIL) as Term,
  oneFloat: new Cons(new Float(1), NIL) as Term,
  x: new Cons(atom("x"), NIL) as Term,
};

export interface DeepCase {
  readonly fn: string;
  readonly kind: string;
  /** `~w` of the result, as recorded. */
  readonly text: string;
}

/** Every recorded line of deep_terms.expected. */
export function deepCases(): DeepCase[] {
  return readFileSync(join(DEEP_DIR, "deep_terms.expected"), "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      const [fn, kind, ...rest] = l.split("\t");
      return { fn: fn!, kind: kind!, text: rest.join("\t") };
    });
}

/** The value real erl returned for `fn` (which must have returned normally). */
export function recorded(fn: string): Term {
  const c = deepCases().find((x) => x.fn === fn);
  if (c === undefined || c.kind !== "value") throw new Error(`no recorded value for ${fn}`);
  return parseTerm(c.text);
}
