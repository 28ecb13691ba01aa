/** Term order, the two equalities and map iteration order against OTP 25. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../terms/atom.ts";
import { binaryFromString } from "../../terms/binary.ts";
import { compare, compareExact, eq, exactEq } from "../../terms/compare.ts";
import { formatW } from "../../terms/format.ts";
import { listToArray, stringToList } from "../../terms/list.ts";
import { EMPTY_MAP, type MapTerm, mapFromPairs } from "../../terms/map.ts";
import { mapIteratorOrder, mapListOrder } from "../../terms/map-order.ts";
import { ExportFun, Float, NIL, Pid, Port, Ref, type Term } from "../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { extra, rows, term } from "./fixtures.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const cases = rows("etf_cases.expected").map((r) => term(r[0]!));

describe("order.expected", () => {
  const lines = rows("order.expected");
  test("lists:sort of every case", () => {
    const want = lines.filter((l) => l[0] === "sort").map((l) => Number(l[2]) - 1);
    const got = cases.map((_, i) => i).sort((a, b) => compare(cases[a]!, cases[b]!) || a - b);
    expect(got.map((i) => formatW(cases[i]!))).toEqual(want.map((i) => formatW(cases[i]!)));
  });
  test.each(lines.filter((l) => l[0] === "cmp"))(
    "%s %s %s %s",
    (_, ha, hb, _wa, _wb, e, ee, lt, gt) => {
      const a = term(ha!);
      const b = term(hb!);
      expect([eq(a, b), exactEq(a, b), compare(a, b) < 0, compare(a, b) > 0].map(String)).toEqual([
        e!,
        ee!,
        lt!,
        gt!,
      ]);
    },
  );
});

describe("random comparisons (terms_extra cmp lines)", () => {
  test.each(extra("cmp").map((r, i) => [i + 1, r] as const))("pair %d", (_, r) => {
    const [ha, hb, e, ee, lt, gt] = r;
    const a = term(ha!);
    const b = term(hb!);
    const got = [eq(a, b), exactEq(a, b), compare(a, b) < 0, compare(a, b) > 0].map(String);
    expect(got).toEqual([e!, ee!, lt!, gt!]);
    expect(compare(b, a) + 0).toBe(0 - compare(a, b));
  });
  test("sorting random lists agrees with lists:sort up to == ties", () => {
    for (const [hl, hs] of extra("sort")) {
      const got = listToArray(term(hl!))!.sort(compare);
      const want = listToArray(term(hs!))!;
      expect(got.length).toBe(want.length);
      for (let i = 0; i < got.length; i++) expect(eq(got[i]!, want[i]!)).toBe(true);
    }
  });
});

describe("numbers", () => {
  const f = (v: number) => new Float(v);
  test("exact comparison of big integers with floats", () => {
    expect(eq(9007199254740993n, f(9007199254740992))).toBe(false);
    expect(compare(9007199254740993n, f(9007199254740992))).toBe(1);
    expect(eq(2 ** 53, f(2 ** 53))).toBe(true);
    expect(eq(1, f(1))).toBe(true);
    expect(exactEq(1, f(1))).toBe(false);
    expect(compare(1, f(1))).toBe(0);
    expect(compare(-(2n ** 70n), f(-1e30))).toBe(1);
    expect(compare(2n ** 1024n, f(Number.MAX_VALUE))).toBe(1);
  });
  test("-0.0 =:= 0.0 on OTP 25", () => {
    expect(exactEq(f(-0), f(0))).toBe(true);
    expect(eq(0, f(-0))).toBe(true);
  });
  test("map key order puts every integer before every float", () => {
    expect(compareExact(2, f(1))).toBe(-1);
    expect(compareExact(f(1), 2)).toBe(1);
    expect(compareExact([2], [f(1)])).toBe(-1);
    expect(compare([2], [f(1)])).toBe(1);
    const m = mapFromPairs([
      [f(1), atom("b")],
      [1, atom("a")],
    ]);
    expect(m.size).toBe(2);
    expect(formatW(m)).toBe("#{1 => a,1.0 => b}");
    expect(
      formatW(
        mapFromPairs([
          [2, atom("x")],
          [f(1), atom("y")],
        ]),
      ),
    ).toBe("#{2 => x,1.0 => y}");
  });
});

describe("type order", () => {
  test("number < atom < ref < fun < port < pid < tuple < map < [] < list < bitstring", () => {
    const ladder: Term[] = [
      new Float(1e300),
      atom("a"),
      new Ref(1n),
      new ExportFun(atom("m"), atom("f"), 0),
      new Port(1n),
      new Pid(1),
      [],
      EMPTY_MAP,
      NIL,
      stringToList("a"),
      binaryFromString(""),
    ];
    for (let i = 0; i < ladder.length; i++) {
      for (let j = 0; j < ladder.length; j++) {
        expect(Math.sign(compare(ladder[i]!, ladder[j]!))).toBe(Math.sign(i - j));
      }
    }
  });
  test("atoms by text, strings before binaries, shorter tuples first", () => {
    expect(compare(atom("b"), atom("aa"))).toBe(1);
    expect(compare(stringToList("abc"), binaryFromString("abc"))).toBe(-1);
    expect(compare([9, 9], [1, 1, 1])).toBe(-1);
    expect(compare(binaryFromString("ab"), binaryFromString("abc"))).toBe(-1);
  });
});

describe("large-map order (terms_extra order lines)", () => {
  test.each(extra("order").map((r, i) => [i + 1, r] as const))("map %d", (_, r) => {
    const [hm, hk, hi] = r;
    const m = term(hm!) as MapTerm;
    const keys = listToArray(term(hk!))!;
    const iter = listToArray(term(hi!))!;
    const lo = mapListOrder(m);
    const io = mapIteratorOrder(m);
    expect(keys.map(formatW)).toEqual(Array.from(lo, (i) => formatW(m.keys[i]!)));
    expect(iter.map(formatW)).toEqual(Array.from(io, (i) => formatW(m.keys[i]!)));
  });
  test("maps:keys of 1..40 starts [33,12,23,29]", () => {
    const m = mapFromPairs(Array.from({ length: 40 }, (_, i) => [i + 1, i + 1] as [Term, Term]));
    expect(
      Array.from(mapListOrder(m))
        .slice(0, 4)
        .map((i) => m.keys[i]),
    ).toEqual([33, 12, 23, 29]);
  });
});
