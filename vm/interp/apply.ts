/**
 * Entering functions: calls through export entries (bytecode, natives,
 * control natives), fun calls, `apply`, and the errors they raise.
 *
 * Convention: arguments are in X0..X(arity-1). `retPc` is the address to
 * return to, or -1 for a tail call (the caller's return address stays on
 * the `ret` stack).
 */

import { A, Atom } from "../../terms/atom.ts";
import { listFromArray, listToArray } from "../../terms/list.ts";
import { ExportFun, Fun, NIL, type Term } from "../../terms/term.ts";
import { APPLY_MFA_PC, Control } from "../code/code-area.ts";
import type { ExportEntry } from "../code/exports.ts";
import { ErlangError } from "../errors.ts";
import type { Machine } from "../machine.ts";
import { NativeControl, Raise, SUSPEND, Trap } from "../native.ts";
import type { Process } from "../process/process.ts";
import { addBifFrame } from "./bif-frames.ts";

/** Calls `entry` with `arity` arguments in X registers. Returns the next pc. */
export function invoke(p: Process, entry: ExportEntry, arity: number, retPc: number): number {
  const vm = p.vm;
  // Natives first: a NIF or BIF replaces the bytecode of the same MFA.
  if (entry.native !== null) return callNative(p, entry, arity, retPc);
  if (entry.pc >= 0) {
    if (retPc >= 0) p.ret.push(retPc);
    if (--p.reds <= 0) {
      vm.saveState(p, entry.pc, arity);
      return Control.Yield;
    }
    return entry.pc;
  }
  if (entry.control !== null) {
    const args = vm.x.slice(0, arity);
    return entry.control(p, args, retPc >= 0 ? retPc : p.ret.pop()!);
  }
  if (vm.moduleLoader?.(entry.module) && entry.isDefined) return invoke(p, entry, arity, retPc);
  throw undef(entry.module, entry.name, vm.x.slice(0, arity));
}

function callNative(p: Process, entry: ExportEntry, arity: number, retPc: number): number {
  const vm = p.vm;
  const x = vm.x;
  const fn = entry.native!;
  p.reds--;
  let r: ReturnType<typeof fn>;
  try {
    switch (arity) {
      case 0:
        r = fn(p);
        break;
      case 1:
        r = fn(p, x[0]!);
        break;
      case 2:
        r = fn(p, x[0]!, x[1]!);
        break;
      case 3:
        r = fn(p, x[0]!, x[1]!, x[2]!);
        break;
      default:
        r = fn(p, ...x.slice(0, arity));
    }
  } catch (e) {
    addBifFrame(e, entry, x.slice(0, arity));
    throw e;
  }
  if (r instanceof NativeControl || r === SUSPEND) return nativeControl(p, r, retPc);
  x[0] = r;
  return retPc >= 0 ? retPc : p.ret.pop()!;
}

/**
 * Where a native call that did not return a value goes: a trap tail-calls
 * its continuation, a suspend parks the process at the return address, a
 * raise goes to the interpreter loop as Control.Raise.
 * Shared with the JIT, which calls natives from generated code.
 */
export function nativeControl(
  p: Process,
  r: NativeControl | typeof SUSPEND,
  retPc: number,
): number {
  if (r instanceof Trap) return trap(p, r, retPc);
  if (r instanceof Raise) {
    p.raised = r.error;
    return Control.Raise;
  }
  const next = retPc >= 0 ? retPc : p.ret.pop()!;
  p.vm.saveState(p, next, 1);
  return Control.Suspend;
}

/**
 * Continues a trapping native: `apply(M, F, Args)` through the VM's apply
 * address, as a tail call of the native's own call. The process is switched
 * out first when its reductions are spent, so other processes run between
 * the slices of a long job.
 */
function trap(p: Process, t: Trap, retPc: number): number {
  const x = p.vm.x;
  x[0] = t.module;
  x[1] = t.name;
  x[2] = listFromArray(t.args);
  if (retPc >= 0) p.ret.push(retPc);
  if (p.reds <= 0) {
    p.vm.saveState(p, APPLY_MFA_PC, 3);
    return Control.Yield;
  }
  return APPLY_MFA_PC;
}

/** The `undef` error for M:F(Args), with Args in the top frame as BEAM shows it. */
export function undef(module: Atom, name: Atom, args: Term[]): ErlangError {
  const e = new ErlangError("error", A.undef);
  e.topArgs = { module, name, args };
  e.topInfo = NIL;
  return e;
}

/** Resolves a local fun's entry pc, loading its module if needed. */
export function funEntry(vm: Machine, f: Fun): number {
  if (typeof f.code === "number") return f.code;
  const pc = vm.resolveFun(f);
  if (pc < 0) throw undef(f.module, f.name, []);
  f.code = pc;
  return pc;
}

/**
 * Calls the fun in `fun` with `arity` arguments already in X0..X(arity-1).
 * Raises `{badfun, F}` or `{badarity, {F, Args}}` as BEAM does.
 */
export function callFun(p: Process, fun: Term, arity: number, retPc: number): number {
  const vm = p.vm;
  if (fun instanceof Fun) {
    if (fun.arity !== arity) throw badarity(fun, vm.x.slice(0, arity));
    const env = fun.env;
    const x = vm.x;
    for (let i = 0; i < env.length; i++) x[arity + i] = env[i]!;
    const pc = funEntry(vm, fun);
    if (retPc >= 0) p.ret.push(retPc);
    if (--p.reds <= 0) {
      vm.saveState(p, pc, arity + env.length);
      return Control.Yield;
    }
    return pc;
  }
  if (fun instanceof ExportFun) {
    if (fun.arity !== arity) throw badarity(fun, vm.x.slice(0, arity));
    return invoke(p, vm.exports.get(fun.module, fun.name, fun.arity), arity, retPc);
  }
  throw new ErlangError("error", [A.badfun, fun]);
}

function badarity(fun: Term, args: Term[]): ErlangError {
  return new ErlangError("error", [A.badarity, [fun, listFromArray(args)]]);
}

/** `apply(M, F, Args)` / `apply(Fun, Args)` with the argument list as a term. */
export function applyTerms(
  p: Process,
  moduleOrFun: Term,
  fn: Term | null,
  argList: Term,
  retPc: number,
): number {
  const args = listToArray(argList);
  if (args === null) throw new ErlangError("error", A.badarg);
  const x = p.vm.x;
  for (let i = 0; i < args.length; i++) x[i] = args[i]!;
  if (fn === null) return callFun(p, moduleOrFun, args.length, retPc);
  if (!(fn instanceof Atom) || !(moduleOrFun instanceof Atom)) {
    throw new ErlangError("error", A.badarg);
  }
  const entry = p.vm.exports.get(moduleOrFun, fn, args.length);
  return invoke(p, entry, args.length, retPc);
}
