/**
 * A string key for a term under exact equality (`=:=`), for JS Maps that
 * index Erlang terms (persistent_term, ets). Built from the External Term
 * Format, which encodes exactly-equal terms identically (map pairs are
 * written in key order), so `1` and `1.0` get different keys.
 */
import { encodeExternalTerm } from "../../terms/etf.ts";
import type { Term } from "../../terms/term.ts";

export function termKey(t: Term): string {
  if (typeof t === "number") return `i${t}`;
  const b = encodeExternalTerm(t);
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
