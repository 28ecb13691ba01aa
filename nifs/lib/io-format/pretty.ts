/**
 * `~p` / `~P` / `~lp` for io_lib and io: the term printer of terms
 * (io_lib_pretty's layout, depth cut included), called with io_lib's
 * arguments and its atom quoting.
 */
import { formatP } from "../../../terms/pretty.ts";
import type { Term } from "../../../terms/term.ts";
import { type Enc, writeAtom } from "./write.ts";

/** Length in code points (what io_lib:chars_length counts). */
export function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/**
 * io_lib_pretty:print/2 for io_lib:format: `col` is the 1-based column where
 * the term starts, `ll` the line length, `depth` -1 for unlimited, `strings`
 * false for `~lp`.
 */
export function prettyPrint(
  t: Term,
  col: number,
  ll: number,
  depth: number,
  enc: Enc,
  strings: boolean,
): string {
  return formatP(t, {
    unicode: enc === "unicode",
    lineLength: ll,
    indent: col - 1,
    depth,
    strings,
    atom: (a) => writeAtom(a, enc),
  });
}
