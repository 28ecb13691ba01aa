/** Response bodies of any depth: JSON.stringify's output, without its recursion limit. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { deepJsonText, jsonText } from "../../engine/http/json-text.ts";

// Waits are on events; the timeout only guards against a hang on a loaded machine.
setDefaultTimeout(60_000);

describe("jsonText", () => {
  test("the explicit-stack writer gives JSON.stringify's text for plain data", () => {
    const samples: unknown[] = [
      null,
      0,
      -1.5,
      'é\n"q"',
      true,
      [],
      {},
      [1, [2, [3, {}]], { a: [null, "x"] }],
      { z: 1, a: { b: undefined, c: () => 1, d: [undefined, Number.NaN] } },
    ];
    for (const s of samples) expect(deepJsonText(s)).toBe(JSON.stringify(s));
  });

  test("a million-deep value is written instead of overflowing", () => {
    let v: unknown = [];
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(() => JSON.stringify(v)).toThrow(RangeError);
    const text = jsonText({ result: v });
    expect(text.length).toBe('{"result":'.length + 2_000_002 + 1);
    expect(text.startsWith('{"result":[[[')).toBe(true);
  });
});
