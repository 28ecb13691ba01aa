/**
 * How a process dies of an uncaught exception, as BEAM words it: the exit
 * reason a class maps to, the logger's crash report, and host (JS) failures
 * turned into Erlang errors so a VM bug cannot take the VM down.
 */

import { A } from "../terms/atom.ts";
import { TermTooDeepError } from "../terms/depth.ts";
import { formatW } from "../terms/format.ts";
import { stringToList } from "../terms/list.ts";
import { formatP } from "../terms/pretty.ts";
import { NIL, type Term } from "../terms/term.ts";
import { ErlangError } from "./errors.ts";
import type { Process } from "./process/process.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `25-Nov-2026::13:21:34.247279`, the logger's timestamp format (UTC here). */
export function erlangTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  const micros = String(Math.floor((ms % 1000) * 1000)).padStart(6, "0");
  return `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}::${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros}`;
}

/** Any JS exception as an Erlang one: host bugs become `error` exceptions with a readable reason. */
export function toErlangError(e: unknown): ErlangError {
  if (e instanceof ErlangError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new ErlangError("error", A.system_limit);
  }
  // A depth-bounded term walker (terms/depth.ts) refusing a term: a limit, not a bug.
  if (e instanceof TermTooDeepError) return new ErlangError("error", A.system_limit);
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const err = new ErlangError("error", [A.badarg, stringToList(msg)]);
  err.hostError = e;
  return err;
}

/** The exit reason of a process dying of an uncaught exception. */
export function exitReasonOf(e: ErlangError): Term {
  switch (e.cls) {
    case "exit":
      return e.reason;
    case "throw":
      return [[A.nocatch, e.reason], e.stack_ ?? NIL];
    default:
      return [e.reason, e.stack_ ?? NIL];
  }
}

/** The crash report OTP's logger prints for a process dying of an error or throw. */
export function crashReport(p: Process, wallMs: number): string {
  const header = `=ERROR REPORT==== ${erlangTimestamp(wallMs)} ===`;
  return `${header}\nError in process ${formatW(p.pid)} with exit value:\n${reportText(p.exitReason)}\n\n`;
}

/** `~p` of an exit reason, or `~w` when it is too deep for `~p`'s layout. */
function reportText(reason: Term): string {
  try {
    return formatP(reason);
  } catch (e) {
    if (e instanceof TermTooDeepError) return formatW(reason);
    throw e;
  }
}
