/**
 * Instructions newer than the OTP 25 compiler here (OTP 26..29), assembled by
 * hand: they decode with the table's arities and print in `-S` form.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { formatInstruction } from "../../loader/disasm.ts";
import { loadBeam, OP, OPCODES } from "../../loader/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { atomChunk, compact, ext, ins, moduleBytes, TAG } from "./beam-builder.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const atoms = atomChunk(["m", "f", "ensure_at_least", "integer", "erlang", "setelement", "entry"]);
const u = (n: number) => compact(TAG.u, n);
const x = (n: number) => compact(TAG.x, n);

test("OTP 26-29 instructions decode and disassemble", () => {
  const bytes = moduleBytes({
    atoms,
    imports: [[5, 6, 3]],
    body: [
      // bs_match {f,0} {x,0} [ensure_at_least 8 1, integer 2 nil 8 1 {x,1}]
      ins(OP.bs_match, compact(TAG.f, 0), x(0), ext(1), u(9), compact(TAG.a, 3), u(8), u(1)),
      [compact(TAG.a, 4), u(2), compact(TAG.a, 0), u(8), u(1), x(1)].flat(),
      ins(OP.update_record, compact(TAG.a, 7), u(3), x(0), x(0), ext(1), u(2), u(2), x(1)),
      ins(OP.executable_line, u(1), u(0)),
      ins(OP.debug_line, compact(TAG.a, 7), u(1), u(1), u(1)),
      ins(OP.bif3, compact(TAG.f, 0), u(0), x(0), x(1), x(2), x(3)),
    ],
  });
  const m = loadBeam(bytes, "modern.beam");
  const text = m.code.filter((i) => i.op >= OP.update_record).map((i) => formatInstruction(m, i));
  expect(text).toEqual([
    "{bs_match,{f,0},{x,0},{commands,[{ensure_at_least,8,1},{integer,2,nil,8,1,{x,1}}]}}",
    "{update_record,{atom,entry},3,{x,0},{x,0},{list,[2,{x,1}]}}",
    "{executable_line,1,0}",
    "{debug_line,{atom,entry},1,1,1}",
    "{bif,setelement,{f,0},[{x,0},{x,1},{x,2}],{x,3}}",
  ]);
  const bif3 = m.code.find((i) => i.op === OP.bif3)!;
  expect(bif3.args[1]).toMatchObject({ kind: "import", index: 0 });
});

test("the table's newest rows", () => {
  expect([181, 182, 183, 184, 185].map((n) => `${OPCODES[n]!.name}/${OPCODES[n]!.arity}`)).toEqual([
    "update_record/5",
    "bs_match/3",
    "executable_line/2",
    "debug_line/4",
    "bif3/6",
  ]);
  expect(OPCODES[186]).toBeUndefined();
  expect(OPCODES.filter((o) => o !== undefined).length).toBe(185);
});
