/**
 * Binary construction and matching.
 *
 * 1. Differential: fixtures/vm/bin_*.erl run on our VM must give what real
 *    erl (OTP 25) recorded in bin_*.expected. bin_construct exercises
 *    `bs_create_bin`, bin_match the OTP 25 matching family, bin_old (compiled
 *    with `r24`) the pre-OTP 25 construction instructions.
 * 2. Error causes of `bs_create_bin`, recorded from erl, checked on the
 *    handler directly (the error_info is not in the stack trace yet).
 * 3. Instructions OTP 25 cannot emit (`bs_match`, `bs_start_match2`,
 *    `bs_save2`/`bs_restore2`, `bs_context_to_binary`, `bs_init2`), built
 *    from hand-written operands against a fake compile context.
 * 4. The bit helpers and a linear-time append sanity check.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Operand } from "../../loader/module.ts";
import { createRuntime } from "../../nifs/index.ts";
import { ManualClock } from "../../vm/clock.ts";
import { ErlangError } from "../../vm/errors.ts";
import { BsConstructError } from "../../vm/interp/bits/bs-error.ts";
import { readFloat, writeFloat } from "../../vm/interp/bits/float-bits.ts";
import { readInt, writeInt } from "../../vm/interp/bits/int-bits.ts";
import {
  ctxTerm,
  MatchContext,
  matchContextBitSize,
  matchContextByteSize,
} from "../../vm/interp/bits/match-context.ts";
import { decodeUtf8, decoded } from "../../vm/interp/bits/utf.ts";
import type { CompileCtx } from "../../vm/interp/context.ts";
import { binaryOps } from "../../vm/interp/ops/binaries.ts";
import { unknownOpNames } from "../../vm/interp/ops/index.ts";
import type { Runtime } from "../../vm/runtime.ts";
import { defineNatives, type NativeFn } from "../../vm/native.ts";
import { Process } from "../../vm/process/process.ts";
import { atom, bool } from "../../vm/terms/atom.ts";
import { BitString, binaryFromBytes } from "../../vm/terms/binary.ts";
import { formatW } from "../../vm/terms/format.ts";
import { listLength } from "../../vm/terms/list.ts";
import { Cons, Float, NIL, Pid, type Term } from "../../vm/terms/term.ts";
import { VM } from "../../vm/vm.ts";

// ---------------------------------------------------------------------------
// 1. Fixtures against real erl
// ---------------------------------------------------------------------------

const DIR = join(import.meta.dir, "../../fixtures/vm");

/**
 * BIFs the fixtures use, registered only where the runtime lacks them (the
 * erlang natives are written in parallel); small-integer versions suffice.
 */
const small = (f: (a: number, b: number) => number): NativeFn => (_p, a, b) => f(a as number, b as number);
const FALLBACKS: Record<string, NativeFn> = {
  "bit_size/1": (_p, b) => (b instanceof BitString ? b.size : matchContextBitSize(b as unknown as MatchContext)),
  "byte_size/1": (_p, b) => (b instanceof BitString ? b.byteSize : matchContextByteSize(b as unknown as MatchContext)),
  "is_binary/1": (_p, b) => bool(b instanceof BitString && b.isBinary),
  "is_bitstring/1": (_p, b) => bool(b instanceof BitString),
  "length/1": (_p, l) => listLength(l),
  "+/2": small((a, b) => a + b),
  "-/2": small((a, b) => a - b),
  "*/2": small((a, b) => a * b),
  "bsr/2": small((a, b) => Math.floor(a / 2 ** b)),
  "band/2": small((a, b) => a & b),
};

function runtime(): Runtime {
  const rt = createRuntime({ clock: new ManualClock(), paths: [DIR], log: () => {} });
  const missing: Record<string, NativeFn> = {};
  for (const [key, fn] of Object.entries(FALLBACKS)) {
    const [name, arity] = key.split("/");
    if (!rt.vm.exports.lookup("erlang", name!, Number(arity)).isDefined) missing[key] = fn;
  }
  rt.vm.registerNatives(defineNatives("erlang", missing));
  return rt;
}

