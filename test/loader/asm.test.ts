/**
 * loader/asm in isolation: the compact encoder against the loader's decoder,
 * the pseudo-instruction rewrites, the OTP 26-28 operand layouts as the
 * disassembler reads them back, the two container forms, typed errors, and
 * the `aion asm` command.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command } from "../../bin/commands/asm.ts";
import { compact, TAG } from "../../loader/asm/compact.ts";
import { AsmError, assemble } from "../../loader/asm/index.ts";
import { disassemble, loadBeam } from "../../loader/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** A one-function module `m:f/0` whose body is `body` (instructions after the entry label). */
function listing(body: string, extra = ""): string {
  return `{module, m}.
{exports, [{f,0}]}.
{attributes, []}.
{labels, 4}.
{function, f, 0, 2}.
  {label,1}.
    {func_info,{atom,m},{atom,f},0}.
  {label,2}.
${body}
${extra}`;
}

function body(text: string, opts = {}): string[] {
  const m = loadBeam(assemble(listing(text), opts));
  const lines = disassemble(m).split("\n");
  const from = lines.findIndex((l) => l.trim() === "{label,2}.");
  return lines
    .slice(from + 1)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

describe("compact encoding", () => {
  const cases: [number, number | bigint, number[]][] = [
    [TAG.u, 0, [0x00]],
    [TAG.u, 15, [0xf0]],
    [TAG.i, 16, [0x09, 0x10]],
    [TAG.i, 2047, [0xe9, 0xff]],
    [TAG.i, 2048, [0x19, 0x08, 0x00]],
    [TAG.i, -1, [0x19, 0xff, 0xff]],
    [TAG.i, 0x7fffffffffffffffn, [0xd9, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [tag, v, bytes] of cases)
    test(`${tag}:${v}`, () => expect(compact(tag, v)).toEqual(bytes));

  test("values round-trip through the loader", () => {
    const ints = [
      0,
      15,
      16,
      2047,
      2048,
      -1,
      -32768,
      -32769,
      2 ** 53,
      -(2n ** 127n),
      2n ** 127n - 1n,
    ];
    const text = ints.map((n, i) => `    {move,{integer,${n}},{x,${i}}}.`).join("\n");
    const lines = body(`${text}\n    return.`);
    for (const [i, n] of ints.entries()) expect(lines[i]).toBe(`{move,{integer,${n}},{x,${i}}}.`);
  });

  test("integers from 2^128 become literals", () => {
    expect(
      body("    {move,{integer,340282366920938463463374607431768211456},{x,0}}.\n    return.")[0],
    ).toBe("{move,{literal,340282366920938463463374607431768211456},{x,0}}.");
  });
});

describe("OTP 26-28 instruction layouts read back", () => {
  test("update_record", () => {
    const l = body(
      "    {update_record,{atom,inplace},3,{x,0},{x,0},{list,[2,{integer,1},3,{atom,a}]}}.\n    return.",
    );
    expect(l[0]).toBe(
      "{update_record,{atom,inplace},3,{x,0},{x,0},{list,[2,{integer,1},3,{atom,a}]}}.",
    );
  });

  test("bs_match with every command", () => {
    const cmds =
      "[{ensure_at_least,32,8},{ensure_exactly,32},{integer,1,{literal,[little]},8,1,{x,1}}," +
      "{binary,2,{literal,[]},1,8,{x,2}},{skip,8},{'=:=',nil,8,255},{get_tail,3,8,{x,3}}]";
    const l = body(`    {bs_match,{f,1},{x,0},{commands,${cmds}}}.\n    return.`);
    // {literal,[]} encodes as nil, as in beam_asm, so it reads back as nil.
    const back = cmds.replace("{literal,[]}", "nil");
    expect(l[0]).toBe(`{bs_match,{f,1},{x,0},{commands,${back}}}.`);
  });

  test("executable_line and debug_line share the Line chunk", () => {
    const l = body(
      '    {executable_line,[{location,"a.erl",3}],1}.\n' +
        '    {debug_line,{atom,entry},[{location,"b.erl",4}],2,1,{1,[]}}.\n' +
        "    {line,[]}.\n    return.",
    );
    expect(l.slice(0, 3)).toEqual([
      '{executable_line,[{location,"a.erl",3}],1}.',
      '{debug_line,{atom,entry},[{location,"b.erl",4}],2,1}.',
      "{line,[]}.",
    ]);
  });

  test("pseudo forms: bif, gc_bif, test, raise, kill", () => {
    const l = body(
      "    {bif,self,{f,0},[],{x,0}}.\n" +
        "    {bif,element,{f,1},[{integer,1},{x,0}],{x,1}}.\n" +
        "    {gc_bif,length,{f,0},1,[{x,0}],{x,0}}.\n" +
        "    {test,is_lt,{f,1},[{x,0},{integer,3}]}.\n" +
        "    {test,bs_start_match3,{f,1},1,[{x,0}],{x,1}}.\n" +
        "    {kill,{y,0}}.\n" +
        "    {bif,raise,{f,0},[{x,2},{x,1}],{x,0}}.",
    );
    expect(l.slice(0, 7)).toEqual([
      "{bif,self,{f,0},[],{x,0}}.",
      "{bif,element,{f,1},[{integer,1},{x,0}],{x,1}}.",
      "{gc_bif,length,{f,0},1,[{x,0}],{x,0}}.",
      "{test,is_lt,{f,1},[{x,0},{integer,3}]}.",
      "{test,bs_start_match3,{f,1},1,[{x,0}],{x,1}}.",
      "{init,{y,0}}.",
      "{bif,raise,{f,0},[{x,2},{x,1}],{x,0}}.",
    ]);
  });
});

describe("container forms", () => {
  const text = listing("    {move,{literal,{a,[b]}},{x,0}}.\n    return.");

  test("OTP 25-27: non-negative atom count, zlib LitT", () => {
    const m = loadBeam(assemble(text));
    const at = m.chunks.find((c) => c.id === "AtU8")!.data;
    expect(new DataView(at.buffer, at.byteOffset).getInt32(0)).toBe(m.atoms.length);
    const lit = m.chunks.find((c) => c.id === "LitT")!.data;
    expect(new DataView(lit.buffer, lit.byteOffset).getUint32(0)).toBeGreaterThan(0);
  });

  test("OTP 28: negative atom count, uncompressed LitT", () => {
    const m = loadBeam(assemble(text, { otp28: true }));
    const at = m.chunks.find((c) => c.id === "AtU8")!.data;
    expect(new DataView(at.buffer, at.byteOffset).getInt32(0)).toBe(-m.atoms.length);
    const lit = m.chunks.find((c) => c.id === "LitT")!.data;
    expect(new DataView(lit.buffer, lit.byteOffset).getUint32(0)).toBe(0);
    expect(disassemble(m)).toContain("{move,{literal,{a,[b]}},{x,0}}.");
  });

  test("the header's max opcode is the highest used (at least swap, 169)", () => {
    expect(loadBeam(assemble(listing("    return."))).codeHeader.maxOpcode).toBe(169);
    const m = loadBeam(assemble(listing("    {debug_line,{atom,entry},[],1,0}.\n    return.")));
    expect(m.codeHeader.maxOpcode).toBe(184);
  });
});

describe("errors name the line and the form", () => {
  const cases: [string, string, RegExp][] = [
    [
      "unknown instruction",
      "    {frobnicate,{x,0}}.",
      /:9: unknown instruction frobnicate \(in \{frobnicate,\{x,0\}\}\)/,
    ],
    ["wrong operand count", "    {move,{x,0}}.", /:9: move takes 2 operand\(s\), not 1/],
    ["bad operand", "    {move,{q,1},{x,0}}.", /:9: unknown operand \{q,\.\.\.\}/],
    ["undefined label", "    {jump,{f,3}}.", /:9: label 3 is not defined/],
    ["label out of range", "  {label,9}.", /:9: label must be in 1\.\.3/],
    [
      "bad bs_match command",
      "    {bs_match,{f,1},{x,0},{commands,[{skip,1,2}]}}.",
      /skip takes 1 operands, not 2/,
    ],
    ["syntax", "    {move,{x,0},{x,1}", /t\.S:10: syntax error: expected .\}./],
  ];
  for (const [name, line, re] of cases) {
    test(name, () => {
      let err: unknown;
      try {
        assemble(listing(`${line}\n    return.`), { file: "t.S" });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AsmError);
      expect((err as AsmError).message).toMatch(re);
    });
  }

  test("a missing header form", () => {
    expect(() => assemble("{module, m}.")).toThrow(/no \{exports, \.\.\.\} form/);
  });
});

describe("aion asm", () => {
  const made: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "aion-asm-"));
    made.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  test("writes a loadable .beam", async () => {
    const dir = tempDir();
    const src = join(dir, "m.S");
    await Bun.write(src, listing("    {move,{atom,ok},{x,0}}.\n    return."));
    expect(await command.run([src, "-o", join(dir, "out.beam")])).toBe(0);
    expect(loadBeam(new Uint8Array(readFileSync(join(dir, "out.beam")))).name.name).toBe("m");
    expect(await command.run(["--otp28", src])).toBe(0);
    expect(loadBeam(new Uint8Array(readFileSync(join(dir, "m.beam")))).name.name).toBe("m");
  });

  test("reports errors with status 1 and usage with status 2", async () => {
    const dir = tempDir();
    const src = join(dir, "bad.S");
    await Bun.write(src, listing("    {nope}."));
    const err = console.error;
    console.error = () => {};
    try {
      expect(await command.run([src])).toBe(1);
      expect(await command.run([])).toBe(2);
    } finally {
      console.error = err;
    }
  });
});
