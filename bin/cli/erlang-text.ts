/**
 * Failure messages for people. The engine records a crashed workflow's or
 * activity's reason as `CLASS:REASON` with REASON written as `~w` does, where
 * a binary is a row of byte values (`{badmatch,{error,<<116,101,...>>}}`).
 * The CLI shows REASON the way `~tp` does instead (`<<"text">>`, `"text"`
 * for printable lists), with the repository's own `~tp` printer. Messages
 * that are not such a term are shown unchanged.
 */
import { formatPSingleLine } from "../../terms/index.ts";
import { parseTerm } from "../../terms/parse.ts";

const CRASH = /^(error|exit|throw):([\s\S]+)$/;

/**
 * Pids, ports, refs and funs have no literal syntax; they are swapped for
 * placeholder atoms while the term is parsed and printed, then put back.
 */
const OPAQUE = /#Ref<[\d.]+>|#Port<[\d.]+>|#Fun<[^<>]+>|<\d+\.\d+\.\d+>/g;

/** `message` with an Erlang crash reason re-rendered as `~tp` would print it. */
export function readableFailure(message: string): string {
  const m = CRASH.exec(message);
  if (m === null) return message;
  const reason = readableTerm(m[2]!);
  return reason === undefined ? message : `${m[1]}:${reason}`;
}

/** A `~w`-written term as `~tp` writes it (on one line), or undefined if it does not parse. */
export function readableTerm(text: string): string | undefined {
  const opaque: string[] = [];
  const swapped = text.replace(OPAQUE, (token) => {
    opaque.push(token);
    return `'$aion_opaque_${opaque.length - 1}'`;
  });
  try {
    const printed = formatPSingleLine(parseTerm(swapped), true);
    return printed.replace(/'\$aion_opaque_(\d+)'/g, (_, i: string) => opaque[Number(i)]!);
  } catch {
    return undefined;
  }
}
