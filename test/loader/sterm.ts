/**
 * Test helper: reads the Erlang terms of an `erlc -S` listing (a sequence of
 * `Term.` forms with `%` comments) into terms values, so listings can be
 * compared with the disassembler structurally rather than as text.
 *
 * Covers what `~p` writes into listings: atoms (quoted, with escapes),
 * integers of any size, floats, strings, tuples, lists (with `|` tails),
 * binaries (`<<"text">>`, `<<1,2:3>>`), maps and `fun M:F/A`.
 */
import {
  atom,
  BitString,
  Cons,
  ExportFun,
  Float,
  mapFromPairs,
  NIL,
  normBig,
  type Term,
  writeBitsSmall,
} from "../../terms/index.ts";

class Lexer {
  pos = 0;
  constructor(readonly s: string) {}

  fail(msg: string): never {
    const line = this.s.slice(0, this.pos).split("\n").length;
    throw new Error(`.S parse error at line ${line}: ${msg}`);
  }

  skip(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === "%") {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
      } else if (c === " " || c === "\n" || c === "\t" || c === "\r") this.pos++;
      else break;
    }
  }

  peek(text: string): boolean {
    this.skip();
    return this.s.startsWith(text, this.pos);
  }

  eat(text: string): boolean {
    if (!this.peek(text)) return false;
    this.pos += text.length;
    return true;
  }

  expect(text: string): void {
    if (!this.eat(text))
      this.fail(`expected ${text}, found ${this.s.slice(this.pos, this.pos + 20)}`);
  }

  atEnd(): boolean {
    this.skip();
    return this.pos >= this.s.length;
  }
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isNameChar = (c: string | undefined) =>
  c !== undefined &&
  (/[A-Za-z0-9_@]/.test(c) || (c >= "\u00c0" && c <= "\u00ff" && c !== "\u00d7" && c !== "\u00f7"));
const isAtomStart = (c: string | undefined) =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "\u00df" && c <= "\u00ff" && c !== "\u00f7"));

/** Reads a quoted sequence (after the opening quote) up to `quote`; returns code points. */
function quoted(lx: Lexer, quote: string): number[] {
  const s = lx.s;
  const out: number[] = [];
  for (;;) {
    const c = s[lx.pos++];
    if (c === undefined) lx.fail("unterminated quote");
    if (c === quote) return out;
    if (c !== "\\") {
      const cp = s.codePointAt(lx.pos - 1)!;
      out.push(cp);
      if (cp > 0xffff) lx.pos++;
      continue;
    }
    const e = s[lx.pos++];
    const simple: Record<string, number> = {
      n: 10,
      r: 13,
      t: 9,
      v: 11,
      b: 8,
      f: 12,
      e: 27,
      d: 127,
      s: 32,
    };
    if (e !== undefined && e in simple) out.push(simple[e]!);
    else if (e === "^") out.push(s.charCodeAt(lx.pos++) & 31);
    else if (e === "x") {
      if (s[lx.pos] === "{") {
        const end = s.indexOf("}", lx.pos);
        out.push(Number.parseInt(s.slice(lx.pos + 1, end), 16));
        lx.pos = end + 1;
      } else {
        out.push(Number.parseInt(s.slice(lx.pos, lx.pos + 2), 16));
        lx.pos += 2;
      }
    } else if (e !== undefined && e >= "0" && e <= "7") {
      let oct = e;
      while (oct.length < 3 && s[lx.pos]! >= "0" && s[lx.pos]! <= "7") oct += s[lx.pos++];
      out.push(Number.parseInt(oct, 8));
    } else if (e !== undefined) out.push(e.codePointAt(0)!);
  }
}

function number(lx: Lexer): Term {
  const s = lx.s;
  const start = lx.pos;
  if (s[lx.pos] === "-") lx.pos++;
  while (isDigit(s[lx.pos])) lx.pos++;
  let isFloat = false;
  if (s[lx.pos] === "." && isDigit(s[lx.pos + 1])) {
    isFloat = true;
    lx.pos++;
    while (isDigit(s[lx.pos])) lx.pos++;
    if (s[lx.pos] === "e" || s[lx.pos] === "E") {
      lx.pos++;
      if (s[lx.pos] === "-" || s[lx.pos] === "+") lx.pos++;
      while (isDigit(s[lx.pos])) lx.pos++;
    }
  }
  const text = s.slice(start, lx.pos);
  return isFloat ? new Float(Number(text)) : normBig(BigInt(text));
}

