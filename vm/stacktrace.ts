/**
 * Erlang-shaped stack traces from the interpreter state: the faulting pc plus
 * the return addresses on the process's `ret` stack, innermost first, as a
 * list of `{M, F, ArityOrArgs, [{file, F}, {line, L}]}`.
 */

import { A } from "../terms/atom.ts";
import { listFromArray, stringToList } from "../terms/list.ts";
import { NIL, type Term } from "../terms/term.ts";
import type { CodeArea } from "./code/code-area.ts";
import type { ErlangError } from "./errors.ts";
import type { Process } from "./process/process.ts";

/** OTP's default `backtrace_depth`. */
export const BACKTRACE_DEPTH = 8;

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

function location(code: CodeArea, pc: number, file: string, extra: Term[] = []): Term {
  const line = code.lines[pc] ?? 0;
  if (!file) return listFromArray(extra);
  const items: Term[] = [fileItem(file)];
  if (line > 0) items.push([A.line, line]);
  return listFromArray([...items, ...extra]);
}

/** Builds the stack trace for an exception raised at `pc` in process `p`. */
export function buildStacktrace(code: CodeArea, p: Process, pc: number, e: ErlangError): Term {
  const frames: Term[] = [];
  if (e.topArgs !== null) {
    // BIF or error/2: the callee frame carries the argument list.
    const info = e.topInfo ?? NIL;
    frames.push([e.topArgs.module, e.topArgs.name, listFromArray(e.topArgs.args), info]);
  }
  const top = code.functionAt(pc);
  if (top && frames.length < BACKTRACE_DEPTH) {
    const arity = e.currentArgs ? listFromArray(e.currentArgs) : top.arity;
    frames.push([top.module, top.name, arity, location(code, pc, top.file, e.extraLocation)]);
  }
  let prev = -1;
  for (let i = p.ret.length - 1; i >= 0 && frames.length < BACKTRACE_DEPTH; i--) {
    const ret = p.ret[i]!;
    // BEAM collapses runs of the same return address (direct self-recursion).
    if (ret === prev) continue;
    prev = ret;
    const f = code.functionAt(ret);
    if (!f) continue; // the process's exit continuation
    frames.push([f.module, f.name, f.arity, location(code, ret - 1, f.file)]);
  }
  return listFromArray(frames);
}
