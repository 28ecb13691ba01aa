/** Malformed modules: each must be a LoadError naming the chunk and offset. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { codeView, LoadError, loadBeam, OP } from "../../loader/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import {
  atomChunk,
  chunk,
  codeChunk,
  compact,
  concat,
  ext,
  form,
  ins,
  moduleBytes,
  TAG,
  u16,
  u32,
} from "./beam-builder.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

function loadError(bytes: Uint8Array): LoadError {
  try {
    loadBeam(bytes, "bad.beam");
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    expect(e.file).toBe("bad.beam");
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
    expect(e.message.length).toBeGreaterThan(0);
    return e;
  }
  throw new Error("expected a LoadError");
}

/** A module whose only function's body is `body`, with `labels` labels. */
const withCode = (body: number[], labels = 3, functions = 1, maxOpcode = 180) =>
  form([
    atomChunk(["m", "f"]),
    codeChunk(
      [
        ...ins(OP.label, compact(TAG.u, 1)),
        ...ins(OP.func_info, compact(TAG.a, 1), compact(TAG.a, 2), compact(TAG.u, 0)),
        ...ins(OP.label, compact(TAG.u, 2)),
        ...body,
      ],
      labels,
      functions,
      maxOpcode,
    ),
    chunk("ImpT", u32(0)),
    chunk("ExpT", concat(u32(1), u32(2), u32(0), u32(2))),
  ]);
const END = [...ins(OP.return), ...ins(OP.int_code_end)];

test("the well-formed base module loads", () => {
  expect(loadBeam(withCode(END)).functions.length).toBe(1);
  expect(loadBeam(moduleBytes()).exports[0]!.entry).toBe(2);
});

describe("container", () => {
  const cases: [string, Uint8Array, string, RegExp][] = [
    ["empty input", new Uint8Array(0), "FOR1", /too short/],
    ["not IFF", new TextEncoder().encode("hello world, not a beam"), "FOR1", /FOR1/],
    ["gzip", Uint8Array.from([0x1f, 0x8b, 8, 0]), "FOR1", /gzip/],
    [
      "form size past the end",
      concat(new TextEncoder().encode("FOR1"), u32(1000), new TextEncoder().encode("BEAM")),
      "FOR1",
      /exceeds/,
    ],
    [
      "chunk past the end",
      form([concat(new TextEncoder().encode("AtU8"), u32(99))]),
      "AtU8",
      /past the end/,
    ],
    [
      "stray bytes",
      concat(form([]).subarray(0, 4), u32(7), new TextEncoder().encode("BEAM"), [1, 2, 3]),
      "FOR1",
      /stray/,
    ],
  ];
  for (const [what, bytes, chunkId, msg] of cases) {
    test(what, () => {
      const e = loadError(bytes);
      expect(e.chunk).toBe(chunkId);
      expect(e.message).toMatch(msg);
    });
  }

  test("missing and duplicate chunks", () => {
    const good = moduleBytes();
    expect(loadError(form([atomChunk(["m"])])).message).toMatch(/missing/);
    const dup = form([atomChunk(["m", "f", "a", "b"]), good.subarray(12)]);
    expect(loadError(dup).message).toMatch(/duplicate/);
    const both = moduleBytes({ extra: [chunk("Atom", concat(u32(1), [1], [109]))] });
    expect(loadError(both).message).toMatch(/both/);
  });
});

