/**
 * Term objects stay as small as their fields allow. JavaScriptCore gives
 * every instance of a class whose own prototype has a getter 16 more bytes,
 * so BitString and MatchContext keep theirs on base classes (terms/binary.ts,
 * vm/interp/bits/match-context.ts); programs allocate one per append, per
 * sub-binary and per match. Compared with plain objects of as many fields
 * made in the same engine, so the test follows the engine's own sizes.
 */
import { estimateShallowMemoryUsageOf } from "bun:jsc";
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { BitString } from "../../terms/binary.ts";
import { MatchContext } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

class FourFields {
  constructor(
    readonly a: unknown,
    readonly b: unknown,
    readonly c: unknown,
    readonly d: unknown,
  ) {}
}

/** The size of the last of many objects `make` makes (JSC sizes a class's objects after a few). */
function settledSize(make: () => object): number {
  let o = make();
  for (let i = 0; i < 2000; i++) o = make();
  return estimateShallowMemoryUsageOf(o);
}

describe("term object sizes", () => {
  const buf = new Uint8Array(16);
  const plain = settledSize(() => new FourFields(buf, 0, 8, null));

  test("a BitString is no bigger than a plain four-field object", () => {
    expect(settledSize(() => new BitString(buf, 0, 8))).toBe(plain);
  });

  test("a MatchContext is no bigger than a plain four-field object", () => {
    const b = new BitString(buf, 0, 128);
    expect(settledSize(() => new MatchContext(b))).toBe(plain);
  });

  test("the getters still answer", () => {
    const b = new BitString(buf, 3, 13);
    expect([b.isBinary, b.byteSize, b.isAligned]).toEqual([false, 2, false]);
    const m = new MatchContext(b);
    m.pos += 5;
    expect(m.remaining).toBe(8);
  });
});
