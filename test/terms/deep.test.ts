/**
 * Million-deep terms through the term library, checked against real erl
 * (fixtures/deep/deep_terms.expected, recorded by scripts/fixtures/deep_terms.sh):
 * hashing, the external format, comparison, printing, and the JSON paths
 * (json:encode/decode, the engine's term -> JSON text). None may overflow the
 * JS stack; the one depth-bounded walker (`~p`'s layout) must refuse with its
 * typed error. The same module also runs on the VM in test/vm/deep-terms.test.ts.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import { termJsonText, termToJson } from "../../engine/terms.ts";
import { LIBRARY_NATIVES, PURE_BIF_NATIVES } from "../../nifs/registry.ts";
import { A, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes, binaryFromString } from "../../terms/binary.ts";
import { compare, eq, exactEq } from "../../terms/compare.ts";
import { TermTooDeepError } from "../../terms/depth.ts";
import { decodeExternalTerm, encodeExternalTerm } from "../../terms/etf.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import { MapTerm, mapFromPairs } from "../../terms/map.ts";
import { PARSE_MAX_NESTING, parseTerm, TermSyntaxError } from "../../terms/parse.ts";
import { phash2, phash2Range } from "../../terms/phash2.ts";
import { formatP } from "../../terms/pretty.ts";
import { Cons, NIL, Pid, type Term } from "../../terms/term.ts";
import { ErlangError, type NativeFn, Process, VM } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  DEPTH,
  PRETTY_DEPTH,
  PRINT_DEPTH,
  recorded,
  SEED,
  SHAPES,
  type Shape,
  shape,
} from "./deep-shapes.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** Generous: the machine building million-node terms may be shared. */
const SLOW = 120_000;

const natives = new Map<string, NativeFn>();
for (const m of [...PURE_BIF_NATIVES, ...LIBRARY_NATIVES]) {
  for (const [k, f] of m.functions) natives.set(`${m.module}:${k}`, f);
}
const proc = new Process(new VM(), new Pid(1), null);
function call(mfa: string, ...args: Term[]): Term {
  const f = natives.get(`${mfa}/${args.length}`);
  if (f === undefined) throw new Error(`no native ${mfa}/${args.length}`);
  return f(proc, ...args) as Term;
}

const bool = (b: boolean): Term => (b ? A.true : A.false);
const md5 = (bytes: Uint8Array | string): Term =>
  binaryFromBytes(new Uint8Array(createHash("md5").update(bytes).digest()));
/** Each million-deep shape is built once for the whole file (building dominates the run time). */
const built = new Map<Shape, Term>();
function deep(s: Shape): Term {
  let t = built.get(s);
  if (t === undefined) built.set(s, (t = shape(s, DEPTH, SEED.nil)));
  return t;
}

/** Our answer must print exactly as erl's recorded one. */
function expectRecorded(fn: string, ours: Term): void {
  expect(formatW(ours)).toBe(formatW(recorded(fn)));
}

/** The characters of io_lib's output (a flat or deep char list, or a binary). */
function charsText(t: Term): string {
  const codes: number[] = [];
  const stack: Term[] = [t];
  while (stack.length > 0) {
    let l = stack.pop()!;
    if (l instanceof BitString) {
      codes.push(...l.bytes());
      continue;
    }
    while (l instanceof Cons) {
      if (typeof l.head === "number") codes.push(l.head);
      else {
        stack.push(l.tail);
        stack.push(l.head);
        l = NIL;
        break;
      }
      l = l.tail;
    }
  }
  let s = "";
  for (let i = 0; i < codes.length; i += 8192)
    s += String.fromCharCode(...codes.slice(i, i + 8192));
  return s;
}

/** `{length(Text), erlang:md5(Text), lists:sublist(Text, 40)}`, as the fixture's print/3. */
function printSummary(text: string): Term {
  return [text.length, md5(text), stringToList(text.slice(0, 40))];
}

describe("hashing a million-deep term (erl's values)", () => {
  for (const s of SHAPES) {
    test(
      `phash2 of ${s}`,
      () => {
        const t = deep(s);
        expectRecorded(`t_${s}_phash2`, [
          phash2(t),
          phash2Range(t, 1000003),
          phash2Range(t, 2 ** 32),
        ]);
      },
      SLOW,
    );
    test(
      `erlang:phash of ${s}`,
      () => {
        const t = deep(s);
        expectRecorded(`t_${s}_phash`, [
          call("erlang:phash", t, 2 ** 32),
          call("erlang:phash", t, 1000003),
        ]);
      },
      SLOW,
    );
  }
});