describe("code", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["unknown opcode", withCode([186, ...END]), /unknown opcode 186/],
    ["opcode 0", withCode([0, ...END]), /unknown opcode 0/],
    ["header max opcode too new", withCode(END, 3, 1, 190), /opcodes up to 190/],
    ["no int_code_end", withCode([...ins(OP.return)]), /int_code_end/],
    ["truncated operand", withCode([OP.move, 0x19]), /truncated/],
    [
      "undefined label",
      withCode([...ins(OP.jump, compact(TAG.f, 2)), ...ins(OP.jump, compact(TAG.f, 5)), ...END], 6),
      /label 5 is used but never defined/,
    ],
    [
      "label defined twice",
      withCode([...ins(OP.label, compact(TAG.u, 2)), ...END]),
      /defined twice/,
    ],
    ["label 0 defined", withCode([...ins(OP.label, compact(TAG.u, 0)), ...END]), /out of range/],
    [
      "label beyond the count",
      withCode([...ins(OP.jump, compact(TAG.f, 3)), ...END]),
      /out of range/,
    ],
    ["label count larger than the code", withCode(END, 100000), /label count/],
    ["function count mismatch", withCode(END, 3, 2), /functions/],
    [
      "import index out of range",
      withCode([...ins(OP.call_ext, compact(TAG.u, 0), compact(TAG.u, 0)), ...END]),
      /import index/,
    ],
    [
      "import operand of the wrong kind",
      withCode([...ins(OP.call_ext, compact(TAG.u, 0), compact(TAG.x, 0)), ...END]),
      /import index/,
    ],
    [
      "fun index out of range",
      withCode([
        ...ins(OP.make_fun3, compact(TAG.u, 0), compact(TAG.x, 0), ext(1), compact(TAG.u, 0)),
        ...END,
      ]),
      /fun index/,
    ],
    [
      "string outside StrT",
      withCode([
        ...ins(
          OP.bs_match_string,
          compact(TAG.f, 0),
          compact(TAG.x, 0),
          compact(TAG.u, 8),
          compact(TAG.u, 0),
        ),
        ...END,
      ]),
      /string table/,
    ],
    [
      "atom index out of range",
      withCode([...ins(OP.move, compact(TAG.a, 9), compact(TAG.x, 0)), ...END]),
      /atom index/,
    ],
    [
      "literal without LitT",
      withCode([...ins(OP.move, ext(4), compact(TAG.u, 0), compact(TAG.x, 0)), ...END]),
      /literal index/,
    ],
    [
      "func_info with bad operands",
      withCode([
        ...ins(OP.func_info, compact(TAG.x, 0), compact(TAG.a, 2), compact(TAG.u, 0)),
        ...END,
      ]),
      /func_info/,
    ],
  ];
  for (const [what, bytes, msg] of cases) {
    test(what, () => {
      const e = loadError(bytes);
      expect(e.chunk).toBe("Code");
      expect(e.message).toMatch(msg);
    });
  }
  // Loaded lazily (as the VM does), each is refused at load or when its
  // function is first decoded, with the same error.
  const lazyError = (bytes: Uint8Array): LoadError => {
    try {
      const v = codeView(loadBeam(bytes, "bad.beam", { lazy: true }));
      for (let i = 0; i < v.length; i++) v.instr(i);
    } catch (e) {
      if (e instanceof LoadError) return e;
      throw e;
    }
    throw new Error("expected a LoadError");
  };
  for (const [what, bytes, msg] of cases) {
    test(`${what}, loaded lazily`, () => {
      const e = lazyError(bytes);
      expect(e.file).toBe("bad.beam");
      expect(e.chunk).toBe("Code");
      expect(e.offset).toBe(loadError(bytes).offset);
      expect(e.message).toMatch(msg);
    });
  }
  test("a bad operand found on first use names its function", () => {
    const bytes = withCode([...ins(OP.move, compact(TAG.a, 9), compact(TAG.x, 0)), ...END]);
    const m = loadBeam(bytes, "bad.beam", { lazy: true });
    expect(m.functions.length).toBe(1);
    expect(() => codeView(m).instr(3)).toThrow(/atom index 9 .*\(in m:f\/0\)/);
  });
});

describe("tables", () => {
  test("export label not in the code", () => {
    const bytes = form([
      atomChunk(["m", "f"]),
      codeChunk(
        [
          ...ins(OP.label, compact(TAG.u, 1)),
          ...ins(OP.func_info, compact(TAG.a, 1), compact(TAG.a, 2), compact(TAG.u, 0)),
          ...ins(OP.label, compact(TAG.u, 2)),
          ...END,
        ],
        3,
        1,
      ),
      chunk("ImpT", u32(0)),
      chunk("ExpT", concat(u32(1), u32(2), u32(0), u32(7))),
    ]);
    const e = loadError(bytes);
    expect(e.chunk).toBe("ExpT");
  });

  test("import atom out of range", () => {
    const e = loadError(moduleBytes({ imports: [[1, 9, 0]] }));
    expect(e.chunk).toBe("ImpT");
    expect(e.message).toMatch(/atom index 9/);
  });

  test("a huge count is refused before allocating", () => {
    const bytes = moduleBytes({ extra: [chunk("FunT", u32(0xffffffff))] });
    expect(loadError(bytes).message).toMatch(/count/);
  });

  test("line index beyond the Line chunk", () => {
    const line = chunk("Line", concat(u32(0), u32(0), u32(1), u32(1), u32(0), compact(TAG.i, 5)));
    const bytes = moduleBytes({ body: [ins(OP.line, compact(TAG.u, 2))], extra: [line] });
    expect(loadError(bytes).message).toMatch(/line index 2/);
    const ok = moduleBytes({ body: [ins(OP.line, compact(TAG.u, 1))], extra: [line] });
    expect(loadBeam(ok).lines?.items[1]).toEqual({ file: "m.erl", line: 5 });
  });

  test("line chunk file names", () => {
    const name = new TextEncoder().encode("src/x.erl");
    const line = chunk(
      "Line",
      concat(
        u32(0),
        u32(0),
        u32(1),
        u32(2),
        u32(1),
        compact(TAG.i, 5),
        compact(TAG.a, 1),
        compact(TAG.i, 7),
        u16(name.length),
        name,
      ),
    );
    const m = loadBeam(moduleBytes({ extra: [line] }));
    expect(m.lines?.items).toEqual([
      null,
      { file: "m.erl", line: 5 },
      { file: "src/x.erl", line: 7 },
    ]);
  });

  test("bad Attr term", () => {
    const e = loadError(moduleBytes({ extra: [chunk("Attr", [131, 200])] }));
    expect(e.chunk).toBe("Attr");
  });
});

test("LoadError prints its location", () => {
  const e = loadError(withCode([186, ...END]));
  expect(String(e)).toMatch(/^LoadError: bad\.beam: Code at byte \d+: unknown opcode 186$/);
});
