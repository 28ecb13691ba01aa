/**
 * json (OTP 27) natives. OTP 25 cannot record these, so expectations come
 * from the OTP 27 reference documentation of json:decode/1,3 and encode/1
 * (maps with binary keys, `null`, the error terms, first duplicate key wins,
 * `1e5` read as a float, escapes as \uXXXX with upper-case hex).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../../terms/atom.ts";
import { binaryFromBytes, binaryFromString } from "../../../terms/binary.ts";
import { formatW } from "../../../terms/format.ts";
import { listFromArray } from "../../../terms/list.ts";
import { mapFromPairs } from "../../../terms/map.ts";
import { Float, type Term } from "../../../terms/term.ts";
import { ErlangError } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const b = (s: string) => binaryFromString(s);
const dec = (s: string | Uint8Array) =>
  formatW(call("json:decode", typeof s === "string" ? b(s) : binaryFromBytes(s)));
const decErr = (s: string | Uint8Array): string => {
  try {
    call("json:decode", typeof s === "string" ? b(s) : binaryFromBytes(s));
  } catch (e) {
    if (e instanceof ErlangError) return formatW(e.reason);
    throw e;
  }
  return "no error";
};
const enc = (t: Term) =>
  new TextDecoder().decode((call("json:encode", t) as { bytes(): Uint8Array }).bytes());

describe("json:decode/1", () => {
  test("values", () => {
    expect(dec('{"foo": 1}')).toBe("#{<<102,111,111>> => 1}");
    expect(dec("[1, 2.5, -3, 1e2, 1.5E-1, 0]")).toBe("[1,2.5,-3,100.0,0.15,0]");
    expect(dec("true")).toBe("true");
    expect(dec(" null ")).toBe("null");
    expect(dec('"a\\nb\\u00e9\\ud83d\\ude00"')).toBe("<<97,10,98,195,169,240,159,152,128>>");
    expect(dec("123")).toBe("123");
    expect(dec("123456789012345678901234567890")).toBe("123456789012345678901234567890");
    expect(dec('{"a":1,"a":2}')).toBe("#{<<97>> => 1}");
    expect(dec("[]")).toBe("[]");
    expect(dec("{}")).toBe("#{}");
    expect(dec('"\\/"')).toBe("<<47>>");
  });
  test("errors", () => {
    expect(decErr("")).toBe("unexpected_end");
    expect(decErr("[1,")).toBe("unexpected_end");
    expect(decErr('"abc')).toBe("unexpected_end");
    expect(decErr("tru")).toBe("unexpected_end");
    expect(decErr("[1,]")).toBe("{invalid_byte,93}");
    expect(decErr("01")).toBe("{invalid_byte,49}");
    expect(decErr("{a:1}")).toBe("{invalid_byte,97}");
    expect(decErr("1 2")).toBe("{invalid_byte,50}");
    expect(decErr('"\\x"')).toBe("{invalid_byte,120}");
    expect(decErr('"a\tb"')).toBe("{invalid_byte,9}");
    expect(decErr(Uint8Array.from([34, 0xff, 34]))).toBe("{invalid_byte,255}");
    // A high surrogate cut short: the end counts if it is within the rest of an escape.
    expect(decErr('"\\ud800"')).toBe("unexpected_end");
    expect(decErr('"\\ud800abcdef"')).toBe("{invalid_byte,97}");
    expect(decErr('"\\udc00"')).toBe("{unexpected_sequence,<<92,117,100,99,48,48>>}");
    expect(decErr('"\\u12g4"')).toBe("{unexpected_sequence,<<92,117,49,50,103,52>>}");
    expect(decErr('"\\ud800\\u0041"')).toBe(
      "{unexpected_sequence,<<92,117,100,56,48,48,92,117,48,48,52,49>>}",
    );
    expect(decErr("1e400")).toBe("{unexpected_sequence,<<49,46,48,101,52,48,48>>}");
    expect(decErr("truex")).toBe("{invalid_byte,120}");
    // OTP reports the byte after the first letter of a broken keyword.
    expect(decErr("truxx")).toBe("{invalid_byte,114}");
    expect(decErr("trux")).toBe("unexpected_end");
    expect(decErr("-")).toBe("unexpected_end");
    expect(decErr("-a")).toBe("{invalid_byte,97}");
  });
});

describe("json encoding", () => {
  test("encode/1", () => {
    const m = mapFromPairs([
      [atom("foo"), b("bar")],
      [b("list"), listFromArray([1, new Float(2.5), atom("null"), atom("true"), atom("x")])],
      [3, mapFromPairs([])],
    ]);
    expect(enc(m)).toBe('{"3":{},"foo":"bar","list":[1,2.5,null,true,"x"]}');
    expect(enc(b('q"\\\n\u0001/é'))).toBe('"q\\"\\\\\\n\\u0001/é"');
    expect(enc(listFromArray([]))).toBe("[]");
  });
  test("scalars", () => {
    const txt = (t: Term) => new TextDecoder().decode((t as { bytes(): Uint8Array }).bytes());
    expect(txt(call("json:encode_integer", 42))).toBe("42");
    expect(txt(call("json:encode_float", new Float(1.0)))).toBe("1.0");
    expect(txt(call("json:encode_float", new Float(0.1)))).toBe("0.1");
    expect(txt(call("json:encode_binary", b("a\u001fb")))).toBe('"a\\u001Fb"');
    expect(txt(call("json:encode_binary_escape_all", b("é😀")))).toBe('"\\u00E9\\uD83D\\uDE00"');
  });
  test("encode errors", () => {
    const err = (t: Term) => {
      try {
        call("json:encode", t);
      } catch (e) {
        if (e instanceof ErlangError) return formatW(e.reason);
      }
      return "no error";
    };
    expect(err([1, 2])).toBe("{unsupported_type,{1,2}}");
    expect(err(binaryFromBytes(Uint8Array.from([0xff])))).toBe("{invalid_byte,255}");
    expect(err(binaryFromBytes(Uint8Array.from([0xc3])))).toBe("unexpected_end");
  });
  test("round trip", () => {
    const src = '{"a":[1,2,{"b":null}],"c":"d"}';
    const t = call("json:decode", b(src));
    expect(enc(t)).toBe(src);
  });
});
