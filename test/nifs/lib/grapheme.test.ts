/** Grapheme clusters beyond what the recorded fixtures cover. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { graphemeCount, graphemes } from "../../../nifs/lib/grapheme.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const cps = (s: string) => Array.from(s, (c) => c.codePointAt(0)!);
const count = (s: string) => graphemeCount(cps(s));

describe("extended grapheme clusters", () => {
  test("basic rules", () => {
    expect(count("abc")).toBe(3);
    expect(count("\r\n")).toBe(1);
    expect(count("\n\r")).toBe(2);
    expect(count("e\u0301")).toBe(1);
    expect(count("\u0301")).toBe(1);
    expect(count("a\u200db")).toBe(2);
  });
  test("emoji", () => {
    expect(count("👨‍👩‍👧‍👦")).toBe(1);
    expect(count("👍🏽")).toBe(1);
    expect(count("🏳️‍🌈")).toBe(1);
    expect(count("🇸🇪🇫🇮🇩")).toBe(3);
    expect(count("❤️")).toBe(1);
  });
  test("Hangul and Indic", () => {
    expect(count("\u1100\u1161\u11a8")).toBe(1);
    expect(count("한국어")).toBe(3);
    expect(count("\u0915\u093f")).toBe(1);
  });
  test("split keeps code points", () => {
    expect(graphemes(cps("ae\u0301\r\n")).map((g) => g.length)).toEqual([1, 2, 2]);
  });
});
