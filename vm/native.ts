/**
 * Native functions (BIFs and NIFs) as the VM calls them.
 *
 * A native receives the calling process and its arguments and returns the
 * result, throws an {@link ErlangError} (or returns it in a {@link Raise}),
 * or returns {@link SUSPEND} after arranging for the host to resume the
 * process later with a value (see `VM.resume`). Natives are grouped per
 * module with {@link defineNatives}.
 */

import type { Atom } from "../terms/atom.ts";
import type { Term } from "../terms/term.ts";
import type { ErlangError } from "./errors.ts";
import type { Process } from "./process/process.ts";

/** Returned by a native that parked its caller; the VM resumes it later. */
export const SUSPEND: unique symbol = Symbol("aion.suspend");

/** What a native returns instead of a value to transfer control ({@link Trap}, {@link Raise}). */
export abstract class NativeControl {}

/**
 * Returned by a native that raises an exception which is its caller's own
 * (`erlang:error/exit/throw`, never a BIF error that needs a BIF frame): the
 * VM routes it to the caller's catch as if it had been thrown, without a JS
 * throw, whose unwinding through the VM's handlers cost more than the rest
 * of a short process's exit (every `exit/1` at the end of one).
 */
export class Raise extends NativeControl {
  constructor(readonly error: ErlangError) {
    super();
  }
}

/**
 * Returned by a native that has done a bounded slice of a long job: the VM
 * tail-calls `module:name(args...)` to do the rest, and may switch to another
 * process first when the caller is out of reductions (BEAM's BIF traps).
 * Long builders (`lists:seq`, `lists:duplicate`) use it so one call cannot
 * hold the scheduler for long.
 */
export class Trap extends NativeControl {
  constructor(
    readonly module: Atom,
    readonly name: Atom,
    readonly args: Term[],
  ) {
    super();
  }
}

export type NativeResult = Term | typeof SUSPEND | Trap | Raise;

// Natives take a fixed number of Term arguments; the rest parameter keeps one
// type for every arity while the VM calls them with exactly `arity` arguments.
export type NativeFn = (p: Process, ...args: Term[]) => NativeResult;

/**
 * A native that transfers control instead of returning a value (`apply/3`,
 * `erlang:hibernate`...). It gets the caller's return address and returns the
 * next instruction index, like an instruction handler does.
 */
export type ControlFn = (p: Process, args: Term[], returnPc: number) => number;

export interface NativeModule {
  readonly module: string;
  /** Keyed by `name/arity`. */
  readonly functions: ReadonlyMap<string, NativeFn>;
  readonly control: ReadonlyMap<string, ControlFn>;
  /** Names of natives that are pure guard BIFs (allowed in guards, never suspend). */
}

/** Declares the natives of one module. Keys are `"name/arity"`. */
export function defineNatives(
  module: string,
  functions: Record<string, NativeFn>,
  control: Record<string, ControlFn> = {},
): NativeModule {
  for (const key of [...Object.keys(functions), ...Object.keys(control)]) {
    if (!/^.+\/\d+$/.test(key)) throw new Error(`native key must be name/arity: ${module}:${key}`);
  }
  return {
    module,
    functions: new Map(Object.entries(functions)),
    control: new Map(Object.entries(control)),
  };
}
