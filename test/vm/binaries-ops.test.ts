/**
 * Binary instructions OTP 25 cannot emit, built from hand-written operands:
 * OTP 26+ `bs_match` with every command, the pre-OTP 22 matching family
 * (`bs_start_match2`, `bs_save2`/`bs_restore2`, `bs_context_to_binary`) and
 * the pre-OTP 25 construction family (`bs_init2`, `bs_init_writable`...).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Operand } from "../../loader/module.ts";
import { atom } from "../../terms/atom.ts";
import type { BitString } from "../../terms/binary.ts";
import { Float } from "../../terms/term.ts";
import {
  ctxTerm,
  ErlangError,
  MatchContext,
  matchContextBitSize,
  matchContextByteSize,
} from "../../vm/index.ts";
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

/** Puts a fresh match context over `b` in X1. */
function startCtx(b: BitString): MatchContext {
  const m = new MatchContext(b);
  x[1] = ctxTerm(m);
  return m;
}

function bsMatch(...commands: Operand[]): number {
  return exec("bs_match", [F, X(1), L(...commands)]);
}

describe("bs_match", () => {
  test("ensure_at_least, integer with flags, get_tail", () => {
    const m = startCtx(bin(200, 0xfe, 0xff, 7, 8));
    const next = bsMatch(
      A("ensure_at_least"),
      U(24),
      U(8),
      A("integer"),
      U(2),
      NILOP,
      U(8),
      U(1),
      X(2),
      A("integer"),
      U(3),
      LIT(atomList("little", "signed")),
      U(16),
      U(1),
      X(3),
      A("get_tail"),
      U(4),
      U(8),
      X(4),
    );
    expect(next).toBe(11);
    expect([x[2], x[3], w(x[4])]).toEqual([200, -2, "<<7,8>>"]);
    expect(m.pos).toBe(24); // get_tail does not move
    expect(matchContextBitSize(m)).toBe(16);
    expect(matchContextByteSize(m)).toBe(2);
  });

  test("ensure_at_least checks the unit of what is left", () => {
    startCtx(bits([1, 2, 3], 20));
    expect(bsMatch(A("ensure_at_least"), U(8), U(8))).toBe(FAIL);
    startCtx(bits([1, 2, 3], 20));
    expect(bsMatch(A("ensure_at_least"), U(4), U(8))).toBe(11);
    startCtx(bits([1], 4));
    expect(bsMatch(A("ensure_at_least"), U(8), U(1))).toBe(FAIL);
  });

  test("ensure_exactly", () => {
    startCtx(bin(1, 2));
    expect(bsMatch(A("ensure_exactly"), U(16))).toBe(11);
    startCtx(bin(1, 2));
    expect(bsMatch(A("ensure_exactly"), U(8))).toBe(FAIL);
  });

  test("=:= and skip at odd offsets", () => {
    // <<5:3, _:2, 9:4, Rest/bits>> against <<0b10111100, 0b10000000>>
    const b = bin(0b10100100, 0b11000000);
    startCtx(b);
    // beam_asm encodes the =:= value untagged (U); a tagged integer (I) works too.
    expect(
      bsMatch(
        A("ensure_at_least"),
        U(9),
        U(1),
        A("=:="),
        NILOP,
        U(3),
        U(5),
        A("skip"),
        U(2),
        A("=:="),
        NILOP,
        U(4),
        I(9),
      ),
    ).toBe(11);
    startCtx(b);
    expect(bsMatch(A("=:="), NILOP, U(3), I(4))).toBe(FAIL);
  });

  test("binary command shares storage", () => {
    const b = bin(1, 2, 3, 4);
    startCtx(b);
    expect(
      bsMatch(
        A("ensure_exactly"),
        U(32),
        A("skip"),
        U(4),
        A("binary"),
        U(2),
        NILOP,
        U(3),
        U(8),
        X(2),
      ),
    ).toBe(11);
    const sub = x[2] as BitString;
    expect(sub.buf).toBe(b.buf);
    expect(w(sub)).toBe("<<16,32,48>>");
  });

  test("a step past the end fails instead of reading garbage", () => {
    startCtx(bin(1));
    expect(bsMatch(A("integer"), U(2), NILOP, U(16), U(1), X(2))).toBe(FAIL);
  });

  test("wide integers and flag words", () => {
    startCtx(bin(255, 255, 255, 255, 255, 255, 255, 255, 255));
    expect(bsMatch(A("integer"), U(2), U(4), U(72), U(1), X(2))).toBe(11);
    expect(x[2]).toBe(-1);
  });
});

