/**
 * Compiles one binary instruction against a fake module context and runs it
 * on a bare process, for the instructions OTP 25 cannot emit and for checks
 * finer than a whole module. Label operands carry their own pc, so a failed
 * test makes the handler return {@link FAIL}; success returns 11 (pc 10 + 1).
 */
import type { Operand } from "../../loader/module.ts";
import { atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { formatW } from "../../terms/format.ts";
import { Cons, NIL, Pid, type Term } from "../../terms/term.ts";
import { binaryOps, type CompileCtx, ManualClock, Process, VM } from "../../vm/index.ts";

export const vm = new VM({ clock: new ManualClock(), log: () => {} });
export const proc = new Process(vm, new Pid(1), null);
export const x = vm.x;

export const ctx: CompileCtx = {
  vm,
  module: atom("t"),
  labelPc: (o) => (o as { index: number }).index,
  pcOfIndex: (i) => i,
  importEntry: () => {
    throw new Error("no imports here");
  },
  funs: [],
  strings: new Uint8Array(0),
  pc: 0,
  fnName: atom("f"),
  fnArity: 0,
  literal: (v) => v,
};

export const X = (n: number): Operand => ({ kind: "x", n, type: -1 });
export const U = (value: number): Operand => ({ kind: "u", value });
export const I = (value: number | bigint): Operand => ({ kind: "int", value });
export const A = (name: string): Operand => ({ kind: "atom", value: atom(name) });
export const FAIL = 99;
export const F: Operand = { kind: "f", label: FAIL, index: FAIL };
export const NOFAIL: Operand = { kind: "f", label: 0, index: -1 };
export const NILOP: Operand = { kind: "nil" };
export const L = (...items: Operand[]): Operand => ({ kind: "list", items });
export const LIT = (value: Term): Operand => ({ kind: "literal", index: 0, value });
export const S = (bytes: number[]): Operand => ({
  kind: "string",
  offset: 0,
  bytes: new Uint8Array(bytes),
});

/** Compiles and runs one instruction at pc 10; returns the next pc. */
export function exec(op: string, args: Operand[]): number {
  const compile = binaryOps[op];
  if (!compile) throw new Error(`no compiler for ${op}`);
  return compile(ctx, args)(proc, 10);
}

export const bin = (...bytes: number[]) => binaryFromBytes(new Uint8Array(bytes));
export const bits = (bytes: number[], size: number) =>
  new BitString(new Uint8Array(bytes), 0, size);
export const w = (t: Term | undefined) => formatW(t as Term);
export const atomList = (...names: string[]): Term =>
  names.reduceRight<Term>((tail, n) => new Cons(atom(n), tail), NIL);
