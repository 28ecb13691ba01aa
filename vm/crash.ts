/**
 * How a process dies of an uncaught exception, as BEAM words it: the exit
 * reason a class maps to, the logger's crash report, and host (JS) failures
 * turned into Erlang errors so a VM bug cannot take the VM down.
 */

import { A, atom } from "../terms/atom.ts";
import { binaryFromString } from "../terms/binary.ts";
import { TermTooDeepError } from "../terms/depth.ts";
import { formatW } from "../terms/format.ts";
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

/**
 * A JS exception that is an Erlang one, or a limit the host hit on Erlang's
 * behalf (JS stack overflow in a deep native, a depth-bounded walker refusing
 * a term: `system_limit`). Null for anything else: that is a bug in the VM or
 * a native, see {@link internalError}.
 */
export function asErlangError(e: unknown): ErlangError | null {
  if (e instanceof ErlangError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new ErlangError("error", A.system_limit);
  }
  // A depth-bounded term walker (terms/depth.ts) refusing a term: a limit, not a bug.
  if (e instanceof TermTooDeepError) return new ErlangError("error", A.system_limit);
  return null;
}

const AION_INTERNAL_ERROR = atom("aion_internal_error");

/**
 * A host bug (a TypeError inside a native or the interpreter) as the exit of
 * the process that ran into it: `exit:{aion_internal_error, <<"TypeError: ...">>}`.
 * It must never pass for an Erlang exception (code would `catch` it as a
 * `badarg` and go on with wrong results), so no catch sees it: the process
 * ends, its links and monitors are told, and the JS stack goes to the log.
 */
export function internalError(e: unknown): ErlangError {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const err = new ErlangError("exit", [AION_INTERNAL_ERROR, binaryFromString(msg)]);
  err.hostError = e;
  return err;
}

/** The log text of an internal VM error: what happened, in which process, and the JS stack. */
export function internalErrorReport(p: Process, e: ErlangError, wallMs: number): string {
  const header = `=ERROR REPORT==== ${erlangTimestamp(wallMs)} ===`;
  const host = e.hostError;
  const js = host instanceof Error && host.stack ? host.stack : String(host);
  return `${header}\nInternal VM error in process ${formatW(p.pid)} (exit reason ${formatW(e.reason)}); this is a bug in aion, not in the Erlang code:\n${js}\n\n`;
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
