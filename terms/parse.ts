/**
 * Reads Erlang term literals (as `aion run` takes its arguments and as
 * `file:consult` would read them): numbers in any base, `$c` characters,
 * atoms (quoted or not), strings, binaries, tuples, lists, maps.
 */
import { atom } from "./atom.ts";
import { binaryFromBytes } from "./binary.ts";
import { parseInt36 } from "./integer.ts";
import { listFromArray } from "./list.ts";
import { mapFromPairs } from "./map.ts";
import { Float, type Term } from "./term.ts";

export class TermSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

const ESCAPES: Record<string, number> = {
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  b: 8,
  f: 12,
  e: 27,
  s: 32,
  d: 127,
};

/**
 * Deepest nesting of tuples, lists and maps the reader accepts. It descends
 * recursively (two JS frames a level); literals typed or read from a file do
 * not nest deeper, and refusing with a TermSyntaxError beats a stack overflow.
 */
export const PARSE_MAX_NESTING = 5000;

class TermReader {
  pos = 0;
  /** Containers open around the current position. */
  nest = 0;
  constructor(readonly text: string) {}

  fail(msg: string): never {
    throw new TermSyntaxError(msg, this.pos);
  }

  skipSpace(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
      if (this.text[this.pos] === "%") {
        while (this.pos < this.text.length && this.text[this.pos] !== "\n") this.pos++;
      } else return;
    }
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? "";
  }

  expect(s: string): void {
    this.skipSpace();
    if (!this.text.startsWith(s, this.pos)) this.fail(`expected '${s}'`);
    this.pos += s.length;
  }

  term(): Term {
    const c = this.peek();
    if (c === "{" || c === "[" || c === "#") {
      if (++this.nest > PARSE_MAX_NESTING) {
        this.fail(`term nested deeper than ${PARSE_MAX_NESTING} levels`);
      }
      const t = c === "{" ? this.seq("{", "}") : c === "[" ? this.list() : this.map();
      this.nest--;
      return t;
    }
    if (c === "<" && this.text.startsWith("<<", this.pos)) return this.binary();
    if (c === '"') return listFromArray(this.quoted('"').map((n) => n));
    if (c === "'") return atom(String.fromCodePoint(...this.quoted("'")));
    if (c === "$") return this.char();
    if (c === "-" || c === "+" || /[0-9]/.test(c)) return this.number();
    if (/[a-z]/.test(c)) return this.bareAtom();
    return this.fail(c ? `unexpected '${c}'` : "unexpected end of input");
  }

  seq(open: string, close: string): Term[] {
    this.expect(open);
    const items: Term[] = [];
    if (this.peek() === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.term());
      const c = this.peek();
      this.pos++;
      if (c === close) return items;
      if (c !== ",") this.fail(`expected ',' or '${close}'`);
    }
  }

  list(): Term {
    this.expect("[");
    const items: Term[] = [];
    if (this.peek() === "]") {
      this.pos++;
      return listFromArray(items);
    }
    for (;;) {
      items.push(this.term());
      const c = this.peek();
      this.pos++;
      if (c === "]") return listFromArray(items);
      if (c === "|") {
        const tail = this.term();
        this.expect("]");
        return listFromArray(items, tail);
      }
      if (c !== ",") this.fail("expected ',', '|' or ']'");
    }
  }

  map(): Term {
    this.expect("#");
    this.expect("{");
    const pairs: [Term, Term][] = [];
    if (this.peek() === "}") {
      this.pos++;
      return mapFromPairs(pairs);
    }
    for (;;) {
      const k = this.term();
      this.expect("=>");
      pairs.push([k, this.term()]);
      const c = this.peek();
      this.pos++;
      if (c === "}") return mapFromPairs(pairs);
      if (c !== ",") this.fail("expected ',' or '}'");
    }
  }

  binary(): Term {
    this.expect("<<");
    const bytes: number[] = [];
    if (this.peek() === ">") {
      this.expect(">>");
      return binaryFromBytes(new Uint8Array(0));
    }
    for (;;) {
      if (this.peek() === '"') {
        const cps = this.quoted('"');
        let utf8 = false;
        if (this.text.startsWith("/utf8", this.pos)) {
          utf8 = true;
          this.pos += 5;
        }
        if (utf8) bytes.push(...new TextEncoder().encode(String.fromCodePoint(...cps)));
        else for (const c of cps) bytes.push(c & 255);
      } else {
        const n = this.term();
        if (typeof n !== "number" || n < 0 || n > 255) this.fail("binary segment must be a byte");
        bytes.push(n);
      }
      const c = this.peek();
      if (c === ">") {
        this.expect(">>");
        return binaryFromBytes(Uint8Array.from(bytes));
      }
      this.expect(",");
    }
  }

  quoted(q: string): number[] {
    this.expect(q);
    const out: number[] = [];
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail("unterminated quote");
      this.pos++;
      if (ch === q) return out;
      if (ch === "\\") out.push(this.escape());
      else {
        const cp = this.text.codePointAt(this.pos - 1)!;
        if (cp > 0xffff) this.pos++;
        out.push(cp);
      }
    }
  }

  escape(): number {
    const ch = this.text[this.pos++];
    if (ch === undefined) this.fail("unterminated escape");
    if (ESCAPES[ch] !== undefined) return ESCAPES[ch]!;
    if (/[0-7]/.test(ch)) {
      let s = ch;
      while (s.length < 3 && /[0-7]/.test(this.text[this.pos] ?? "")) s += this.text[this.pos++];
      return Number.parseInt(s, 8);
    }
    if (ch === "x") {
      if (this.text[this.pos] === "{") {
        const end = this.text.indexOf("}", this.pos);
        if (end < 0) this.fail("unterminated \\x{");
        const v = Number.parseInt(this.text.slice(this.pos + 1, end), 16);
        this.pos = end + 1;
        return v;
      }
      const v = Number.parseInt(this.text.slice(this.pos, this.pos + 2), 16);
      this.pos += 2;
      return v;
    }
    if (ch === "^") return this.text.charCodeAt(this.pos++) & 31;
    return ch.codePointAt(0)!;
  }

  char(): Term {
    this.expect("$");
    const ch = this.text[this.pos++];
    if (ch === undefined) this.fail("missing character after $");
    if (ch === "\\") return this.escape();
    const cp = this.text.codePointAt(this.pos - 1)!;
    if (cp > 0xffff) this.pos++;
    return cp;
  }

  number(): Term {
    const m = /^[+-]?(\d+)(#[0-9a-zA-Z]+|\.\d+([eE][+-]?\d+)?)?/.exec(this.text.slice(this.pos));
    if (!m) this.fail("bad number");
    this.pos += m[0].length;
    const t = m[0];
    if (t.includes("#")) {
      const neg = t.startsWith("-");
      const [base, digits] = t.replace(/^[+-]/, "").split("#");
      const b = Number(base);
      const v = b >= 2 && b <= 36 ? parseInt36(digits!, b) : null;
      if (v === null) this.fail("bad based integer");
      return neg ? (typeof v === "number" ? -v : -v) : v;
    }
    if (t.includes(".")) return new Float(Number(t));
    const v = parseInt36(t, 10);
    if (v === null) this.fail("bad integer");
    return v;
  }

  bareAtom(): Term {
    const m = /^[a-z][a-zA-Z0-9_@]*/.exec(this.text.slice(this.pos))!;
    this.pos += m[0].length;
    return atom(m[0]);
  }
}

/** Parses one term; trailing text other than whitespace and one `.` is an error. */
export function parseTerm(text: string): Term {
  const r = new TermReader(text);
  const t = r.term();
  if (r.peek() === ".") r.pos++;
  if (r.peek() !== "") r.fail("unexpected text after term");
  return t;
}
