/**
 * Floats as text: `float_to_list/1,2`, `float_to_binary/1,2`,
 * `list_to_float/1`, `binary_to_float/1`. The formatting algorithms are in
 * float-format.ts.
 *
 * Parsing accepts what OTP's strtod-based reader accepts: an optional sign,
 * digits, a point (a comma also works, as in OTP), digits, and an optional
 * exponent; a NUL ends the text early. Overflow is `badarg`, underflow gives
 * 0.0.
 */

import { atom } from "../../terms/atom.ts";
import { BitString, binaryFromString } from "../../terms/binary.ts";
import { formatFloatShort } from "../../terms/float.ts";
import { stringToList } from "../../terms/list.ts";
import { Cons, Float, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";
import { formatDecimals, formatScientific } from "./float-format.ts";
import { binaryBytes, charListToString, decodeLatin1 } from "./text.ts";

const SHORT = atom("short");
const COMPACT = atom("compact");
const DECIMALS = atom("decimals");
const SCIENTIFIC = atom("scientific");

/** OTP's limits on the option values (longer texts would not fit its buffer). */
const MAX_DECIMALS = 253;
const MAX_SCIENTIFIC = 249;
const DEFAULT_SCIENTIFIC = 20;

enum Style {
  Scientific,
  Decimals,
  Short,
}

/** `float_to_list(F, Options)` as JS text; `badarg` on bad input. */
function floatText(f: Term, opts: Term): string {
  if (!(f instanceof Float)) return badarg();
  let style = Style.Scientific;
  let digits = DEFAULT_SCIENTIFIC;
  let compact = false;
  // Options apply in order; the last format option wins.
  while (opts instanceof Cons) {
    const o = opts.head;
    if (o === COMPACT) compact = true;
    else if (o === SHORT) style = Style.Short;
    else if (Array.isArray(o) && o.length === 2 && typeof o[1] === "number") {
      const n = o[1];
      if (o[0] === DECIMALS && n >= 0 && n <= MAX_DECIMALS) {
        style = Style.Decimals;
        digits = n;
      } else if (o[0] === SCIENTIFIC && n <= MAX_SCIENTIFIC) {
        style = Style.Scientific;
        digits = n;
      } else badarg();
    } else badarg();
    opts = opts.tail;
  }
  if (opts !== NIL) badarg();
  const v = f.value;
  if (style === Style.Short) return formatFloatShort(v);
  const text =
    style === Style.Decimals ? formatDecimals(v, digits, compact) : formatScientific(v, digits);
  return text ?? badarg();
}

const FLOAT_SYNTAX = /^[+-]?[0-9]+[.,][0-9]+(?:[eE][+-]?[0-9]+)?$/;

/** Reads Erlang float syntax; `badarg` if the text is not a float or overflows. */
function parseFloatText(text: string | null): Float {
  if (text === null) return badarg();
  // OTP hands the text to C as a NUL-terminated string.
  const nul = text.indexOf("\0");
  if (nul >= 0) text = text.slice(0, nul);
  if (!FLOAT_SYNTAX.test(text)) return badarg();
  const v = Number(text.replace(",", "."));
  if (v - v !== 0) return badarg();
  return new Float(v);
}

function binaryToFloat(b: Term): Float {
  if (!(b instanceof BitString)) return badarg();
  const bytes = binaryBytes(b);
  return parseFloatText(bytes === null ? null : decodeLatin1(bytes));
}

/** The float-to-text and text-to-float BIFs. */
export const floatTextNatives: NativeModule = defineNatives("erlang", {
  "float_to_list/1": (_p, f) => stringToList(floatText(f, NIL)),
  "float_to_list/2": (_p, f, o) => stringToList(floatText(f, o)),
  "float_to_binary/1": (_p, f) => binaryFromString(floatText(f, NIL)),
  "float_to_binary/2": (_p, f, o) => binaryFromString(floatText(f, o)),
  "list_to_float/1": (_p, l) => parseFloatText(charListToString(l, 255)),
  "binary_to_float/1": (_p, b) => binaryToFloat(b),
});
