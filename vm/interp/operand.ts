/**
 * Operands as the instruction compiler sees them, after the loader's decoding
 * has been mapped onto the VM (see adapt.ts): registers, constants and
 * resolved code addresses. Readers and writers are built once per instruction
 * at load time, so executing an instruction never inspects operand kinds.
 */

import type { Term } from "../../terms/term.ts";
import type { Machine } from "../machine.ts";
import type { Process } from "../process/process.ts";

export type Src =
  | { readonly k: "x"; readonly n: number }
  | { readonly k: "y"; readonly n: number }
  | { readonly k: "c"; readonly v: Term };

export type Dst = { readonly k: "x"; readonly n: number } | { readonly k: "y"; readonly n: number };

export type Reader = (p: Process) => Term;
export type Writer = (p: Process, v: Term) => void;

/** Builds a reader closure for `s`. */
export function reader(vm: Machine, s: Src): Reader {
  const x = vm.x;
  switch (s.k) {
    case "x": {
      const n = s.n;
      return () => x[n]!;
    }
    case "y": {
      const n = s.n;
      return (p) => p.stack[p.yBase + n]!;
    }
    default: {
      const v = s.v;
      return () => v;
    }
  }
}

/** Builds a writer closure for `d`. */
export function writer(vm: Machine, d: Dst): Writer {
  const x = vm.x;
  const n = d.n;
  if (d.k === "x") {
    return (_p, v) => {
      x[n] = v;
    };
  }
  return (p, v) => {
    p.stack[p.yBase + n] = v;
  };
}

export const isX = (s: Src): s is { k: "x"; n: number } => s.k === "x";
