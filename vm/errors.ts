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
import { NIL, type Term } from "../terms/term.ts";
import type { CodeArea } from "./code/code-area.ts";
import type { Process } from "./process/process.ts";
import { buildTrace, NO_EXTRA, NO_RETURNS, traceReturns } from "./stacktrace.ts";

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
  /** The stack trace list once built or given (raise/3); see {@link stack_}. */
  private trace: Term | null = null;
  /**
   * The raw trace kept at throw time until the list is built: the code area,
   * the faulting pc and the return addresses (see stacktrace.ts). `rawCode`
   * is null when there is none.
   */
  private rawCode: CodeArea | null = null;
  private rawPc = 0;
  private rawReturns: readonly number[] = NO_RETURNS;
  /** Rethrown by the `raise` instruction: the exception whose trace this one carries. */
  private traceOf: ErlangError | null = null;
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
  /** Items of {@link extraLocation}, null while there are none. */
  private extra: Term[] | null = null;
  /** The JS exception behind an error that came from a host bug, for diagnostics. */
  hostError: unknown = null;

  constructor(
    readonly cls: ExceptionClass,
    readonly reason: Term,
  ) {}

  /**
   * Erlang's stack trace (a list of `{M, F, ArityOrArgs, Location}`), or null
   * before the exception reached the interpreter loop. Built from the raw
   * trace on first read; read it only where the list is really wanted (a
   * caught exception's `build_stacktrace`, an error's exit reason, a report).
   */
  get stack_(): Term | null {
    if (this.trace === null) {
      const code = this.rawCode;
      if (code !== null) {
        this.trace = buildTrace(code, this.rawPc, this.rawReturns, this);
        this.rawCode = null;
        this.rawReturns = NO_RETURNS;
      } else if (this.traceOf !== null) {
        this.trace = this.traceOf.stack_ ?? NIL;
        this.traceOf = null;
      }
    }
    return this.trace;
  }

  set stack_(t: Term | null) {
    this.trace = t;
    this.rawCode = null;
    this.rawReturns = NO_RETURNS;
    this.traceOf = null;
  }

  /** Whether a stack trace was captured or given (built or not). */
  get hasStacktrace(): boolean {
    return this.trace !== null || this.rawCode !== null || this.traceOf !== null;
  }

  /**
   * Carries the stack trace of `other` (the exception a handler caught and
   * the `raise` instruction rethrows), built when either of them is read;
   * none (the empty list) if `other` has none.
   */
  shareStacktrace(other: ErlangError): void {
    this.stack_ = null;
    if (other.trace !== null || other.rawCode !== null) this.traceOf = other;
    else if (other.traceOf !== null) this.traceOf = other.traceOf;
    else this.trace = NIL;
  }

  /**
   * Keeps what the stack trace of this exception, raised at `pc` in `p`, is
   * built from, unless it already has one: the list itself is made on the
   * first read of {@link stack_}, which may come after `p` has moved on or died.
   */
  captureStacktrace(code: CodeArea, p: Process, pc: number): void {
    if (this.hasStacktrace) return;
    this.rawCode = code;
    this.rawPc = pc;
    this.rawReturns = traceReturns(code, p.ret);
  }

  /** Extra items for the current frame's location (`error/3`'s error_info); append to add. */
  get extraLocation(): Term[] {
    return (this.extra ??= []);
  }

  /** The extra location items, without creating the list when there are none. */
  get locationExtra(): readonly Term[] {
    return this.extra ?? NO_EXTRA;
  }

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