function outcomeLine(rt: Runtime, module: string, fn: string, args: Term[] = []): string {
  const o = rt.callSync(module, fn, args, 5_000_000);
  if (o.kind === "value") return `value\t${formatW(o.value)}`;
  if (o.kind === "timeout") return "timeout\t";
  return `${o.cls}\t${formatW(o.reason)}`;
}

for (const module of ["bin_construct", "bin_match", "bin_old"]) {
  describe(`fixture ${module}`, () => {
    const rt = runtime();
    const loaded = rt.code.loadFile(join(DIR, `${module}.beam`));
    test("loads without unsupported instructions", () => {
      expect(loaded.unsupported).toEqual([]);
    });
    const lines = readFileSync(join(DIR, `${module}.expected`), "utf8").split("\n").filter(Boolean);
    for (const line of lines) {
      const [fn, ...rest] = line.split("\t");
      test(fn!, () => {
        expect(outcomeLine(rt, module, fn!)).toBe(rest.join("\t"));
      });
    }
  });
}

test("100k <<Acc/binary, X>> appends complete (in-place growth)", () => {
  const rt = runtime();
  rt.code.loadFile(join(DIR, "bin_construct.beam"));
  const o = rt.callSync("bin_construct", "append_loop", [100_000, binaryFromBytes(new Uint8Array(0))], 50_000_000);
  expect(o.kind).toBe("value");
  const b = (o as { value: Term }).value as BitString;
  expect(b.size).toBe(800_000);
  expect(b.byteAt(0)).toBe(100_000 & 255);
  expect(b.byteAt(99_999)).toBe(1);
});

test("every binary op name is a real opcode", () => {
  expect(unknownOpNames()).toEqual([]);
});

// ---------------------------------------------------------------------------
// Handler harness: compile one instruction against a fake module context.
// Label operands carry their own pc, so a failed test returns that number.
// ---------------------------------------------------------------------------

const vm = new VM({ clock: new ManualClock(), log: () => {} });
const proc = new Process(vm, new Pid(1), null);
const x = vm.x;

const ctx: CompileCtx = {
  vm,
  module: atom("t"),
  labelPc: (o) => (o as { index: number }).index,
  pcOfIndex: (i) => i,
  importEntry: () => {
    throw new Error("no imports here");
  },
  funs: [],
  strings: new Uint8Array(0),
  pc: 0,
  fnName: atom("f"),
  fnArity: 0,
  literal: (v) => v,
};

const X = (n: number): Operand => ({ kind: "x", n, type: -1 });
const U = (value: number): Operand => ({ kind: "u", value });
const I = (value: number | bigint): Operand => ({ kind: "int", value });
const A = (name: string): Operand => ({ kind: "atom", value: atom(name) });
const FAIL = 99;
const F: Operand = { kind: "f", label: FAIL, index: FAIL };
const NOFAIL: Operand = { kind: "f", label: 0, index: -1 };
const NILOP: Operand = { kind: "nil" };
const L = (...items: Operand[]): Operand => ({ kind: "list", items });
const LIT = (value: Term): Operand => ({ kind: "literal", index: 0, value });
const S = (bytes: number[]): Operand => ({ kind: "string", offset: 0, bytes: new Uint8Array(bytes) });

/** Compiles and runs one instruction at pc 10; returns the next pc. */
function exec(op: string, args: Operand[]): number {
  const compile = binaryOps[op];
  if (!compile) throw new Error(`no compiler for ${op}`);
  return compile(ctx, args)(proc, 10);
}

const bin = (...bytes: number[]) => binaryFromBytes(new Uint8Array(bytes));
const bits = (bytes: number[], size: number) => new BitString(new Uint8Array(bytes), 0, size);
const w = (t: Term | undefined) => formatW(t as Term);
const atomList = (...names: string[]): Term =>
  names.reduceRight<Term>((tail, n) => new Cons(atom(n), tail), NIL);

// ---------------------------------------------------------------------------
// 2. bs_create_bin error causes (recorded from OTP 25's error_info)
// ---------------------------------------------------------------------------

/** A segment: type, segment number, unit, flags, value, size. */
function seg(type: string, n: number, unit: number, src: Operand, size: Operand, flags: Operand = NILOP): Operand[] {
  return [A(type), U(n), U(unit), flags, src, size];
}

