/**
 * `bs_create_bin` errors: reason and `{Segment, Type, Problem, Value}` cause
 * for each case, as OTP 25 reports them in the frame's error_info (recorded
 * with real erl). Also the check order: every explicit size first, then the
 * type of `all`-sized binaries, then each segment in order.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Operand } from "../../loader/module.ts";
import { atom } from "../../terms/atom.ts";
import { Float, type Term } from "../../terms/term.ts";
import { BsConstructError } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  A,
  atomList,
  bin,
  bits,
  exec,
  F,
  FAIL,
  I,
  L,
  LIT,
  NILOP,
  NOFAIL,
  S,
  U,
  w,
  X,
  x,
} from "./binaries-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** A segment: type, segment number, unit, flags, value, size. */
function seg(
  type: string,
  n: number,
  unit: number,
  src: Operand,
  size: Operand,
  flags: Operand = NILOP,
): Operand[] {
  return [A(type), U(n), U(unit), flags, src, size];
}

/** Runs `bs_create_bin` into X0; an append's unit doubles as the instruction's Unit, as the compiler writes it. */
function create(segments: Operand[][], fail: Operand = NOFAIL): number {
  const first = segments[0]!;
  const unit = first[0]!.kind === "atom" && first[0]!.value.name === "append" ? first[2]! : U(1);
  return exec("bs_create_bin", [fail, U(0), U(4), unit, X(0), L(...segments.flat())]);
}

function causeOf(segments: Operand[][]): string {
  try {
    create(segments);
  } catch (e) {
    if (e instanceof BsConstructError) return `${w(e.reason)} ${w(e.bsCause)}`;
    throw e;
  }
  return "no error";
}