describe("external term format of a million-deep term", () => {
  for (const s of SHAPES) {
    test(
      `term_to_binary / binary_to_term of ${s}: erl's bytes, exact round trip`,
      () => {
        const t = deep(s);
        const b = encodeExternalTerm(t);
        const b2 = encodeExternalTerm(t, { minorVersion: 2 });
        const back = decodeExternalTerm(b);
        const safe = decodeExternalTerm(b, { safe: true });
        const same = b.length === b2.length && b.every((x, i) => x === b2[i]);
        expectRecorded(`t_${s}_t2b`, [
          b.length,
          md5(b),
          bool(same),
          bool(exactEq(back, t)),
          bool(eq(back, t)),
          bool(exactEq(safe, t)),
        ]);
      },
      SLOW,
    );
  }
  test(
    "external_size of all four shapes",
    () => {
      expectRecorded(
        "t_external_size",
        listFromArray(SHAPES.map((s) => call("erlang:external_size", deep(s)))),
      );
    },
    SLOW,
  );
});

describe("comparing million-deep terms", () => {
  for (const s of SHAPES) {
    test(
      `${s}: ==, =:=, <, sort, max/min as erl`,
      () => {
        const a = shape(s, DEPTH, SEED.one);
        const b = shape(s, DEPTH, SEED.one);
        const c = shape(s, DEPTH, SEED.oneFloat);
        const equal: Term = [
          bool(eq(a, b)),
          bool(exactEq(a, b)),
          bool(eq(a, c)),
          bool(exactEq(a, c)),
          bool(compare(a, c) < 0),
          bool(compare(a, c) > 0),
          bool(!exactEq(a, c)),
          bool(!eq(a, c)),
          bool(exactEq(compare(a, c) >= 0 ? a : c, a)), // erlang:max keeps the first on ties
          bool(exactEq(compare(c, a) <= 0 ? c : a, c)), // erlang:min likewise
        ];
        if (s === "map") {
          expectRecorded(`t_${s}_compare`, equal);
          return;
        }
        const e = shape(s, DEPTH, SEED.x);
        const sorted = [e, a, b].sort(compare);
        expectRecorded(`t_${s}_compare`, [
          equal,
          bool(compare(a, e) < 0),
          bool(compare(e, a) > 0),
          bool(eq(a, e)),
          bool(compare(e, c) >= 0),
          bool(sorted[0] === a && sorted[1] === b && sorted[2] === e),
        ]);
      },
      SLOW,
    );
  }
  test(
    "deep map keys are ordered exactly",
    () => {
      const k1 = shape("list", DEPTH, SEED.one);
      const k2 = shape("list", DEPTH, SEED.oneFloat);
      const m = mapFromPairs([
        [k1, atom("one")],
        [k2, atom("two")],
      ]);
      const get = (k: Term) => m.values[m.indexOf(k)]!;
      expectRecorded("t_map_key_deep", [
        m.size,
        get(shape("list", DEPTH, SEED.one)),
        get(shape("list", DEPTH, SEED.oneFloat)),
        listFromArray(m.values),
      ]);
    },
    SLOW,
  );
});

describe("printing deep terms", () => {
  for (const s of SHAPES) {
    test(
      `~w of ${s} at depth ${PRINT_DEPTH}: erl's text (formatW and io_lib:format)`,
      () => {
        const t = shape(s, PRINT_DEPTH, SEED.nil);
        const viaIoLib = charsText(call("io_lib:format", stringToList("~w"), listFromArray([t])));
        expectRecorded(`t_${s}_print_w`, printSummary(formatW(t)));
        expect(viaIoLib).toBe(formatW(t));
      },
      SLOW,
    );
    test(
      `~w of ${s} at depth ${DEPTH} does not overflow`,
      () => {
        const text = charsText(call("io_lib:write", deep(s)));
        expect(text.length).toBe(formatW(deep(s)).length);
        expect(text.length).toBeGreaterThan(2 * DEPTH);
      },
      SLOW,
    );
  }
  for (const s of ["tuple", "map", "mixed"] as const) {
    test(
      `~p of ${s} at depth ${PRETTY_DEPTH}: erl's layout`,
      () => {
        const t = shape(s, PRETTY_DEPTH, SEED.nil);
        const viaIoLib = charsText(call("io_lib:format", stringToList("~p"), listFromArray([t])));
        expectRecorded(`t_${s}_print_p`, printSummary(viaIoLib));
        expect(formatP(t)).toBe(viaIoLib);
      },
      SLOW,
    );
  }
  test("~p of a 1500-deep list is its one-line form, as erl prints deep lists", () => {
    // erl: ~p, ~tp and ~w of the list shape give the same text (same md5 recorded).
    const t = shape("list", 1500, SEED.nil);
    expect(formatP(t)).toBe(formatW(t));
    expect(formatP(t, { unicode: true })).toBe(formatW(t));
  });
  test(`~p beyond its nesting bound: a typed error, system_limit through io_lib (erl prints it)`, () => {
    // Known difference: erl lays out ~p of any depth; ours refuses past PRETTY_MAX_NESTING.
    const t = shape("list", PRINT_DEPTH, SEED.nil);
    expect(() => formatP(t)).toThrow(TermTooDeepError);
    expect(() => formatP(shape("mixed", DEPTH, SEED.nil))).toThrow(TermTooDeepError);
    // With a print depth (~P) the layout never goes deep, so it works.
    expect(formatP(t, { depth: 5 })).toBe("[[[[[...]]]]]"); // erl's io_lib:format("~P", [T, 5])
    expect(recorded("t_list_print_p")).toBeDefined();
  });
});