function create(segments: Operand[][], fail: Operand = NOFAIL): number {
  return exec("bs_create_bin", [fail, U(0), U(4), U(1), X(0), L(...segments.flat())]);
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
    ["<<X:8>>, X = a", [atom("a")], [seg("integer", 1, 1, X(1), I(8))], "badarg {1,integer,type,a}"],
    ["<<1:S>>, S = -1", [1, -1], [seg("integer", 1, 1, X(1), X(2))], "badarg {1,integer,size,-1}"],
    ["<<1:S>>, S = a", [1, atom("a")], [seg("integer", 1, 1, X(1), X(2))], "badarg {1,integer,size,a}"],
    ["<<1:S>>, S = 1.0", [1, new Float(1)], [seg("integer", 1, 1, X(1), X(2))], "badarg {1,integer,size,1.0}"],
    ["<<1.5:8>>", [new Float(1.5)], [seg("integer", 1, 1, X(1), I(8))], "badarg {1,integer,type,1.5}"],
    ["<<F:24/float>>", [new Float(1), 24], [seg("float", 1, 1, X(1), X(2))], "badarg {1,float,invalid,24}"],
    ["<<F:S/float>>, S = a", [new Float(1), atom("a")], [seg("float", 1, 1, X(1), X(2))], "badarg {1,float,size,a}"],
    ["<<(1 bsl 1100):64/float>>", [1n << 1100n], [seg("float", 1, 1, X(1), I(64))], `badarg {1,float,no_float,${1n << 1100n}}`],
    ["<<B/binary>>, B = <<1:3>>", [bits([32], 3)], [seg("binary", 1, 8, X(1), A("all"))], "badarg {1,binary,unit,<<1:3>>}"],
    ["<<B:3/binary>>, B = <<1,2>>", [bin(1, 2), 3], [seg("binary", 1, 8, X(1), X(2))], "badarg {1,binary,short,<<1,2>>}"],
    ["<<B/binary>>, B = a", [atom("a")], [seg("binary", 1, 8, X(1), A("all"))], "badarg {1,binary,type,a}"],
    ["<<C/utf8>>, C = 16#110000", [0x110000], [seg("utf8", 1, 0, X(1), A("undefined"))], "badarg {1,utf8,type,1114112}"],
    ["<<C/utf8>>, C = 16#D800", [0xd800], [seg("utf8", 1, 0, X(1), A("undefined"))], "badarg {1,utf8,type,55296}"],
    ["<<C/utf16>>, C = a", [atom("a")], [seg("utf16", 1, 0, X(1), A("undefined"))], "badarg {1,utf16,type,a}"],
    ["<<C/utf32>>, C = -1", [-1], [seg("utf32", 1, 0, X(1), A("undefined"))], "badarg {1,utf32,type,-1}"],
    ["<<1:(1 bsl 60)>>", [1, 1n << 60n], [seg("integer", 1, 1, X(1), X(2))], "system_limit {1,integer,size,1152921504606846976}"],
    ["<<1:(1 bsl 70)>>", [1, 1n << 70n], [seg("integer", 1, 1, X(1), X(2))], "system_limit {1,integer,size,1180591620717411303424}"],
    ["<<B:(1 bsl 70)/binary>>", [bin(1, 2), 1n << 70n], [seg("binary", 1, 8, X(1), X(2))], "system_limit {1,binary,size,1180591620717411303424}"],
    // Sizes are checked for every segment before any value.
    ["<<a:8, 1:(-1)>>", [atom("a"), -1], [seg("integer", 1, 1, X(1), I(8)), seg("integer", 2, 1, X(2), X(2))], "badarg {2,integer,size,-1}"],
    ["<<a/binary, 1:(-1)>>", [atom("a"), -1], [seg("binary", 1, 8, X(1), A("all")), seg("integer", 2, 1, X(2), X(2))], "badarg {2,integer,size,-1}"],
    // Then the type of `all` binaries, then everything else in order.
    ["<<a:8, a/binary>>", [atom("a")], [seg("integer", 1, 1, X(1), I(8)), seg("binary", 2, 8, X(1), A("all"))], "badarg {2,binary,type,a}"],
    ["<<a:8, a/utf8>>", [atom("a")], [seg("integer", 1, 1, X(1), I(8)), seg("utf8", 2, 0, X(1), A("undefined"))], "badarg {1,integer,type,a}"],
    ["<<a/utf8, <<1:3>>/binary>>", [atom("a"), bits([32], 3)], [seg("utf8", 1, 0, X(1), A("undefined")), seg("binary", 2, 8, X(2), A("all"))], "badarg {1,utf8,type,a}"],
    ["<<1:8, a:8>>", [1, atom("a")], [seg("integer", 1, 1, X(1), I(8)), seg("integer", 2, 1, X(2), I(8))], "badarg {2,integer,type,a}"],
    ["<<Acc/binary, 1>>, Acc = <<1:3>>", [bits([32], 3)], [seg("append", 1, 8, X(1), A("all")), seg("integer", 2, 1, I(1), I(8))], "badarg {1,binary,unit,<<1:3>>}"],
    ["<<Acc/binary, a:8>>, Acc = a", [atom("a")], [seg("append", 1, 8, X(1), A("all")), seg("integer", 2, 1, X(1), I(8))], "badarg {1,binary,type,a}"],
  ];
  for (const [name, regs, segments, expected] of cases) {
    test(name, () => {
      regs.forEach((v, i) => {
        x[i + 1] = v;
      });
      // The append form takes its unit from the instruction's Unit operand.
      const isAppend = (segments[0]![0] as { value: { name: string } }).value.name === "append";
      const got = isAppend
        ? (() => {
            try {
              exec("bs_create_bin", [NOFAIL, U(0), U(4), U(8), X(0), L(...segments.flat())]);
            } catch (e) {
              if (e instanceof BsConstructError) return `${w(e.reason)} ${w(e.bsCause)}`;
              throw e;
            }
            return "no error";
          })()
        : causeOf(segments);
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
    create([seg("integer", 1, 1, I(1), I(4)), [A("string"), U(0), U(8), NILOP, S([120, 121]), I(2)], seg("integer", 3, 1, I(2), I(4))]);
    expect(w(x[0])).toBe("<<23,135,146>>");
  });
});