describe("bs_create_bin error causes", () => {
  const cases: [string, Term[], Operand[][], string][] = [
    [
      "<<X:8>>, X = a",
      [atom("a")],
      [seg("integer", 1, 1, X(1), I(8))],
      "badarg {1,integer,type,a}",
    ],
    ["<<1:S>>, S = -1", [1, -1], [seg("integer", 1, 1, X(1), X(2))], "badarg {1,integer,size,-1}"],
    [
      "<<1:S>>, S = a",
      [1, atom("a")],
      [seg("integer", 1, 1, X(1), X(2))],
      "badarg {1,integer,size,a}",
    ],
    [
      "<<1:S>>, S = 1.0",
      [1, new Float(1)],
      [seg("integer", 1, 1, X(1), X(2))],
      "badarg {1,integer,size,1.0}",
    ],
    [
      "<<1.5:8>>",
      [new Float(1.5)],
      [seg("integer", 1, 1, X(1), I(8))],
      "badarg {1,integer,type,1.5}",
    ],
    [
      "<<F:24/float>>",
      [new Float(1), 24],
      [seg("float", 1, 1, X(1), X(2))],
      "badarg {1,float,invalid,24}",
    ],
    [
      "<<F:S/float>>, S = a",
      [new Float(1), atom("a")],
      [seg("float", 1, 1, X(1), X(2))],
      "badarg {1,float,size,a}",
    ],
    [
      "<<(1 bsl 1100):64/float>>",
      [1n << 1100n],
      [seg("float", 1, 1, X(1), I(64))],
      `badarg {1,float,no_float,${1n << 1100n}}`,
    ],
    [
      "<<B/binary>>, B = <<1:3>>",
      [bits([32], 3)],
      [seg("binary", 1, 8, X(1), A("all"))],
      "badarg {1,binary,unit,<<1:3>>}",
    ],
    [
      "<<B:3/binary>>, B = <<1,2>>",
      [bin(1, 2), 3],
      [seg("binary", 1, 8, X(1), X(2))],
      "badarg {1,binary,short,<<1,2>>}",
    ],
    [
      "<<B/binary>>, B = a",
      [atom("a")],
      [seg("binary", 1, 8, X(1), A("all"))],
      "badarg {1,binary,type,a}",
    ],
    [
      "<<C/utf8>>, C = 16#110000",
      [0x110000],
      [seg("utf8", 1, 0, X(1), A("undefined"))],
      "badarg {1,utf8,type,1114112}",
    ],
    [
      "<<C/utf8>>, C = 16#D800",
      [0xd800],
      [seg("utf8", 1, 0, X(1), A("undefined"))],
      "badarg {1,utf8,type,55296}",
    ],
    [
      "<<C/utf16>>, C = a",
      [atom("a")],
      [seg("utf16", 1, 0, X(1), A("undefined"))],
      "badarg {1,utf16,type,a}",
    ],
    [
      "<<C/utf32>>, C = -1",
      [-1],
      [seg("utf32", 1, 0, X(1), A("undefined"))],
      "badarg {1,utf32,type,-1}",
    ],
    [
      "<<1:(1 bsl 60)>>",
      [1, 1n << 60n],
      [seg("integer", 1, 1, X(1), X(2))],
      "system_limit {1,integer,size,1152921504606846976}",
    ],
    [
      "<<1:(1 bsl 70)>>",
      [1, 1n << 70n],
      [seg("integer", 1, 1, X(1), X(2))],
      "system_limit {1,integer,size,1180591620717411303424}",
    ],
    [
      "<<B:(1 bsl 70)/binary>>",
      [bin(1, 2), 1n << 70n],
      [seg("binary", 1, 8, X(1), X(2))],
      "system_limit {1,binary,size,1180591620717411303424}",
    ],
    // Sizes are checked for every segment before any value.
    [
      "<<a:8, 1:(-1)>>",
      [atom("a"), -1],
      [seg("integer", 1, 1, X(1), I(8)), seg("integer", 2, 1, X(2), X(2))],
      "badarg {2,integer,size,-1}",
    ],
    [
      "<<a/binary, 1:(-1)>>",
      [atom("a"), -1],
      [seg("binary", 1, 8, X(1), A("all")), seg("integer", 2, 1, X(2), X(2))],
      "badarg {2,integer,size,-1}",
    ],
    // Then the type of `all` binaries, then everything else in order.
    [
      "<<a:8, a/binary>>",
      [atom("a")],
      [seg("integer", 1, 1, X(1), I(8)), seg("binary", 2, 8, X(1), A("all"))],
      "badarg {2,binary,type,a}",
    ],
    [
      "<<a:8, a/utf8>>",
      [atom("a")],
      [seg("integer", 1, 1, X(1), I(8)), seg("utf8", 2, 0, X(1), A("undefined"))],
      "badarg {1,integer,type,a}",
    ],
    [
      "<<a/utf8, <<1:3>>/binary>>",
      [atom("a"), bits([32], 3)],
      [seg("utf8", 1, 0, X(1), A("undefined")), seg("binary", 2, 8, X(2), A("all"))],
      "badarg {1,utf8,type,a}",
    ],
    [
      "<<1:8, a:8>>",
      [1, atom("a")],
      [seg("integer", 1, 1, X(1), I(8)), seg("integer", 2, 1, X(2), I(8))],
      "badarg {2,integer,type,a}",
    ],
    [
      "<<Acc/binary, 1>>, Acc = <<1:3>>",
      [bits([32], 3)],
      [seg("append", 1, 8, X(1), A("all")), seg("integer", 2, 1, I(1), I(8))],
      "badarg {1,binary,unit,<<1:3>>}",
    ],
    [
      "<<Acc/binary, a:8>>, Acc = a",
      [atom("a")],
      [seg("append", 1, 8, X(1), A("all")), seg("integer", 2, 1, X(1), I(8))],
      "badarg {1,binary,type,a}",
    ],
  ];
  for (const [name, regs, segments, expected] of cases) {
    test(name, () => {
      regs.forEach((v, i) => {
        x[i + 1] = v;
      });
      const got = causeOf(segments);
      expect(got).toBe(expected);
    });
  }

  test("error_info term", () => {
    x[1] = atom("a");
    try {
      create([seg("integer", 1, 1, X(1), I(8))]);
    } catch (e) {
      expect(e).toBeInstanceOf(BsConstructError);
      expect(w((e as BsConstructError).errorInfo())).toBe(
        "{error_info,#{cause => {1,integer,type,a},function => format_bs_fail,module => erl_erts_errors}}",
      );
    }
  });

  test("a fail label turns the error into a jump", () => {
    x[1] = atom("a");
    expect(create([seg("integer", 1, 1, X(1), I(8))], F)).toBe(FAIL);
    x[1] = 7;
    expect(create([seg("integer", 1, 1, X(1), I(8))], F)).toBe(11);
    expect(w(x[0])).toBe("<<7>>");
  });

  test("flags as a literal list, native = little", () => {
    x[1] = -2;
    create([seg("integer", 1, 1, X(1), I(12), LIT(atomList("native", "signed")))]);
    expect(w(x[0])).toBe("<<254,15:4>>");
  });

  test("string segment from the string table", () => {
    create([
      seg("integer", 1, 1, I(1), I(4)),
      [A("string"), U(0), U(8), NILOP, S([120, 121]), I(2)],
      seg("integer", 3, 1, I(2), I(4)),
    ]);
    expect(w(x[0])).toBe("<<23,135,146>>");
  });
});