describe("old matching family", () => {
  test("bs_start_match2, save/restore, context_to_binary", () => {
    x[0] = bin(1, 2, 3, 4);
    expect(exec("bs_start_match2", [F, X(0), U(1), U(2), X(1)])).toBe(11);
    const m = x[1] as unknown as MatchContext;
    expect(m).toBeInstanceOf(MatchContext);
    expect(exec("bs_skip_bits2", [F, X(1), I(8), U(1), U(0)])).toBe(11);
    exec("bs_save2", [X(1), U(0)]);
    expect(exec("bs_get_integer2", [F, X(1), U(2), I(2), U(8), U(0), X(2)])).toBe(11);
    expect(x[2]).toBe(0x0203);
    exec("bs_restore2", [X(1), U(0)]);
    expect(exec("bs_get_integer2", [F, X(1), U(2), I(8), U(1), U(0), X(2)])).toBe(11);
    expect(x[2]).toBe(2);
    exec("bs_restore2", [X(1), A("start")]);
    expect(m.pos).toBe(0);
    exec("bs_skip_bits2", [F, X(1), I(16), U(1), U(0)]);
    exec("bs_context_to_binary", [X(1)]);
    expect(w(x[1])).toBe("<<1,2,3,4>>");
  });

  test("start_match on a non-binary fails; on a context resumes it", () => {
    x[0] = atom("a");
    expect(exec("bs_start_match3", [F, X(0), U(1), X(1)])).toBe(FAIL);
    const m = startCtx(bin(1, 2));
    m.pos = 8;
    x[0] = x[1]!;
    expect(exec("bs_start_match4", [A("resume"), U(1), X(0), X(2)])).toBe(11);
    expect(x[2]).toBe(x[0]);
    exec("bs_get_tail", [X(2), X(3), U(3)]);
    expect(w(x[3])).toBe("<<2>>");
  });

  test("position, test_tail2, test_unit, match_string", () => {
    startCtx(bits([0b10101010, 0b11110000], 12));
    exec("bs_get_position", [X(1), X(2), U(3)]);
    expect(exec("bs_match_string", [F, X(1), U(3), S([0b10100000])])).toBe(11);
    expect(exec("bs_test_unit", [F, X(1), U(3)])).toBe(11);
    expect(exec("bs_test_tail2", [F, X(1), U(9)])).toBe(11);
    expect(exec("bs_test_tail2", [F, X(1), U(8)])).toBe(FAIL);
    exec("bs_set_position", [X(1), X(2)]);
    expect(exec("bs_match_string", [F, X(1), U(3), S([0b11100000])])).toBe(FAIL);
    expect(exec("bs_match_string", [F, X(1), U(12), S([0b10101010, 0b11110000])])).toBe(11);
  });

  test("get_binary2 all with unit, get_float2, utf skips", () => {
    startCtx(bits([0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xe2, 0x82, 0xac, 0xff], 96));
    expect(exec("bs_get_float2", [F, X(1), U(2), I(64), U(1), U(0), X(2)])).toBe(11);
    expect(w(x[2])).toBe("1.0");
    expect(exec("bs_skip_utf8", [F, X(1), U(2), U(0)])).toBe(11);
    expect(exec("bs_get_binary2", [F, X(1), U(2), A("all"), U(16), U(0), X(3)])).toBe(FAIL);
    expect(exec("bs_get_binary2", [F, X(1), U(2), A("all"), U(8), U(0), X(3)])).toBe(11);
    expect(w(x[3])).toBe("<<255>>");
  });
});

describe("old construction family", () => {
  test("bs_init2, puts, bs_add, utf sizes", () => {
    x[5] = 0x20ac;
    exec("bs_utf8_size", [NOFAIL, X(5), X(6)]);
    expect(x[6]).toBe(3);
    exec("bs_utf16_size", [NOFAIL, X(5), X(7)]);
    expect(x[7]).toBe(2);
    x[8] = 1;
    exec("bs_add", [NOFAIL, X(6), X(8), U(2), X(9)]);
    expect(x[9]).toBe(5);
    x[8] = -1;
    expect(exec("bs_add", [F, X(6), X(8), U(2), X(9)])).toBe(FAIL);
    exec("bs_init2", [NOFAIL, I(7), U(0), U(0), U(0), X(0)]);
    exec("bs_put_integer", [NOFAIL, I(16), U(1), U(2), I(0x1234)]);
    exec("bs_put_utf8", [NOFAIL, U(0), X(5)]);
    exec("bs_put_string", [U(1), S([0x41])]);
    x[4] = bits([0xf0], 4);
    exec("bs_put_binary", [NOFAIL, A("all"), U(1), U(0), X(4)]);
    exec("bs_put_integer", [NOFAIL, I(4), U(1), U(0), I(5)]);
    expect(w(x[0])).toBe("<<52,18,226,130,172,65,245>>");
  });

  test("bs_init_writable + bs_private_append grow in place", () => {
    x[0] = 16;
    exec("bs_init_writable", []);
    let acc = x[0] as BitString;
    for (let i = 0; i < 100; i++) {
      x[1] = acc;
      exec("bs_private_append", [NOFAIL, I(8), U(1), X(1), U(0), X(2)]);
      exec("bs_put_integer", [NOFAIL, I(8), U(1), U(0), I(i)]);
      acc = x[2] as BitString;
    }
    expect(acc.size).toBe(800);
    expect(acc.byteAt(99)).toBe(99);
    expect(acc.grow).not.toBeNull();
  });

  test("bs_append checks the base unit; bs_put_float checks the size", () => {
    x[1] = bits([0x20], 3);
    expect(() => exec("bs_append", [NOFAIL, I(8), U(0), U(2), U(8), X(1), U(0), X(2)])).toThrow(
      ErlangError,
    );
    exec("bs_init_bits", [NOFAIL, I(24), U(0), U(0), U(0), X(0)]);
    expect(exec("bs_put_float", [F, I(24), U(1), U(0), LIT(new Float(1))])).toBe(FAIL);
  });
});
