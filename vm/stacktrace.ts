/**
 * Erlang-shaped stack traces from the interpreter state: the faulting pc plus
 * the return addresses on the process's `ret` stack, innermost first, as a
 * list of `{M, F, ArityOrArgs, [{file, F}, {line, L}]}`.
 *
 * Like BEAM (which saves a raw trace and builds the list only in the
 * `build_stacktrace` instruction), an exception keeps the raw part at throw
 * time ({@link traceReturns}: the return addresses a trace can show, since
 * the process's own stack is gone once it dies) and the list is made from it
 * on first read ({@link buildTrace}). Code is only ever appended to the code
 * area, so a pc means the same function and line whenever it is read.
 */

import { A } from "../terms/atom.ts";
import { listFromArray, stringToList } from "../terms/list.ts";
import { Cons, NIL, type Term } from "../terms/term.ts";
import type { CodeArea } from "./code/code-area.ts";
import type { ErlangError } from "./errors.ts";
import type { Process } from "./process/process.ts";

/** OTP's default `backtrace_depth`. */
export const BACKTRACE_DEPTH = 8;

/** No return address worth a frame (a process's initial call, the common case). */
export const NO_RETURNS: readonly number[] = Object.freeze([]);
/** No extra location items (the frames of return addresses; most exceptions). */
export const NO_EXTRA: readonly Term[] = Object.freeze([]);

const fileTerms = new Map<string, Term>();

/** `{file, "x.erl"}`, built once per file name. */
function fileItem(file: string): Term {
  let t = fileTerms.get(file);
  if (t === undefined) {
    t = [A.file, stringToList(file)];
    fileTerms.set(file, t);
  }
  return t;
}

/** `[{file, F}, {line, L} | Extra]`, the line left out when unknown; just Extra without a file. */
function location(code: CodeArea, pc: number, file: string, extra: readonly Term[]): Term {
  const tail = extra.length === 0 ? NIL : listFromArray(extra);
  if (!file) return tail;
  const line = code.line(pc);
  return new Cons(fileItem(file), line > 0 ? new Cons([A.line, line], tail) : tail);
}

/**
 * The return addresses of `ret` a trace shows, innermost first: runs of the
 * same address collapsed as BEAM does (direct self-recursion), addresses in
 * no function (a process's exit continuation) left out, and no more than a
 * trace of {@link BACKTRACE_DEPTH} frames can use. A fresh array (or a shared
 * empty one): `ret` itself changes as the process goes on.
 */
export function traceReturns(code: CodeArea, ret: readonly number[]): readonly number[] {
  let out: number[] | null = null;
  let n = 0;
  let prev = -1;
  for (let i = ret.length - 1; i >= 0 && n < BACKTRACE_DEPTH; i--) {
    const r = ret[i]!;
    if (r === prev) continue;
    prev = r;
    if (code.functionAt(r) === undefined) continue;
    if (out === null) out = [r];
    else out.push(r);
    n++;
  }
  return out ?? NO_RETURNS;
}

/**
 * The stack trace of exception `e` raised at `pc`, with `returns` from
 * {@link traceReturns}: the BIF (or error/2) frame if `e` has one, the frame
 * of the function at `pc`, then one per return address, at most
 * {@link BACKTRACE_DEPTH} in all.
 */
export function buildTrace(
  code: CodeArea,
  pc: number,
  returns: readonly number[],
  e: ErlangError,
): Term {
  const frames: Term[] = [];
  if (e.topArgs !== null) {
    // BIF or error/2: the callee frame carries the argument list.
    const info = e.topInfo ?? NIL;
    frames.push([e.topArgs.module, e.topArgs.name, listFromArray(e.topArgs.args), info]);
  }
  const top = code.functionAt(pc);
  if (top && frames.length < BACKTRACE_DEPTH) {
    const arity = e.currentArgs ? listFromArray(e.currentArgs) : top.arity;
    frames.push([top.module, top.name, arity, location(code, pc, top.file, e.locationExtra)]);
  }
  for (let i = 0; i < returns.length && frames.length < BACKTRACE_DEPTH; i++) {
    const ret = returns[i]!;
    const f = code.functionAt(ret)!;
    frames.push([f.module, f.name, f.arity, location(code, ret - 1, f.file, NO_EXTRA)]);
  }
  return listFromArray(frames);
}

/** Builds the stack trace for an exception raised at `pc` in process `p`, now. */
export function buildStacktrace(code: CodeArea, p: Process, pc: number, e: ErlangError): Term {
  return buildTrace(code, pc, traceReturns(code, p.ret), e);
}
