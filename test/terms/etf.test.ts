/**
 * External Term Format against real OTP 25: every recorded term decodes,
 * re-encodes to the same bytes (default and minor_version 2, plain and
 * compressed), and malformed input fails with EtfError only.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { deflateSync } from "node:zlib";
import { atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { exactEq } from "../../terms/compare.ts";
import {
  decodeExternalTerm,
  decodeExternalTermAt,
  EtfError,
  encodeExternalTerm,
} from "../../terms/etf.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray, listLength } from "../../terms/list.ts";
import { MapTerm } from "../../terms/map.ts";
import { Cons, ExportFun, Float, Fun, NIL, Pid, Ref, type Term } from "../../terms/term.ts";
import { usingSystemZlib } from "../../terms/zlib-deflate.ts";
import { extra, fromHex, hasUnorderableMap, rows, term, toHex, unesc } from "./fixtures.ts";

// Some cases deflate, inflate or walk large terms: a fraction of a second when idle,
// seconds on a loaded machine.
setDefaultTimeout(60_000);

describe("etf_cases.expected", () => {
  const cases = rows("etf_cases.expected");
  test.each(cases.map((r, i) => [i + 1, r] as const))("case %d", (_, r) => {
    const [hex, hex2, w] = r;
    const t = term(hex!);
    expect(exactEq(term(hex2!), t)).toBe(true);
    // Large maps keyed by atoms iterate in node-specific order (docs/terms.md).
    if (hasUnorderableMap(t)) return;
    expect(toHex(encodeExternalTerm(t))).toBe(hex!);
    expect(toHex(encodeExternalTerm(term(hex2!), { minorVersion: 2 }))).toBe(hex2!);
    expect(formatW(t)).toBe(unesc(w!));
  });
});

describe("terms_extra etf lines", () => {
  const cases = extra("etf");
  test(`${cases.length} terms: plain, minor 2, decode of compressed`, () => {
    for (const [hex, hex2, comp, comp9, w] of cases) {
      const t = term(hex!);
      expect(toHex(encodeExternalTerm(t))).toBe(hex!);
      expect(toHex(encodeExternalTerm(t, { minorVersion: 2 }))).toBe(hex2!);
      expect(exactEq(term(comp!), t)).toBe(true);
      expect(exactEq(term(comp9!), t)).toBe(true);
      if (w !== "-") expect(formatW(t)).toBe(unesc(w!));
    }
  });
  // Compressed bytes are only reproducible with the same zlib OTP links against.
  test.if(usingSystemZlib())("compressed bytes equal OTP's", () => {
    for (const [hex, , comp, comp9] of cases) {
      const t = term(hex!);
      expect(toHex(encodeExternalTerm(t, { compressed: true }))).toBe(comp!);
      expect(toHex(encodeExternalTerm(t, { compressed: 9 }))).toBe(comp9!);
    }
  });
});

describe("tag choices", () => {
  const hex = (t: Term, minor?: 0 | 1 | 2) => toHex(encodeExternalTerm(t, { minorVersion: minor }));
  test("integers pick SMALL_INTEGER, INTEGER, SMALL_BIG, LARGE_BIG", () => {
    expect(hex(255)).toBe("8361ff");
    expect(hex(256)).toBe("836200000100");
    expect(hex(-1)).toBe("8362ffffffff");
    expect(hex(2 ** 31)).toBe("836e040000000080");
    expect(hex(-(2 ** 53) + 1)).toBe("836e0701ffffffffffff1f");
    expect(hex(2n ** 64n)).toBe("836e09000000000000000000" + "01");
    expect(hex(2n ** 2040n).slice(0, 12)).toBe("836f00000100");
  });
  test("minor version 0 writes floats as 31-byte text", () => {
    const text = "1.50000000000000000000e+00";
    const expected = `8363${Buffer.from(text).toString("hex")}${"00".repeat(31 - text.length)}`;
    expect(hex(new Float(1.5), 0)).toBe(expected);
    expect(decodeExternalTerm(fromHex(expected))).toEqual(new Float(1.5));
  });
  test("byte lists become STRING_EXT up to 65535 elements", () => {
    const bytes = (n: number) => listFromArray(Array.from({ length: n }, () => 97));
    expect(hex(bytes(65535)).slice(0, 8)).toBe("836bffff");
    expect(hex(bytes(65536)).slice(0, 12)).toBe("836c00010000");
    expect(hex(listFromArray([1, 2], 3))).toBe("836c000000026101610261" + "03");
  });
  test("atoms: latin1 ATOM_EXT by default, UTF-8 tags for minor 2 or wide text", () => {
    expect(hex(atom("é"))).toBe("83640001e9");
    expect(hex(atom("é"), 2)).toBe("837702c3a9");
    expect(hex(atom("Ω"))).toBe("837702cea9");
  });
  test("a bitstring keeps its trailing bits in the high end of the last byte", () => {
    expect(hex(new BitString(Uint8Array.of(0xff, 0b10100000), 0, 11))).toBe("834d0000000203ffa0");
    const unaligned = new BitString(Uint8Array.of(0x0f, 0xf0), 4, 8);
    expect(hex(unaligned)).toBe("836d00000001ff");
  });
  test("local pids, refs and funs use nonode@nohost", () => {
    const node = Buffer.from("nonode@nohost").toString("hex");
    expect(hex(new Pid(42, 0))).toBe(`835864000d${node}0000002a0000000000000000`);
    const back = decodeExternalTerm(encodeExternalTerm(new Pid(42, 7)));
    expect(back).toEqual(new Pid(42, 7));
    const r = new Ref((3n << 50n) | (2n << 18n) | 1n);
    expect(formatW(decodeExternalTerm(encodeExternalTerm(r)))).toBe("#Ref<0.3.2.1>");
    const f = new ExportFun(atom("lists"), atom("map"), 2);
    expect(decodeExternalTerm(encodeExternalTerm(f))).toEqual(f);
  });
  test("NEW_FUN_EXT round-trips module, index, uniq, md5 and env", () => {
    const md5 = Uint8Array.from({ length: 16 }, (_, i) => i);
    const f = new Fun(atom("m"), atom("f"), 1, 3, 12345, [1, atom("x")], 12345, new Pid(9), md5);
    const g = decodeExternalTerm(encodeExternalTerm(f)) as Fun;
    expect(g).toBeInstanceOf(Fun);
    expect([g.module, g.index, g.uniq, g.arity, g.md5]).toEqual([atom("m"), 3, 12345, 1, md5]);
    expect(g.env).toEqual([1, atom("x")]);
    expect(toHex(encodeExternalTerm(g))).toBe(toHex(encodeExternalTerm(f)));
  });
});

describe("decoding", () => {
  test("decodeExternalTermAt reports where the term ended; trailing bytes are ignored", () => {
    const bytes = fromHex("8361016162");
    expect(decodeExternalTermAt(bytes, 0)).toEqual({ term: 1, end: 3 });
    expect(decodeExternalTerm(bytes)).toBe(1);
  });
  test("LIST_EXT with no elements is its tail; map pairs arrive in any order", () => {
    expect(decodeExternalTerm(fromHex("836c000000006101"))).toBe(1);
    const m = decodeExternalTerm(
      fromHex("837400000002" + "6102" + "6102" + "6101" + "6101"),
    ) as MapTerm;
    expect(m).toBeInstanceOf(MapTerm);
    expect(m.keys).toEqual([1, 2]);
  });
  test("big numbers in the safe range normalise to JS numbers", () => {
    expect(decodeExternalTerm(fromHex("836e0100" + "05"))).toBe(5);
    expect(decodeExternalTerm(fromHex("836e080000000000000000" + "01"))).toBe(2n ** 56n);
    expect(decodeExternalTerm(fromHex("836e0201ffff"))).toBe(-65535);
  });
  test("safe mode refuses unknown atoms", () => {
    const name = `never_seen_${Date.now()}`;
    const bytes = Uint8Array.from([131, 119, name.length, ...Buffer.from(name)]);
    expect(() => decodeExternalTerm(bytes, { safe: true })).toThrow(EtfError);
    expect(decodeExternalTerm(fromHex("836400026f6b"), { safe: true })).toBe(atom("ok"));
  });
  test("a 200k-deep nested list decodes without recursion", () => {
    const depth = 200_000;
    const bytes = new Uint8Array(1 + depth * 6 + 1 + depth);
    bytes[0] = 131;
    let p = 1;
    for (let i = 0; i < depth; i++) {
      bytes.set([108, 0, 0, 0, 1], p);
      p += 5;
    }
    bytes[p++] = 106;
    for (let i = 0; i < depth; i++) bytes[p++] = 106;
    let t = decodeExternalTerm(bytes.subarray(0, p));
    let n = 0;
    while (t instanceof Cons) {
      t = t.head;
      n++;
    }
    expect(n).toBe(depth);
    expect(t).toBe(NIL);
  });
});

describe("malformed input", () => {
  const bad = (hex: string) => expect(() => decodeExternalTerm(fromHex(hex))).toThrow(EtfError);
  test("the usual suspects", () => {
    bad(""); // empty
    bad("82610"); // wrong version
    bad("83"); // no term
    bad("83ff"); // unknown tag
    bad("836200"); // truncated INTEGER_EXT
    bad("834d00000000" + "03"); // BIT_BINARY with no bytes but bits
    bad("834d00000001" + "00ff"); // zero bits in the last byte
    bad("8346" + "7ff0000000000000"); // +inf
    bad("8363" + Buffer.from("1").toString("hex") + "00".repeat(30)); // float text without a dot
    bad("837702c328"); // invalid UTF-8 atom
    bad("8374000000026101610161016102"); // duplicate map key
    // (A bignum sign byte other than 0/1 is not malformed: OTP reads any non-zero
    // sign as negative; fixtures/conformance/sem_b2t.erl records it.)
    bad("83716400016164000162640001" + "63"); // EXPORT arity as an atom
    bad("835a0006640000000000000001"); // NEWER_REFERENCE with 6 words
  });
  test("counts larger than the input fail before allocating", () => {
    bad("8368ff"); // 255-tuple, nothing follows
    bad("8369ffffffff"); // 4G-tuple
    bad("836cffffffff6a"); // 4G-element list
    bad("8374ffffffff"); // 4G-pair map
    bad("836fffffffff00"); // 4G-byte bignum
    bad("836dffffffff"); // 4G-byte binary
    bad("837000ffffff"); // NEW_FUN larger than the input
  });
  test("every truncation of every recorded term fails cleanly", () => {
    for (const [hex] of rows("etf_cases.expected")) {
      const bytes = fromHex(hex!);
      for (let n = 0; n < bytes.length; n++) {
        expect(() => decodeExternalTerm(bytes.subarray(0, n))).toThrow(EtfError);
      }
    }
  });
  test("random corruption throws EtfError or decodes, nothing else", () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const corpus = rows("etf_cases.expected").map((r) => fromHex(r[0]!));
    for (let i = 0; i < 20_000; i++) {
      const src = corpus[rnd() % corpus.length]!;
      const b = src.slice();
      for (let k = 1 + (rnd() % 3); k > 0; k--) b[1 + (rnd() % (b.length - 1 || 1))] = rnd() & 0xff;
      try {
        decodeExternalTerm(b);
      } catch (e) {
        expect(e).toBeInstanceOf(EtfError);
      }
    }
  });
});

describe("compressed input", () => {
  const wrap = (declared: number, body: Uint8Array) => {
    const z = deflateSync(body);
    const out = new Uint8Array(6 + z.length);
    out.set([131, 80]);
    new DataView(out.buffer).setUint32(2, declared);
    out.set(z, 6);
    return out;
  };
  test("round trip", () => {
    const t = listFromArray(Array.from({ length: 1000 }, (_, i) => i));
    const c = encodeExternalTerm(t, { compressed: true });
    expect(c[1]).toBe(80);
    expect(listLength(decodeExternalTerm(c))).toBe(1000);
  });
  test("a bomb inflating past its declared size is refused", () => {
    const body = new Uint8Array(50_000_000);
    body[0] = 109; // BINARY_EXT header claiming 0 bytes, then zeros
    const bomb = wrap(10, body);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodeExternalTerm(bomb)).toThrow(EtfError);
  });
  test("a declared size above the ceiling is refused before inflating", () => {
    const small = wrap(2 ** 31, Uint8Array.of(106));
    expect(() => decodeExternalTerm(small)).toThrow(EtfError);
    expect(() => decodeExternalTerm(wrap(1, Uint8Array.of(106)), { maxInflatedSize: 0 })).toThrow(
      EtfError,
    );
  });
  test("size mismatch and garbage are errors", () => {
    expect(() => decodeExternalTerm(wrap(5, Uint8Array.of(106)))).toThrow(EtfError);
    expect(() => decodeExternalTerm(fromHex("835000000005deadbeef"))).toThrow(EtfError);
    expect(decodeExternalTerm(wrap(1, Uint8Array.of(106)))).toBe(NIL);
  });
});

describe("performance", () => {
  // No stopwatch (a limit in ms passes or fails with the machine's load): the
  // size is what guards against quadratic work. Linear encoding and decoding
  // of 200k tuples (1M terms) take well under a second; a quadratic pass
  // would need hours, far past this test's timeout.
  test("encode and decode 1M-element structures without quadratic work", () => {
    const items = Array.from(
      { length: 200_000 },
      (_, i) => [i, atom("ok"), new Float(i / 3)] as Term,
    );
    const t = listFromArray(items);
    const bytes = encodeExternalTerm(t);
    const back = decodeExternalTerm(bytes);
    expect(listLength(back)).toBe(200_000);
    expect(exactEq(back, t)).toBe(true);
  }, 60_000);
});
