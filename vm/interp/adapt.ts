/**
 * The seam between the loader's decoded operands (loader/module.ts) and the
 * instruction compilers: small accessors that turn an operand into what a
 * handler closure captures. A malformed operand here is a loader/compiler
 * disagreement, reported as a {@link CompileError} naming the operand.
 */
import type { Operand } from "../../loader/module.ts";
import { Float, NIL } from "../../terms/term.ts";
import type { CompileCtx } from "./context.ts";
import type { Dst, Src } from "./operand.ts";

export class CompileError extends Error {}

function bad(what: string, o: Operand): never {
  throw new CompileError(
    `expected ${what}, got operand ${JSON.stringify(o, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`,
  );
}

/** A source operand: register or constant. */
export function src(_ctx: CompileCtx, o: Operand): Src {
  switch (o.kind) {
    case "x":
      return { k: "x", n: o.n };
    case "y":
      return { k: "y", n: o.n };
    case "int":
      return { k: "c", v: o.value };
    case "atom":
      return { k: "c", v: o.value };
    case "nil":
      return { k: "c", v: NIL };
    case "literal":
      return { k: "c", v: o.value };
    case "float":
      return { k: "c", v: new Float(o.value) };
    case "char":
      return { k: "c", v: o.value };
    default:
      return bad("a source", o);
  }
}

/** A destination register. */
export function dst(o: Operand): Dst {
  if (o.kind === "x") return { k: "x", n: o.n };
  if (o.kind === "y") return { k: "y", n: o.n };
  return bad("a register", o);
}

/** An untagged number (counts, arities, sizes, indices). */
export function u(o: Operand): number {
  switch (o.kind) {
    case "u":
    case "char":
      return o.value;
    case "int":
      if (typeof o.value === "number") return o.value;
      return bad("a small number", o);
    case "lambda":
    case "import":
      return o.index;
    case "atom":
      // Some flag operands are `{atom, A}`-free numbers in old beams; not here.
      return bad("a number", o);
    default:
      return bad("a number", o);
  }
}

/** A fail label: -1 for `{f,0}` (raise instead of jumping). */
export function failLabel(ctx: CompileCtx, o: Operand): number {
  if (o.kind !== "f") return bad("a label", o);
  return o.index < 0 ? -1 : ctx.pcOfIndex(o.index);
}

/** The items of a `{list, [...]}` operand. */
export function listItems(o: Operand): readonly Operand[] {
  if (o.kind === "list") return o.items;
  if (o.kind === "nil") return [];
  return bad("a list", o);
}

export function importIndex(o: Operand): number {
  if (o.kind === "import") return o.index;
  return u(o);
}

export function isFloatReg(o: Operand): boolean {
  return o.kind === "fr";
}

export function floatReg(o: Operand): number {
  if (o.kind === "fr") return o.n;
  return bad("a float register", o);
}
