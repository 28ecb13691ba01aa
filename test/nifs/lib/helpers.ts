/**
 * Calling library natives directly in tests: a VM with one process, and a
 * `call("mod:name", ...args)` that finds the native in `libNatives`.
 */
import { LIBRARY_NATIVES as libNatives } from "../../../nifs/registry.ts";
import { Pid, type Term } from "../../../terms/term.ts";
import { type NativeFn, Process, VM } from "../../../vm/index.ts";

const table = new Map<string, NativeFn>();
for (const m of libNatives) for (const [k, f] of m.functions) table.set(`${m.module}:${k}`, f);

/** A fresh process on a fresh VM (natives only read `p.vm` and `p.dict`). */
export function newProcess(): Process {
  return new Process(new VM(), new Pid(1), null);
}

let shared: Process | null = null;

/** Calls `mod:name/arity` with the given arguments on a shared test process. */
export function call(mfa: string, ...args: Term[]): Term {
  return callIn((shared ??= newProcess()), mfa, ...args);
}

/** Calls a native in a given process. */
export function callIn(p: Process, mfa: string, ...args: Term[]): Term {
  const f = table.get(`${mfa}/${args.length}`);
  if (f === undefined) throw new Error(`no native ${mfa}/${args.length}`);
  return f(p, ...args) as Term;
}

/** Whether a native exists. */
export function hasNative(mfa: string): boolean {
  return table.has(mfa);
}
