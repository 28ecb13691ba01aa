/** `~w`, `~p`, `~tp` and float text against real OTP 25 output. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../terms/atom.ts";
import { binaryFromBytes } from "../../terms/binary.ts";
import {
  formatFloatDecimals,
  formatFloatDefault,
  formatFloatScientific,
  formatFloatShort,
} from "../../terms/float.ts";
import { formatAtom, formatTW, formatW } from "../../terms/format.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import { formatP, formatPSingleLine } from "../../terms/pretty.ts";
import { Float, type Term } from "../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { extra, fromHex, hasUnorderableMap, rows, term, unesc } from "./fixtures.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

describe("etf_cases.expected printing", () => {
  test.each(rows("etf_cases.expected").map((r, i) => [i + 1, r] as const))("case %d", (_, r) => {
    const [hex, , w, p, tp] = r;
    const t = term(hex!);
    if (hasUnorderableMap(t)) return;
    expect(formatW(t)).toBe(unesc(w!));
    expect(formatP(t)).toBe(unesc(p!));
    expect(formatP(t, { unicode: true })).toBe(unesc(tp!));
  });
});

describe("~p layout (terms_extra pretty lines)", () => {
  const cases = extra("pretty");
  test.each(cases.map((r, i) => [i + 1, r] as const))("layout %d", (_, r) => {
    const [hex, prefix, width, p, tp] = r;
    const t = term(hex!);
    const opts = { indent: unesc(prefix!).length, lineLength: Number(width) };
    expect(formatP(t, opts)).toBe(unesc(p!));
    expect(formatP(t, { ...opts, unicode: true })).toBe(unesc(tp!));
  });
});

describe("floats.expected", () => {
  test.each(rows("floats.expected"))("%s", (bits, w, p, def, short, g) => {
    const v = new DataView(fromHex(bits!).buffer).getFloat64(0);
    expect(formatFloatShort(v)).toBe(w!);
    expect(formatW(new Float(v))).toBe(w!);
    expect(formatP(new Float(v))).toBe(p!);
    expect(formatFloatDefault(v)).toBe(def!);
    expect(formatFloatShort(v)).toBe(short!);
    expect(formatFloatShort(v)).toBe(g!);
  });
  test("other float_to_list forms", () => {
    expect(formatFloatScientific(0.1, 3)).toBe("1.000e-01");
    expect(formatFloatDecimals(1.005, 2, false)).toBe("1.00");
    expect(formatFloatDecimals(2.5, 4, true)).toBe("2.5");
    expect(formatFloatDecimals(1e22, 1, false)).toBe("10000000000000000000000.0");
  });
});

describe("atoms and strings", () => {
  test("quoting", () => {
    expect(formatAtom("ok")).toBe("ok");
    expect(formatAtom("Ok")).toBe("'Ok'");
    expect(formatAtom("when")).toBe("'when'");
    expect(formatAtom("maybe")).toBe("maybe");
    expect(formatAtom("a b")).toBe("'a b'");
    expect(formatAtom("ÿé")).toBe("ÿé");
    expect(formatAtom("Ω")).toBe("'\\x{3A9}'");
    expect(formatAtom("Ω", true)).toBe("'Ω'");
    expect(formatAtom("\x9f")).toBe("'\\237'");
    expect(formatAtom("\x01")).toBe("'\\001'");
    expect(formatTW(atom("日本"))).toBe("'日本'");
  });
  test("~p strings and binaries", () => {
    expect(formatP(stringToList("a\x7fb"))).toBe("[97,127,98]");
    expect(formatP(stringToList("tab\there\x1b"))).toBe('"tab\\there\\e"');
    expect(formatP(listFromArray([0x3a9]), { unicode: true })).toBe("[937]");
    const utf8 = binaryFromBytes(new TextEncoder().encode("Ωx"));
    expect(formatP(utf8)).toBe('<<"Î©x">>');
    expect(formatP(utf8, { unicode: true })).toBe("<<206,169,120>>");
    const latin = binaryFromBytes(new TextEncoder().encode("é"));
    expect(formatP(latin)).toBe('<<"Ã©">>');
    expect(formatP(latin, { unicode: true })).toBe('<<"é"/utf8>>');
  });
  test("~tP binaries: UTF-8 is checked before printability, as erl 25 does", () => {
    const bin = (...bytes: number[]) => binaryFromBytes(new Uint8Array(bytes));
    const tP = (t: Term, depth: number) => formatP(t, { unicode: true, depth });
    // Not UTF-8 (a bad byte, a surrogate, above U+10FFFF): the latin1 rules print them.
    for (const d of [-1, 2, 3]) {
      expect(tP(bin(0xe0, 0xa0, 0xa0, 0xff), d)).toBe('<<"à\u00a0\u00a0ÿ">>');
      expect(tP(bin(0xed, 0xa0, 0xa0), d)).toBe('<<"í\u00a0\u00a0">>');
      expect(tP(bin(0xf4, 0xa0, 0xa0, 0xa0), d)).toBe('<<"ô\u00a0\u00a0\u00a0">>');
    }
    const mixed = bin(0xc3, 0xa9, 0x0a, 0x01, 0xff);
    expect(tP(mixed, -1)).toBe("<<195,169,10,1,255>>");
    expect(tP(mixed, 2)).toBe('<<"Ã©\\n"...>>');
    expect(tP(bin(65, 1, 255), 2)).toBe('<<"A"...>>');
    expect(tP(bin(65, 1, 255), 3)).toBe("<<65,1,...>>");
    expect(tP(bin(215, 184, 171, 70, 54, 91, 195, 220), 2)).toBe('<<"×¸«F"...>>');
    expect(formatP(bin(1, 2, 3), { depth: 0 })).toBe("...");
  });
  test("single-line ~p and line length 0", () => {
    const long: Term = listFromArray(Array.from({ length: 100 }, (_, i) => i));
    expect(formatPSingleLine(long)).toBe(formatW(long));
    expect(formatP(long, { lineLength: 0 })).not.toContain("\n");
    expect(formatP(long)).toContain("\n");
  });
});