// ---------------------------------------------------------------------------
// 3. bs_match (OTP 26+), hand-written command lists
// ---------------------------------------------------------------------------

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
      A("ensure_at_least"), U(24), U(8),
      A("integer"), U(2), NILOP, U(8), U(1), X(2),
      A("integer"), U(3), LIT(atomList("little", "signed")), U(16), U(1), X(3),
      A("get_tail"), U(4), U(8), X(4),
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
    expect(bsMatch(A("ensure_at_least"), U(9), U(1), A("=:="), NILOP, U(3), U(5), A("skip"), U(2), A("=:="), NILOP, U(4), I(9))).toBe(11);
    startCtx(b);
    expect(bsMatch(A("=:="), NILOP, U(3), I(4))).toBe(FAIL);
  });

  test("binary command shares storage", () => {
    const b = bin(1, 2, 3, 4);
    startCtx(b);
    expect(bsMatch(A("ensure_exactly"), U(32), A("skip"), U(4), A("binary"), U(2), NILOP, U(3), U(8), X(2))).toBe(11);
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

// ---------------------------------------------------------------------------
// 3b. Pre-OTP 22 matching and pre-OTP 25 construction, by hand
// ---------------------------------------------------------------------------

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
    expect(() => exec("bs_append", [NOFAIL, I(8), U(0), U(2), U(8), X(1), U(0), X(2)])).toThrow(ErlangError);
    exec("bs_init_bits", [NOFAIL, I(24), U(0), U(0), U(0), X(0)]);
    expect(exec("bs_put_float", [F, I(24), U(1), U(0), LIT(new Float(1))])).toBe(FAIL);
  });
});

// ---------------------------------------------------------------------------
// 4. Bit helpers
// ---------------------------------------------------------------------------

