/**
 * Binary construction errors as OTP 25+ raises them: `badarg` (or
 * `system_limit` for absurd sizes) whose stack frame carries
 * `{error_info, #{cause => {Segment, Type, Problem, Value}, function =>
 * format_bs_fail, module => erl_erts_errors}}`, e.g. `{1,integer,type,a}` for
 * `<<a:8>>` or `{2,integer,size,-1}`. Problems: `type`, `size`, `unit`,
 * `short` (a sized binary segment longer than the value), `invalid` (float
 * size not 16/32/64) and `no_float` (an integer too big to be a float).
 */

import { A, type Atom, atom } from "../../../terms/atom.ts";
import { listFromArray } from "../../../terms/list.ts";
import { mapFromPairs } from "../../../terms/map.ts";
import type { Term } from "../../../terms/term.ts";
import { ErlangError } from "../../errors.ts";

export const SEG = {
  integer: atom("integer"),
  float: atom("float"),
  binary: atom("binary"),
  utf8: atom("utf8"),
  utf16: atom("utf16"),
  utf32: atom("utf32"),
} as const;

export const PROBLEM = {
  type: atom("type"),
  size: atom("size"),
  unit: atom("unit"),
  short: atom("short"),
  invalid: atom("invalid"),
  no_float: atom("no_float"),
} as const;

const FORMAT_BS_FAIL = atom("format_bs_fail");
const ERL_ERTS_ERRORS = atom("erl_erts_errors");
const CAUSE = atom("cause");
const FUNCTION = atom("function");
const MODULE = atom("module");

/**
 * A failed segment. The stack trace builder can put {@link errorInfo} in the
 * location list of the frame that ran the instruction, as BEAM does.
 */
export class BsConstructError extends ErlangError {
  constructor(
    reason: Atom,
    /** `{Segment, Type, Problem, Value}`. */
    readonly bsCause: Term,
  ) {
    super("error", reason);
    // BEAM appends the cause to the failing frame's location, after file and line.
    this.extraLocation.push(this.errorInfo());
  }

  /** `{error_info, #{cause => ..., function => format_bs_fail, module => erl_erts_errors}}`. */
  errorInfo(): Term {
    const info = mapFromPairs([
      [CAUSE, this.bsCause],
      [FUNCTION, FORMAT_BS_FAIL],
      [MODULE, ERL_ERTS_ERRORS],
    ]);
    return [A.error_info, info];
  }

  /** The error info as a one-element location list, for callers that append it. */
  errorInfoList(): Term {
    return listFromArray([this.errorInfo()]);
  }
}

/** Raises `badarg` for segment `seg` of type `type`. */
export function bsFail(seg: number, type: Atom, problem: Atom, value: Term): never {
  throw new BsConstructError(A.badarg, [seg, type, problem, value]);
}

/** Raises `system_limit` for a size too large to build. */
export function bsLimit(seg: number, type: Atom, value: Term): never {
  throw new BsConstructError(A.system_limit, [seg, type, PROBLEM.size, value]);
}
