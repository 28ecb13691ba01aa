/** The compact term encoding: values of every size and the extended tags. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { CompactReader } from "../../loader/compact.ts";
import { ErrorSite, LoadError } from "../../loader/errors.ts";
import { loadBeam, OP, type Operand } from "../../loader/index.ts";
import { OperandDecoder } from "../../loader/operands.ts";
import { Reader } from "../../loader/reader.ts";
import { atom, Float, type Term } from "../../terms/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { compact, concat, ext, TAG } from "./beam-builder.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const site = new ErrorSite("t", "Code", 0);
const reader = (bytes: number[] | Uint8Array) => {
  const b = Uint8Array.from(bytes);
  return new Reader(b, 0, b.length, site);
};

function readValue(bytes: number[]): number | bigint {
  const cr = new CompactReader(reader(bytes));
  cr.next();
  return cr.big ?? cr.value;
}

function decoder(bytes: number[], literals: Term[] = [], types = 1): OperandDecoder {
  return new OperandDecoder(reader(bytes), [atom("m"), atom("a")], literals, 10, types);
}

describe("compact integers", () => {
  test("the three size forms, from OTP's own examples", () => {
    // beam_asm:encode/2 outputs quoted in beam_disasm.erl.
    expect(readValue([81])).toBe(5);
    expect(readValue([105, 232])).toBe(1000);
    expect(readValue([233, 255])).toBe(2047);
    expect(readValue([25, 8, 0])).toBe(2048);
    expect(readValue([25, 255, 255])).toBe(-1);
    expect(readValue([121, 255, 0, 0, 0, 1])).toBe(-4294967295);
    expect(readValue([121, 0, 255, 255, 255, 255])).toBe(4294967295);
    expect(readValue([121, 99, 255, 255, 255, 157])).toBe(429496729501);
  });

  const cases: (number | bigint)[] = [
    0,
    15,
    16,
    2047,
    2048,
    -1,
    -16,
    -2048,
    -32768,
    -32769,
    2 ** 31,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    2n ** 53n,
    -(2n ** 53n) - 1n,
    2n ** 63n,
    -(2n ** 63n),
    2n ** 64n,
    100000000000000000000n,
    -100000000000000000000n,
    2n ** 127n,
    -(2n ** 127n),
    2n ** 1000n,
    -(2n ** 1000n) + 12345n,
    2n ** 20000n,
  ];
  for (const v of cases) {
    test(`round trip ${String(v).slice(0, 30)}`, () => {
      const got = readValue(compact(TAG.i, v));
      const normal =
        typeof v === "bigint" && v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v;
      expect(got).toBe(normal);
    });
  }

  test("u values are unsigned and must fit a safe integer", () => {
    const cr = new CompactReader(reader(compact(TAG.u, 2n ** 60n)));
    cr.next();
    expect(() => cr.safeValue("u")).toThrow(LoadError);
    // A multi-byte u whose top bit is set is not a valid (non-negative) value.
    const neg = new CompactReader(reader([0x18, 0xff, 0xff]));
    neg.next();
    expect(() => neg.safeValue("u")).toThrow(LoadError);
  });

  test("truncated and oversized integers are LoadErrors", () => {
    expect(() => readValue([0x19, 1])).toThrow(LoadError);
    expect(() => readValue([0xf9])).toThrow(LoadError);
    expect(() => readValue([0xf9, ...compact(TAG.u, 9000)])).toThrow(/too long/);
  });

  test("OTP 25 writes 100000000000000000000 inline", async () => {
    const path = join(import.meta.dir, "..", "..", "fixtures", "loader", "lits.beam");
    const m = loadBeam(new Uint8Array(await Bun.file(path).arrayBuffer()), path);
    const ints: Operand[] = [];
    const walk = (a: Operand) => {
      if (a.kind === "int") ints.push(a);
      if (a.kind === "list") a.items.forEach(walk);
    };
    for (const i of m.code) i.args.forEach(walk);
    const values = ints.map((a) => (a.kind === "int" ? a.value : 0));
    expect(values).toContain(100000000000000000000n);
    expect(values).toContain(-100000000000000000000n);
    expect(values).toContain(1180591620717411303424n);
    // 1 bsl 200 is at the compiler's 1 bsl 128 threshold: a literal instead.
    expect(
      m.literals.some((l) => l === 1n << 200n || (Array.isArray(l) && l[0] === 1n << 200n)),
    ).toBe(true);
  });
});

describe("operands and extended tags", () => {
  test("registers, atoms, nil, labels, chars", () => {
    const d = decoder([
      ...compact(TAG.x, 3),
      ...compact(TAG.y, 1000),
      ...compact(TAG.a, 2),
      ...compact(TAG.a, 0),
      ...compact(TAG.f, 7),
      ...compact(TAG.h, 0x263a),
    ]);
    expect(d.read()).toEqual({ kind: "x", n: 3, type: -1 });
    expect(d.read()).toEqual({ kind: "y", n: 1000, type: -1 });
    expect(d.read()).toEqual({ kind: "atom", value: atom("a") });
    expect(d.read()).toEqual({ kind: "nil" });
    expect(d.read()).toMatchObject({ kind: "f", label: 7 });
    expect(d.read()).toEqual({ kind: "char", value: 0x263a });
  });

  test("float, list, fr, alloc, literal, typed register", () => {
    const f64 = new Uint8Array(8);
    new DataView(f64.buffer).setFloat64(0, 2.5);
    const lits: Term[] = [new Float(1.5), [atom("a")]];
    const d = decoder(
      [
        ...ext(0),
        ...f64,
        ...ext(1),
        ...compact(TAG.u, 2),
        ...compact(TAG.i, -5),
        ...compact(TAG.x, 0),
        ...ext(2),
        ...compact(TAG.u, 4),
        ...ext(3),
        ...compact(TAG.u, 3),
        ...[...compact(TAG.u, 0), ...compact(TAG.u, 10)],
        ...[...compact(TAG.u, 1), ...compact(TAG.u, 2)],
        ...[...compact(TAG.u, 2), ...compact(TAG.u, 1)],
        ...ext(4),
        ...compact(TAG.u, 1),
        ...ext(5),
        ...compact(TAG.y, 2),
        ...compact(TAG.u, 1),
      ],
      lits,
      2,
    );
    expect(d.read()).toEqual({ kind: "float", value: 2.5 });
    expect(d.read()).toEqual({
      kind: "list",
      items: [
        { kind: "int", value: -5 },
        { kind: "x", n: 0, type: -1 },
      ],
    });
    expect(d.read()).toEqual({ kind: "fr", n: 4 });
    expect(d.read()).toEqual({ kind: "alloc", words: 10, floats: 2, funs: 1 });
    expect(d.read()).toEqual({ kind: "literal", index: 1, value: lits[1]! });
    expect(d.read()).toEqual({ kind: "y", n: 2, type: 1 });
  });

  const bad: [string, number[]][] = [
    ["extended tag in long form", [0x0f]],
    ["unknown extended tag", ext(6)],
    ["typed register holding an atom", [...ext(5), ...compact(TAG.a, 1), ...compact(TAG.u, 0)]],
    ["type index out of range", [...ext(5), ...compact(TAG.x, 1), ...compact(TAG.u, 1)]],
    ["literal index out of range", [...ext(4), ...compact(TAG.u, 0)]],
    ["atom index out of range", compact(TAG.a, 3)],
    ["label out of range", compact(TAG.f, 10)],
    ["x register too large", compact(TAG.x, 1024)],
    ["list longer than its bytes", [...ext(1), ...compact(TAG.u, 1000)]],
    [
      "unknown allocation kind",
      [...ext(3), ...compact(TAG.u, 1), ...compact(TAG.u, 3), ...compact(TAG.u, 1)],
    ],
    ["truncated float", [...ext(0), 1, 2]],
    ["list length not u", [...ext(1), ...compact(TAG.i, 1)]],
  ];
  for (const [what, bytes] of bad) {
    test(`rejects ${what}`, () => {
      expect(() => decoder(bytes).read()).toThrow(LoadError);
    });
  }

  test("deeply nested lists are refused, not recursed into", () => {
    const bytes: number[] = [];
    for (let i = 0; i < 50; i++) bytes.push(...ext(1), ...compact(TAG.u, 1));
    bytes.push(...compact(TAG.u, 0));
    expect(() => decoder(bytes).read()).toThrow(/nested/);
  });

  test("the opcode table drives arity", () => {
    expect(OP.move).toBe(64);
    expect(OP.bs_match).toBe(182);
    expect(concat([1], [2])).toEqual(Uint8Array.from([1, 2]));
  });
});