/** Reference encoder: the value's low `n` bits as a bit array, big-endian. */
function refBits(v: bigint, n: number, little: boolean): number[] {
  const u = BigInt.asUintN(n, v);
  const big: number[] = [];
  for (let i = n - 1; i >= 0; i--) big.push(Number((u >> BigInt(i)) & 1n));
  if (!little || n <= 8) return big;
  // Little: whole bytes least significant first, then the n rem 8 top bits.
  const whole = Math.floor(n / 8);
  const rest = n % 8;
  const out: number[] = [];
  for (let b = 0; b < whole; b++) {
    for (let i = 7; i >= 0; i--) out.push(Number((u >> BigInt(b * 8 + i)) & 1n));
  }
  for (let i = rest - 1; i >= 0; i--) out.push(Number((u >> BigInt(whole * 8 + i)) & 1n));
  return out;
}

function readBitArray(buf: Uint8Array, pos: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((buf[(pos + i) >> 3]! >> (7 - ((pos + i) & 7))) & 1);
  return out;
}

describe("integer bits", () => {
  // Deterministic pseudo-random values across sizes, offsets and signs.
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const sizes = [1, 3, 7, 8, 9, 12, 16, 24, 31, 32, 33, 40, 52, 53, 54, 63, 64, 65, 70, 100, 130];
  for (const n of sizes) {
    test(`${n}-bit fields at every offset`, () => {
      for (let trial = 0; trial < 40; trial++) {
        const neg = rnd() % 2 === 1;
        let v = 0n;
        for (let k = 0; k < 5; k++) v = (v << 31n) | BigInt(rnd());
        v = BigInt.asIntN(n + 8, neg ? -v : v); // wider than the field: must truncate
        const little = rnd() % 2 === 1;
        const pos = rnd() % 16;
        const buf = new Uint8Array(40).fill(0xa5);
        const value = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
        writeInt(buf, pos, n, value, little);
        expect(readBitArray(buf, pos, n)).toEqual(refBits(v, n, little));
        // Untouched neighbours.
        expect(readBitArray(buf, 0, pos)).toEqual(readBitArray(new Uint8Array(40).fill(0xa5), 0, pos));
        const u = BigInt.asUintN(n, v);
        const s = BigInt.asIntN(n, v);
        expect(BigInt(readInt(buf, pos, n, little, false))).toBe(u);
        expect(BigInt(readInt(buf, pos, n, little, true))).toBe(s);
        const r = readInt(buf, pos, n, little, true);
        expect(typeof r === "bigint" ? !Number.isSafeInteger(Number(r)) : Number.isSafeInteger(r)).toBe(true);
      }
    });
  }
});

describe("float bits", () => {
  test("half floats round like erl", () => {
    // <<V:16/float>> for each V, recorded from OTP 25.
    const cases: [number, number][] = [
      [1.5, 0x3e00],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00],
      [1.0e-5, 0x00a8],
      [1.0e-8, 0],
      [0.333, 0x3554],
      [6.1e-5, 0x03ff],
    ];
    for (const [v, h] of cases) {
      const buf = new Uint8Array(3);
      writeFloat(buf, 3, 16, v, false);
      expect(readInt(buf, 3, 16, false, false)).toBe(h);
    }
  });

  test("reading infinity or NaN gives NaN (match fails)", () => {
    expect(readFloat(new Uint8Array([0x7c, 0]), 0, 16, false)).toBeNaN();
    expect(readFloat(new Uint8Array([0xff, 0x80, 0, 0]), 0, 32, false)).toBeNaN();
    expect(readFloat(new Uint8Array([0x3c, 1]), 0, 16, false)).toBe(1.0009765625);
  });
});

test("utf8 decoding rejects overlong, surrogate and out-of-range forms", () => {
  const dec = (...b: number[]) => decodeUtf8(new Uint8Array(b), 0, b.length * 8);
  expect(dec(0xe2, 0x82, 0xac)).toBe(0x20ac);
  expect(decoded.bits).toBe(24);
  expect(dec(0xc0, 0x80)).toBe(-1);
  expect(dec(0xed, 0xa0, 0x80)).toBe(-1);
  expect(dec(0xf4, 0x90, 0x80, 0x80)).toBe(-1);
  expect(dec(0xe2, 0x82)).toBe(-1);
});
