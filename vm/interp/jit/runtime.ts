/**
 * What generated code may reference besides its captured constants: term
 * classes for type tests and the generic comparisons used off the fast path.
 * Passed in once per region instance (see compile.ts), so generated source
 * never imports anything.
 */
import { A, Atom } from "../../../terms/atom.ts";
import { appendGrow, BitString, copyBits, readBitsSmall } from "../../../terms/binary.ts";
import { compare, eq, exactEq } from "../../../terms/compare.ts";
import { MapTerm } from "../../../terms/map.ts";
import { Cons, ExportFun, Float, Fun, NIL, type Term } from "../../../terms/term.ts";
import type { Machine } from "../../machine.ts";
import { NativeControl, SUSPEND } from "../../native.ts";
import type { Process } from "../../process/process.ts";
import { nativeControl } from "../apply.ts";
import { addBifFrame } from "../bif-frames.ts";
import { MatchContext } from "../bits/match-context.ts";
import { MAX_BITS } from "../bits/segments.ts";
import { markRaised } from "../fault-pc.ts";

/** What a direct function returns instead of a term when it deoptimised (direct.ts). */
const DEOPT: unknown = Object.freeze({ deopt: true });

/**
 * Pushes the frames a deoptimised direct function queued (pairs of return
 * pc, or -1 for the innermost, and Y values or null for no frame; innermost
 * first) onto the process's stacks, outermost first, as `allocate` and
 * `call` would have. Empties the queue; returns how many frames it held.
 */
function materialize(p: Process, dq: unknown[]): number {
  const stk = p.stack;
  const ret = p.ret;
  let yb = p.yBase;
  for (let i = dq.length - 2; i >= 0; i -= 2) {
    const frame = dq[i + 1] as Term[] | null;
    if (frame !== null) {
      stk.push(yb);
      yb = stk.length;
      // A slot the function had not written yet (direct code does not clear them).
      for (const v of frame) stk.push(v === undefined ? NIL : v);
    }
    const at = dq[i] as number;
    if (at >= 0) ret.push(at);
  }
  p.yBase = yb;
  const frames = dq.length / 2;
  dq.length = 0;
  return frames;
}

export const JIT_RUNTIME = {
  Atom,
  Cons,
  NIL,
  MapTerm,
  BitString,
  Float,
  Fun,
  ExportFun,
  A_TRUE: A.true,
  A_FALSE: A.false,
  exactEq,
  eq,
  compare,
  // Binary construction and matching fast paths (templates-bs*.ts).
  appendGrow,
  copyBits,
  readBitsSmall,
  MatchContext,
  // Read by name rather than written into the source: the first text of a
  // number outside int32 costs a fresh JS engine 0.3-1.9 ms (ninth round).
  MAX_BITS,
  // Natives called from generated code (templates-native.ts).
  NativeControl,
  SUSPEND,
  nativeControl,
  addBifFrame,
  // A raise returned (not thrown) through the region (compile.ts).
  markRaised,
  // Direct functions (direct.ts).
  DEOPT,
  materialize,
  // The end of a slice (templates-control.ts). A plain function the region
  // keeps in a local: a method read (`vm.saveState`) at a site that runs
  // only once per slice counts against JSC's profiling before it tiers up.
  saveState: (vm: Machine, p: Process, resumePc: number, live: number): void =>
    vm.saveState(p, resumePc, live),
} as const;
