/**
 * Identifiers as text and funs from names: `pid_to_list/1`, `ref_to_list/1`,
 * `port_to_list/1`, `fun_to_list/1` (the `~w` text of the term) and
 * `make_fun/3`.
 */

import { Atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { stringToList } from "../../terms/list.ts";
import { ExportFun, Fun, Pid, Port, Ref, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";

/** OTP's largest function arity. */
const MAX_ARITY = 255;

type TermClass = typeof Pid | typeof Ref | typeof Port;

function textOf(t: Term, cls: TermClass): Term {
  return t instanceof cls ? stringToList(formatW(t)) : badarg();
}

/** The identifier-to-text BIFs and `make_fun/3`. */
export const termTextNatives: NativeModule = defineNatives("erlang", {
  "pid_to_list/1": (_p, t) => textOf(t, Pid),
  "ref_to_list/1": (_p, t) => textOf(t, Ref),
  "port_to_list/1": (_p, t) => textOf(t, Port),
  "fun_to_list/1": (_p, f) =>
    f instanceof Fun || f instanceof ExportFun ? stringToList(formatW(f)) : badarg(),
  "make_fun/3": (_p, m, f, a) => {
    if (!(m instanceof Atom) || !(f instanceof Atom)) return badarg();
    if (typeof a !== "number" || a < 0 || a > MAX_ARITY) return badarg();
    return new ExportFun(m, f, a);
  },
});
