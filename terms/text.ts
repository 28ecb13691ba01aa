/**
 * Character-level rules io_lib prints by: which characters count as
 * printable, how quoted strings and atoms escape characters, and when an
 * atom needs quotes at all.
 */

/** How a quoted string treats characters >= 160 (io_lib's three variants). */
export enum CharMode {
  /** `write_latin1_string`: keeps 160..255 (input has nothing above). */
  Latin1,
  /** `write_string`: keeps everything >= 160 (`~tp`, `~tw`). */
  Unicode,
  /** `write_string_as_latin1`: keeps 160..255, writes higher as `\x{HEX}` (`~p`, `~w`). */
  UnicodeAsLatin1,
}

/** Erlang's reserved words (always quoted as atoms). */
export const RESERVED: ReadonlySet<string> = new Set([
  "after",
  "and",
  "andalso",
  "band",
  "begin",
  "bnot",
  "bor",
  "bsl",
  "bsr",
  "bxor",
  "case",
  "catch",
  "cond",
  "div",
  "end",
  "fun",
  "if",
  "let",
  "not",
  "of",
  "or",
  "orelse",
  "receive",
  "rem",
  "try",
  "when",
  "xor",
]);

/** a-z and the latin1 lower-case letters ß..ÿ except ÷: what an unquoted atom may start with. */
export function isLowerStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

/** What an unquoted atom may contain. */
export function isNameChar(c: number): boolean {
  return (
    isLowerStart(c) ||
    (c >= 65 && c <= 90) ||
    (c >= 0xc0 && c <= 0xde && c !== 0xd7) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 64
  );
}

/** Whether the atom's text must be quoted to read back as the same atom. */
export function atomNeedsQuotes(name: string): boolean {
  if (name.length === 0 || RESERVED.has(name)) return true;
  let first = true;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (first ? !isLowerStart(c) : !isNameChar(c)) return true;
    first = false;
  }
  return false;
}

/** The escape sequence io_lib writes for character `c` inside quotes `q`. */
export function escapeChar(c: number, q: number, mode: CharMode): string {
  if (c === q) return q === 39 ? "\\'" : '\\"';
  if (c === 92) return "\\\\";
  if (c >= 32 && c <= 126) return String.fromCharCode(c);
  if (c >= 160) {
    if (mode === CharMode.Unicode || c <= 255) return String.fromCodePoint(c);
    if (mode === CharMode.UnicodeAsLatin1) return `\\x{${c.toString(16).toUpperCase()}}`;
  }
  switch (c) {
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 27:
      return "\\e";
    case 127:
      return "\\d";
  }
  // Remaining control characters (and, in latin1 mode, anything unexpected) as octal.
  return `\\${(c >> 6) & 7}${(c >> 3) & 7}${c & 7}`;
}

/** Code points wrapped in quote `q` with io_lib's escapes. */
export function quoteCodePoints(cps: ArrayLike<number>, q: number, mode: CharMode): string {
  let s = String.fromCharCode(q);
  for (let i = 0; i < cps.length; i++) s += escapeChar(cps[i]!, q, mode);
  return s + String.fromCharCode(q);
}

/** Atom text as `~w` (latin1: non-latin1 as `\x{..}`) or `~tw` (unicode) writes it. */
export function formatAtom(name: string, unicode = false): string {
  if (!atomNeedsQuotes(name)) return name;
  const cps = Array.from(name, (ch) => ch.codePointAt(0)!);
  return quoteCodePoints(cps, 39, unicode ? CharMode.Unicode : CharMode.UnicodeAsLatin1);
}

/** Control characters that printable strings may contain (`\n\r\t\v\b\f\e`). */
function isPrintableControl(c: number): boolean {
  return (c >= 8 && c <= 13) || c === 27;
}

/** `io_lib:printable_latin1_list/1` for one character. */
export function isPrintableLatin1(c: number): boolean {
  return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || isPrintableControl(c);
}

/** Printable under `io:printable_range() =:= unicode` (`+pc unicode`). */
export function isPrintableUnicode(c: number): boolean {
  return (
    (c >= 32 && c <= 126) ||
    (c >= 160 && c < 0xd800) ||
    (c > 0xdfff && c < 0xfffe) ||
    (c > 0xffff && c <= 0x10ffff) ||
    isPrintableControl(c)
  );
}