function name(lx: Lexer): string {
  const start = lx.pos;
  while (isNameChar(lx.s[lx.pos])) lx.pos++;
  return lx.s.slice(start, lx.pos);
}

function atomOrQuoted(lx: Lexer): string {
  lx.skip();
  if (lx.s[lx.pos] === "'") {
    lx.pos++;
    return String.fromCodePoint(...quoted(lx, "'"));
  }
  return name(lx);
}

function binary(lx: Lexer): BitString {
  const bytes: number[] = [];
  let bits = 0;
  let tail = 0;
  let tailBits = 0;
  if (!lx.eat(">>")) {
    do {
      lx.skip();
      if (lx.s[lx.pos] === '"') {
        lx.pos++;
        for (const c of quoted(lx, '"')) bytes.push(c & 0xff);
      } else {
        const v = Number(number(lx));
        if (lx.eat(":")) {
          lx.skip();
          tailBits = Number(number(lx));
          tail = v;
        } else bytes.push(v);
      }
    } while (lx.eat(","));
    lx.expect(">>");
  }
  bits = bytes.length * 8 + tailBits;
  const buf = new Uint8Array(Math.ceil(bits / 8));
  buf.set(bytes);
  if (tailBits) writeBitsSmall(buf, bytes.length * 8, tailBits, tail);
  return new BitString(buf, 0, bits);
}

function list(lx: Lexer): Term {
  if (lx.eat("]")) return NIL;
  const items: Term[] = [];
  let tail: Term = NIL;
  do items.push(term(lx));
  while (lx.eat(","));
  if (lx.eat("|")) tail = term(lx);
  lx.expect("]");
  for (let i = items.length - 1; i >= 0; i--) tail = new Cons(items[i]!, tail);
  return tail;
}

/** Reads one term. */
export function term(lx: Lexer): Term {
  lx.skip();
  const s = lx.s;
  const c = s[lx.pos];
  if (c === "{") {
    lx.pos++;
    const items: Term[] = [];
    if (!lx.eat("}")) {
      do items.push(term(lx));
      while (lx.eat(","));
      lx.expect("}");
    }
    return items;
  }
  if (c === "[") {
    lx.pos++;
    return list(lx);
  }
  if (lx.eat("<<")) return binary(lx);
  if (lx.eat("#{")) {
    const pairs: [Term, Term][] = [];
    if (!lx.eat("}")) {
      do {
        const k = term(lx);
        lx.expect("=>");
        pairs.push([k, term(lx)]);
      } while (lx.eat(","));
      lx.expect("}");
    }
    return mapFromPairs(pairs);
  }
  if (c === '"') {
    lx.pos++;
    let l: Term = NIL;
    const cps = quoted(lx, '"');
    for (let i = cps.length - 1; i >= 0; i--) l = new Cons(cps[i]!, l);
    return l;
  }
  if (c === "'") return atom(atomOrQuoted(lx));
  if (isDigit(c) || (c === "-" && isDigit(s[lx.pos + 1]))) return number(lx);
  if (isAtomStart(c)) {
    const n = name(lx);
    if (n === "fun" && !lx.peek(",") && !lx.peek("}") && !lx.peek("]")) {
      const m = atomOrQuoted(lx);
      lx.expect(":");
      const f = atomOrQuoted(lx);
      lx.expect("/");
      lx.skip();
      return new ExportFun(atom(m), atom(f), Number(number(lx)));
    }
    return atom(n);
  }
  return lx.fail(`unexpected ${s.slice(lx.pos, lx.pos + 20)}`);
}

/** All `Term.` forms of a listing. */
export function readForms(text: string): Term[] {
  const lx = new Lexer(text);
  const out: Term[] = [];
  while (!lx.atEnd()) {
    out.push(term(lx));
    lx.expect(".");
  }
  return out;
}
