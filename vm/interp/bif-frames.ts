/**
 * Which stack frame a failing BIF adds, as BEAM 25 does it: a BIF frame
 * `{erlang, F, Args, [{error_info, #{module => erl_erts_errors}}]}` on top of
 * the caller. The exception is BEAM's inline arithmetic: `X + 1` and `X - 1`
 * with a small integer literal as second operand (and unary `+`) fail with
 * only the caller's frame (checked on OTP 25: `id(a) + 1` has no erlang frame,
 * `id(a) + id(1)`, `id(a) * 2` and `-id(a)` do).
 */
import type { Operand } from "../../loader/module.ts";
import { atom } from "../../terms/atom.ts";
import { listFromArray } from "../../terms/list.ts";
import { mapFromPairs } from "../../terms/map.ts";
import type { Term } from "../../terms/term.ts";
import type { ExportEntry } from "../code/exports.ts";
import { ErlangError } from "../errors.ts";

const ERTS_ERROR_INFO: Term = listFromArray([
  [atom("error_info"), mapFromPairs([[atom("module"), atom("erl_erts_errors")]])],
]);
const STDLIB_ERROR_INFO: Term = listFromArray([
  [atom("error_info"), mapFromPairs([[atom("module"), atom("erl_stdlib_errors")]])],
]);
/** Modules whose natives are BIFs in OTP too (so OTP shows a BIF frame for them). */
const STDLIB_BIF_MODULES = new Set(["lists", "maps", "binary", "unicode", "math"]);

const isSmallIntLiteral = (o: Operand | undefined): boolean =>
  o !== undefined && o.kind === "int" && typeof o.value === "number";

/** Whether a `bif`/`gc_bif` instruction calling `entry` with `args` adds a BIF frame on failure. */
export function bifInstructionHasFrame(entry: ExportEntry, args: readonly Operand[]): boolean {
  if (entry.module.name !== "erlang") return true;
  const name = entry.name.name;
  if (name === "+" && args.length === 1) return false;
  if ((name === "+" || name === "-") && args.length === 2) return !isSmallIntLiteral(args[1]);
  return true;
}

/** Annotates `e` (thrown by native `entry` with `args`) with BEAM's BIF frame. */
export function addBifFrame(e: unknown, entry: ExportEntry, args: Term[]): void {
  if (!(e instanceof ErlangError) || e.cls !== "error" || e.topArgs !== null || e.fromErlangCode)
    return;
  const m = entry.module.name;
  e.topArgs = { module: entry.module, name: entry.name, args };
  if (m === "erlang") e.topInfo = ERTS_ERROR_INFO;
  else if (STDLIB_BIF_MODULES.has(m)) e.topInfo = STDLIB_ERROR_INFO;
}
