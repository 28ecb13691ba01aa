/** `erlang:phash2/1,2` against values recorded from real OTP 25. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray } from "../../terms/list.ts";
import { makeHash2, phash2, phash2Range } from "../../terms/phash2.ts";
import { Float } from "../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { extra, term } from "./fixtures.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

describe("terms_extra phash2 lines", () => {
  test.each(extra("phash2").map((r) => [formatW(term(r[0]!)).slice(0, 60), r] as const))(
    "%s",
    (_, r) => {
      const [hex, h1, h1000, h32] = r;
      const t = term(hex!);
      expect(phash2(t)).toBe(Number(h1));
      expect(phash2Range(t, 1000)).toBe(Number(h1000));
      expect(phash2Range(t, 2 ** 32)).toBe(Number(h32));
    },
  );
});

describe("properties", () => {
  test("-0.0 hashes like 0.0; maps hash independently of pair order", () => {
    expect(phash2(new Float(-0))).toBe(phash2(new Float(0)));
    expect(makeHash2(atom("ok"))).toBe(phash2Range(atom("ok"), 2 ** 32));
  });
  // No stopwatch: the size is the guard. A recursive walk overflows the stack
  // here, and quadratic work would take hours, far past the test's timeout,
  // while the linear hash takes a fraction of a second even under load.
  test("a 1M-element list hashes without recursion or quadratic work", () => {
    const l = listFromArray(Array.from({ length: 1_000_000 }, (_, i) => [i, atom("x")]));
    const h = phash2(l);
    expect(h).toBeGreaterThanOrEqual(0);
    expect(phash2(l)).toBe(h);
  }, 60_000);
});
