/**
 * Where an exception was raised, when the interpreter loop cannot tell: a
 * fused block or generated region runs many instructions for one dispatch,
 * so it marks the exceptions leaving it with the pc of the instruction that
 * raised them, thrown ones in its catch and returned ones (Control.Raise)
 * with {@link markRaised}. The innermost mark wins.
 */
import { Control } from "../code/code-area.ts";
import type { ErlangError } from "../errors.ts";
import type { Process } from "../process/process.ts";

/** Set on an exception object by a fused block or generated region: the pc that raised it. */
export const FAULT_PC = Symbol("aion.faultPc");

/**
 * Marks the exception a native raised without throwing (`p.raised`, see
 * `Raise` in native.ts) with `at`, the pc of the instruction that called it,
 * unless a block nearer the call marked it already. Returns Control.Raise,
 * for the block to return.
 */
export function markRaised(p: Process, at: number): number {
  const e = p.raised as (ErlangError & { [FAULT_PC]?: number }) | null;
  if (e !== null && !(FAULT_PC in e)) e[FAULT_PC] = at;
  return Control.Raise;
}

/**
 * Where `e` was raised: the pc a block marked on it, else `pc`, the pc whose
 * handler the interpreter loop was running.
 */
export function faultPc(e: unknown, pc: number): number {
  return e !== null && typeof e === "object" && FAULT_PC in e ? (e[FAULT_PC] as number) : pc;
}
