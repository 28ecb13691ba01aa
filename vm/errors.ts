/**
 * Erlang exceptions as they travel through the interpreter.
 *
 * A JS `throw` of {@link ErlangError} is how any instruction or BIF raises;
 * the interpreter loop catches it, finds the innermost `catch`/`try` of the
 * process, or ends the process with the reason.
 */
import { A, Atom } from "../terms/atom.ts";
import { formatW } from "../terms/format.ts";
import { listFromArray } from "../terms/list.ts";
import type { Term } from "../terms/term.ts";

export type ExceptionClass = "error" | "exit" | "throw";

/**
 * BEAM's THE_NON_VALUE: in X0 when a catch handler is entered by an exception.
 * An atom object that is not interned, so it equals no term a program can make.
 */
export const NON_VALUE: Atom = new Atom("$non_value", -1);

// Not a subclass of Error on purpose: constructing an Error captures a JS
// stack trace, which made raising (a normal control-flow tool in Erlang, e.g.
// exit/1 at the end of every short-lived process) several times slower.
export class ErlangError {
  /**
   * Erlang's stack trace once built (a list of `{M, F, ArityOrArgs, Location}`).
   * Filled lazily by the interpreter at the point where the exception is caught.
   */
  stack_: Term | null = null;
  /**
   * The top frame for errors raised inside BIFs or with `error/2`: `{M,F,Args}`
   * replaces the arity with the argument list, as BEAM does.
   */
  topArgs: { module: Atom; name: Atom; args: Term[] } | null = null;
  /** Extra location info for the top frame (e.g. `[{error_info, #{...}}]`). */
  topInfo: Term | null = null;
  /**
   * For `function_clause` raised by `func_info`: the arguments replace the
   * arity in the current function's own frame instead of adding a frame.
   */
  currentArgs: Term[] | null = null;
  /**
   * Set by `erlang:error/exit/throw`: the exception is the caller's own, so no
   * `{erlang, error, Args}` frame is added on top of the caller's frame.
   */
  fromErlangCode = false;
  /** Extra items for the current frame's location (`error/3`'s error_info). */
  extraLocation: Term[] = [];
  /** The JS exception behind an error that came from a host bug, for diagnostics. */
  hostError: unknown = null;

  constructor(
    readonly cls: ExceptionClass,
    readonly reason: Term,
  ) {}

  /** A short description for host-side logs. */
  get message(): string {
    return `${this.cls}: ${formatW(this.reason)}`;
  }

  toString(): string {
    return this.message;
  }

  /** The class as an atom. */
  get classAtom(): Atom {
    return this.cls === "error" ? A.error : this.cls === "exit" ? A.exit : A.throw;
  }
}

/**
 * BEAM's raw stack trace: what a catch handler finds in X3 (X2 after
 * `try_case`). It keeps the exception's class so the `raise` instruction can
 * rethrow it unchanged; `build_stacktrace` turns it into the Erlang list.
 * It lives only in registers between the handler's first instructions, never
 * in a term a program can see, hence the cast when it is stored.
 */
export class RawStacktrace {
  constructor(readonly error: ErlangError) {}
  get list(): Term {
    return this.error.stack_ ?? listFromArray([]);
  }
}

/** The stack trace list behind a raw trace or an already-built one. */
export function stacktraceList(t: unknown): Term {
  return t instanceof RawStacktrace ? t.list : (t as Term);
}

/**
 * `erlang:halt/0,1,2`: not an Erlang exception but a request to stop the
 * whole VM with an exit status. The VM stops scheduling and reports it.
 */
export class HaltSignal extends Error {
  constructor(readonly status: number) {
    super(`halt(${status})`);
  }
}

/** `erlang:error(Reason)`. */
export function raiseError(reason: Term): never {
  throw new ErlangError("error", reason);
}

export function badarg(): never {
  throw new ErlangError("error", A.badarg);
}

export function badarith(): never {
  throw new ErlangError("error", A.badarith);
}

export function systemLimit(): never {
  throw new ErlangError("error", A.system_limit);
}

/** `{Tag, Value}` error, e.g. `{badmatch, V}`. */
export function raiseTagged(tag: Atom, value: Term): never {
  throw new ErlangError("error", [tag, value]);
}

/** BIF errors carry their arguments in the top stack frame. */
export function withBifArgs(e: ErlangError, module: Atom, name: Atom, args: Term[]): ErlangError {
  if (e.topArgs === null && e.cls === "error") e.topArgs = { module, name, args };
  return e;
}

/** The list of arguments as an Erlang list (for `{M, F, Args, Loc}` frames). */
export function argsList(args: Term[]): Term {
  return listFromArray(args);
}
