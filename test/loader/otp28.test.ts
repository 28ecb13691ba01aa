/**
 * OTP 28 container forms, which the OTP 25 compiler here cannot write: atom
 * tables with a negative count (compact lengths, long atoms) and LitT with a
 * zero size word (uncompressed). Plus the zip-bomb guards on compressed LitT.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { readChunks } from "../../loader/iff.ts";
import { disassemble, LoadError, loadBeam, OP } from "../../loader/index.ts";
import {
  atom,
  binaryFromString,
  exactEq,
  Float,
  mapFromPairs,
  type Term,
} from "../../terms/index.ts";
import {
  chunk,
  compact,
  compressedLitT,
  concat,
  ext,
  form,
  ins,
  longAtomChunk,
  moduleBytes,
  TAG,
  u32,
  uncompressedLitT,
} from "./beam-builder.ts";

// The bomb tests deflate and inflate tens of MiB: under a second when idle, ~12 s seen
// on a loaded machine.
setDefaultTimeout(60_000);

const FIX = join(import.meta.dir, "..", "..", "fixtures", "loader");
const LONG = "é".repeat(200); // 200 characters, 400 UTF-8 bytes: needs a compact length

function loadError(bytes: Uint8Array): LoadError {
  try {
    loadBeam(bytes, "t.beam");
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return e as LoadError;
  }
  throw new Error("expected a LoadError");
}

describe("AtU8 with a negative count", () => {
  test("compact lengths, including an atom over 255 bytes", () => {
    const bytes = moduleBytes({
      atoms: longAtomChunk(["m", "f", LONG, "b"]),
      body: [ins(OP.move, compact(TAG.a, 3), compact(TAG.x, 0))],
    });
    const m = loadBeam(bytes, "t.beam");
    expect(m.atoms.map((a) => a.name)).toEqual(["m", "f", LONG, "b"]);
    const move = m.code.find((i) => i.op === OP.move)!;
    expect(move.args[0]).toEqual({ kind: "atom", value: atom(LONG) });
  });

  test("atoms over 255 characters are refused", () => {
    const e = loadError(moduleBytes({ atoms: longAtomChunk(["m", "f", "x".repeat(256), "b"]) }));
    expect(e.chunk).toBe("AtU8");
    expect(e.message).toMatch(/255/);
  });

  test("a negative count is only meaningful for AtU8", () => {
    const atoms = longAtomChunk(["m", "f", "a", "b"]);
    atoms.set(new TextEncoder().encode("Atom"), 0);
    expect(loadError(moduleBytes({ atoms })).chunk).toBe("Atom");
  });
});

describe("LitT", () => {
  const terms: Term[] = [
    [atom("ok"), 1n << 100n],
    new Float(0.1),
    binaryFromString("héllo"),
    mapFromPairs([[atom("k"), [1, 2, 3]]]),
  ];
  const body = [
    ins(OP.move, ext(4), compact(TAG.u, 0), compact(TAG.x, 0)),
    ins(OP.move, ext(4), compact(TAG.u, 3), compact(TAG.x, 1)),
  ];

  for (const [name, litT] of [
    ["uncompressed (OTP 28)", uncompressedLitT(terms)],
    ["compressed (OTP <= 27)", compressedLitT(terms)],
  ] as const) {
    test(name, () => {
      const m = loadBeam(moduleBytes({ body, litT }), "t.beam");
      expect(m.literals.length).toBe(terms.length);
      for (const [i, l] of m.literals.entries()) expect(exactEq(l, terms[i]!)).toBe(true);
      const moves = m.code.filter((i) => i.op === OP.move);
      expect(moves[1]!.args[0]).toMatchObject({ kind: "literal", index: 3 });
    });
  }

  test("declared size over the cap is refused before inflating", () => {
    const litT = chunk("LitT", concat(u32(0x7fffffff), deflateSync(new Uint8Array(10))));
    expect(loadError(moduleBytes({ litT })).message).toMatch(/cap/);
  });

  test("a size no deflate stream can reach is refused", () => {
    const litT = chunk("LitT", concat(u32(50_000_000), deflateSync(new Uint8Array(10))));
    expect(loadError(moduleBytes({ litT })).message).toMatch(/claims/);
  });

  test("a bomb inflating beyond its declared size stops at the declared size", () => {
    const bomb = deflateSync(new Uint8Array(60_000_000));
    const litT = chunk("LitT", concat(u32(1000), bomb));
    const e = loadError(moduleBytes({ litT }));
    expect(e.chunk).toBe("LitT");
    // Stopped by the output cap at the declared 1000 bytes, not after inflating
    // all 60 MB (checked by what stopped it, not by a stopwatch).
    expect(e.message).toContain("bad compressed literal table");
    expect(e.message).toContain("1000 bytes");
  });

  test("a table shorter than declared is refused", () => {
    const table = concat(u32(0));
    const litT = chunk("LitT", concat(u32(100), deflateSync(table)));
    expect(loadError(moduleBytes({ litT })).message).toMatch(/inflates to/);
  });

  test("compressed terms inside the table share the module's inflation budget", () => {
    // Each literal is a compressed external term holding a 25 MiB binary:
    // two fit in the 64 MiB budget, the third does not.
    const size = 25 * 1024 * 1024;
    const payload = concat([109], u32(size), new Uint8Array(size));
    const term = concat([131, 80], u32(payload.length), deflateSync(payload));
    const table = concat(u32(3), ...[0, 1, 2].map(() => concat(u32(term.length), term)));
    const e = loadError(moduleBytes({ litT: chunk("LitT", concat(u32(0), table)) }));
    expect(e.message).toMatch(/literal 2 would inflate/);
  });

  test("garbage compressed data", () => {
    const litT = chunk("LitT", concat(u32(10), [1, 2, 3, 4, 5, 6]));
    expect(loadError(moduleBytes({ litT })).message).toMatch(/compressed/);
  });
});

describe("a real module rewritten in OTP 28 form", () => {
  for (const name of ["lits", "data", "bins"]) {
    test(`${name}.beam loads the same`, async () => {
      const bytes = new Uint8Array(await Bun.file(join(FIX, `${name}.beam`)).arrayBuffer());
      const original = loadBeam(bytes, `${name}.beam`);
      const chunks = readChunks(bytes, name).map((c) => {
        if (c.id === "AtU8") return longAtomChunk(original.atoms.map((a) => a.name));
        if (c.id === "LitT") return uncompressedLitT([...original.literals]);
        return chunk(c.id, c.data);
      });
      const rewritten = loadBeam(form(chunks), `${name}.beam`);
      expect(disassemble(rewritten)).toBe(disassemble(original));
    });
  }
});
