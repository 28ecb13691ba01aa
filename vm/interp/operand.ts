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

/**
 * Register readers and writers, one per register number and VM: they depend
 * on nothing else, and a big program's load makes one per register operand
 * (~150k for OTP's compiler) otherwise.
 */
interface RegisterAccess {
  readonly xr: Reader[];
  readonly yr: Reader[];
  readonly xw: Writer[];
  readonly yw: Writer[];
}
const access = new WeakMap<Machine, RegisterAccess>();

function accessOf(vm: Machine): RegisterAccess {
  let a = access.get(vm);
  if (a === undefined) access.set(vm, (a = { xr: [], yr: [], xw: [], yw: [] }));
  return a;
}

/** Builds a reader closure for `s` (shared per register). */
export function reader(vm: Machine, s: Src): Reader {
  switch (s.k) {
    case "x": {
      const n = s.n;
      const xr = accessOf(vm).xr;
      let r = xr[n];
      if (r === undefined) {
        const x = vm.x;
        xr[n] = r = () => x[n]!;
      }
      return r;
    }
    case "y": {
      const n = s.n;
      const yr = accessOf(vm).yr;
      let r = yr[n];
      if (r === undefined) yr[n] = r = (p) => p.stack[p.yBase + n]!;
      return r;
    }
    default: {
      const v = s.v;
      return () => v;
    }
  }
}

/** Builds a writer closure for `d` (shared per register). */
export function writer(vm: Machine, d: Dst): Writer {
  const n = d.n;
  const a = accessOf(vm);
  if (d.k === "x") {
    let w = a.xw[n];
    if (w === undefined) {
      const x = vm.x;
      a.xw[n] = w = (_p, v) => {
        x[n] = v;
      };
    }
    return w;
  }
  let w = a.yw[n];
  if (w === undefined) {
    a.yw[n] = w = (p, v) => {
      p.stack[p.yBase + n] = v;
    };
  }
  return w;
}

export const isX = (s: Src): s is { k: "x"; n: number } => s.k === "x";
