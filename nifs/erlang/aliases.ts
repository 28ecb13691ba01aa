/**
 * `erlang:alias/0,1`, `unalias/1` and the `{alias, Mode}` option of
 * `monitor/3`: process aliases (vm/process/aliases.ts), which OTP's `gen`
 * uses for every `gen_server:call` with a timeout.
 */

import { A, Atom } from "../../terms/atom.ts";
import { listToArray } from "../../terms/list.ts";
import { NIL, Ref, type Term } from "../../terms/term.ts";
import {
  type AliasMode,
  activateAlias,
  badarg,
  deactivateAlias,
  defineNatives,
  type NativeModule,
  type Process,
} from "../../vm/index.ts";

const MODES: readonly AliasMode[] = ["explicit_unalias", "demonitor", "reply_demonitor", "reply"];

function aliasMode(t: Term): AliasMode {
  const m = t instanceof Atom ? MODES.find((x) => x === t.name) : undefined;
  return m ?? badarg();
}

/** `alias(Opts)`: `[]`, `[explicit_unalias]` or `[reply]`. */
function newAlias(p: Process, opts: Term): Term {
  const list = listToArray(opts) ?? badarg();
  let mode: AliasMode = "explicit_unalias";
  for (const o of list) {
    const m = aliasMode(o);
    if (m !== "explicit_unalias" && m !== "reply") badarg();
    mode = m;
  }
  const ref = p.vm.makeRef();
  activateAlias(p.vm, ref, p, mode);
  return ref;
}

/**
 * The alias mode asked for in `monitor/3`'s option list, or null for none.
 * Other options (`{tag, T}`) are accepted and ignored.
 */
export function monitorAliasOption(opts: Term): AliasMode | null {
  const list = listToArray(opts) ?? badarg();
  let mode: AliasMode | null = null;
  for (const o of list) {
    if (!Array.isArray(o) || o.length !== 2 || !(o[0] instanceof Atom)) badarg();
    if (o[0].name === "alias") mode = aliasMode(o[1]!);
    else if (o[0].name !== "tag") badarg();
  }
  return mode;
}

export const aliasNatives: NativeModule = defineNatives("erlang", {
  "alias/0": (p) => newAlias(p, NIL),
  "alias/1": (p, opts) => newAlias(p, opts!),
  "unalias/1": (p, ref) => {
    if (!(ref instanceof Ref)) badarg();
    return deactivateAlias(p.vm, ref, p) ? A.true : A.false;
  },
});
