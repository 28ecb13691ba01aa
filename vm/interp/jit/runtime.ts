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
import { Cons, ExportFun, Float, Fun, NIL } from "../../../terms/term.ts";
import type { Machine } from "../../machine.ts";
import { NativeControl, SUSPEND } from "../../native.ts";
import type { Process } from "../../process/process.ts";
import { nativeControl } from "../apply.ts";
import { addBifFrame } from "../bif-frames.ts";
import { MatchContext } from "../bits/match-context.ts";
import { markRaised } from "../fault-pc.ts";

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
  // Natives called from generated code (templates-native.ts).
  NativeControl,
  SUSPEND,
  nativeControl,
  addBifFrame,
  // A raise returned (not thrown) through the region (compile.ts).
  markRaised,
  // The end of a slice (templates-control.ts). A plain function the region
  // keeps in a local: a method read (`vm.saveState`) at a site that runs
  // only once per slice counts against JSC's profiling before it tiers up.
  saveState: (vm: Machine, p: Process, resumePc: number, live: number): void =>
    vm.saveState(p, resumePc, live),
} as const;
