/**
 * Segment flags, decoded once at load time. Compilers write them three ways:
 * a `{field_flags, N}` bit set (an untagged number: 2 little, 4 signed,
 * 16 native), and in `bs_create_bin`/`bs_match` either `nil` or a literal
 * list of atoms (`[little, signed]`). `native` means little-endian: the VM
 * runs on little-endian hosts, as BEAM on x86 and ARM does.
 */
import type { Operand } from "../../../loader/module.ts";
import { Atom } from "../../../terms/atom.ts";
import { Cons, type Term } from "../../../terms/term.ts";
import { CompileError } from "../adapt.ts";

export interface SegFlags {
  readonly little: boolean;
  readonly signed: boolean;
}

const LITTLE = 0x02;
const SIGNED = 0x04;
const NATIVE = 0x10;

function fromAtoms(items: Term): SegFlags {
  let little = false;
  let signed = false;
  let t = items;
  const one = (a: Term) => {
    if (!(a instanceof Atom)) return;
    if (a.name === "little" || a.name === "native") little = true;
    else if (a.name === "signed") signed = true;
    else if (a.name === "big") little = false;
  };
  if (t instanceof Atom) one(t);
  while (t instanceof Cons) {
    one(t.head);
    t = t.tail;
  }
  return { little, signed };
}

/** Decodes a flags operand of any of the three forms. */
export function segFlags(o: Operand): SegFlags {
  switch (o.kind) {
    case "u":
      return { little: (o.value & (LITTLE | NATIVE)) !== 0, signed: (o.value & SIGNED) !== 0 };
    case "int":
      if (typeof o.value === "number") return segFlags({ kind: "u", value: o.value });
      break;
    case "nil":
      return { little: false, signed: false };
    case "literal":
      return fromAtoms(o.value);
    case "atom":
      return fromAtoms(o.value);
  }
  throw new CompileError(`bad segment flags operand ${o.kind}`);
}