describe("JSON with a million levels", () => {
  const text = (t: Term) => new TextDecoder().decode((t as BitString).bytes());
  test(
    "json:encode of nested arrays and objects, json:decode back",
    () => {
      const arrays = deep("list");
      const encoded = call("json:encode", arrays);
      expect(text(encoded)).toBe(`${"[".repeat(DEPTH + 1)}${"]".repeat(DEPTH + 1)}`);
      expect(exactEq(call("json:decode", encoded), arrays)).toBe(true);

      const k = binaryFromString("k");
      let objects: Term = NIL;
      for (let i = 0; i < DEPTH; i++) objects = new MapTerm([k], [objects]);
      const encodedObjects = call("json:encode", objects);
      expect(text(encodedObjects)).toBe(`${'{"k":'.repeat(DEPTH)}[]${"}".repeat(DEPTH)}`);
      expect(exactEq(call("json:decode", encodedObjects), objects)).toBe(true);
    },
    SLOW,
  );
  test(
    "json errors deep inside keep their Erlang shape",
    () => {
      const err = (s: string): string => {
        try {
          call("json:decode", binaryFromString(s));
        } catch (e) {
          if (e instanceof ErlangError) return formatW(e.reason);
          throw e;
        }
        return "no error";
      };
      expect(err("[".repeat(DEPTH))).toBe("unexpected_end");
      expect(err(`${"[".repeat(DEPTH)}1,}`)).toBe("{invalid_byte,125}");
      expect(err(`${'{"a":'.repeat(DEPTH)}1]`)).toBe("{invalid_byte,93}");
      // An unsupported value at the bottom of a deep list is reported as itself.
      expect(() => call("json:encode", shape("list", DEPTH, new Cons([1], NIL)))).toThrow(
        ErlangError,
      );
    },
    SLOW,
  );
  test(
    "json:decode/3's neutral tree of deep input (the Erlang callbacks' view)",
    () => {
      const [tree] = call(
        "json:$aion_parse",
        binaryFromString(`${"[".repeat(DEPTH)}1${"]".repeat(DEPTH)}`),
      ) as Term[];
      let t: Term = tree!;
      let levels = 0;
      while (Array.isArray(t) && t[0] === atom("array")) {
        t = (t[1] as Cons).head;
        levels++;
      }
      expect(levels).toBe(DEPTH);
      expect(formatW(t)).toBe("{integer,<<49>>}");
    },
    SLOW,
  );
  test(
    "the engine's term -> JSON text of a million-deep result",
    () => {
      expect(termJsonText(deep("list"))).toBe(`${"[".repeat(DEPTH + 1)}${"]".repeat(DEPTH + 1)}`);
      const mapText = termJsonText(shape("map", 3, SEED.nil));
      expect(mapText).toBe('{"3":{"2":{"1":[]}}}');
      const json = termJsonText(deep("mixed"));
      expect(json.length).toBeGreaterThan(DEPTH);
      // JSON.parse builds the deep value without recursing; walk it back down.
      let v = termToJson(deep("tuple")) as unknown[];
      let levels = 0;
      while (Array.isArray(v) && v.length === 2) {
        v = v[0] as unknown[];
        levels++;
      }
      expect(levels).toBe(DEPTH);
    },
    SLOW,
  );
});

describe("term literals", () => {
  test("nesting past the reader's bound is a TermSyntaxError, not a stack overflow", () => {
    const n = PARSE_MAX_NESTING + 1;
    expect(() => parseTerm(`${"[".repeat(n)}${"]".repeat(n)}`)).toThrow(TermSyntaxError);
    const ok = PARSE_MAX_NESTING;
    expect(formatW(parseTerm(`${"[".repeat(ok)}${"]".repeat(ok)}`))).toBe(
      formatW(shape("list", ok - 1, NIL)),
    );
  });
});
