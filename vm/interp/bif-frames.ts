/**
 * Which stack frame a failing BIF adds, as BEAM does it: a BIF frame
 * `{erlang, F, Args, [{error_info, #{module => erl_erts_errors}}]}` on top of
 * the caller, except for operators evaluated inline by compiled code
 * (`a + 1` fails with only the caller's frame).
 */
import type { ExportEntry } from "../code/exports.ts";
import { ErlangError } from "../errors.ts";
import { atom } from "../terms/atom.ts";
import { listFromArray } from "../terms/list.ts";
import { mapFromPairs } from "../terms/map.ts";
import type { Term } from "../terms/term.ts";

const OPERATORS = new Set([
  "+",
  "-",
  "*",
  "/",
  "div",
  "rem",
  "band",
  "bor",
  "bxor",
  "bsl",
  "bsr",
  "bnot",
]);

const ERTS_ERROR_INFO: Term = listFromArray([
  [atom("error_info"), mapFromPairs([[atom("module"), atom("erl_erts_errors")]])],
]);
const STDLIB_ERROR_INFO: Term = listFromArray([
  [atom("error_info"), mapFromPairs([[atom("module"), atom("erl_stdlib_errors")]])],
]);
/** Modules whose natives are BIFs in OTP too (so OTP shows a BIF frame for them). */
const STDLIB_BIF_MODULES = new Set(["lists", "maps", "binary", "unicode", "math"]);

/** Annotates `e` (thrown by native `entry` with `args`) with BEAM's BIF frame. */
export function addBifFrame(e: unknown, entry: ExportEntry, args: Term[], inline: boolean): void {
  if (!(e instanceof ErlangError) || e.cls !== "error" || e.topArgs !== null || e.fromErlangCode)
    return;
  const m = entry.module.name;
  if (inline && m === "erlang" && OPERATORS.has(entry.name.name)) return;
  e.topArgs = { module: entry.module, name: entry.name, args };
  if (m === "erlang") e.topInfo = ERTS_ERROR_INFO;
  else if (STDLIB_BIF_MODULES.has(m)) e.topInfo = STDLIB_ERROR_INFO;
}
