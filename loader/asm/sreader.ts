/**
 * Reads an assembly listing — the text `erlc -S` writes — as a sequence of
 * Erlang terms, each ended by a `.`, with `%` comments. Each form keeps the
 * line it starts on so errors can point at it.
 *
 * The syntax is what `io_lib:format("~p")` produces plus what people write
 * by hand: atoms (bare or quoted, with escapes), integers of any size (also
 * `Base#Digits` and `$c`), floats, strings, tuples, lists with `|` tails,
 * binaries (`<<"text">>`, `<<1,2,3:4>>`), maps (`#{K => V}`) and
 * `fun M:F/A`.
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
import { AsmError } from "./errors.ts";

/** One top-level form and where it starts. */
export interface SourceForm {
  readonly term: Term;
  /** 1-based line of the form's first character. */
  readonly line: number;
}

const ESCAPES: Record<string, number> = {
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

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
// Latin-1 letters count as name characters, as in Erlang (minus × and ÷).
const isLatinLetter = (c: string): boolean =>
  c >= "\u00c0" && c <= "\u00ff" && c !== "\u00d7" && c !== "\u00f7";
const isNameChar = (c: string | undefined): boolean =>
  c !== undefined && (/[A-Za-z0-9_@]/.test(c) || isLatinLetter(c));
const isAtomStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "\u00df" && c <= "\u00ff" && c !== "\u00f7"));

class Scanner {
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  // Forms are read in order, so counting newlines on from the last answer is linear overall.
  private linePos = 0;
  private lineNo = 1;

  lineAt(pos: number): number {
    if (pos < this.linePos) {
      this.linePos = 0;
      this.lineNo = 1;
    }
    for (let i = this.linePos; i < pos && i < this.text.length; i++)
      if (this.text.charCodeAt(i) === 10) this.lineNo++;
    this.linePos = pos;
    return this.lineNo;
  }

  fail(msg: string): never {
    const near = this.text.slice(this.pos, this.pos + 24).replace(/\n.*/s, "");
    throw new AsmError(`syntax error: ${msg}`, this.file, this.lineAt(this.pos), near);
  }

  skip(): void {
    const s = this.text;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === "%") while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
      else if (c === " " || c === "\n" || c === "\t" || c === "\r") this.pos++;
      else break;
    }
  }

  eat(token: string): boolean {
    this.skip();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected '${token}'`);
  }

  /** Characters of a quoted run (after the opening quote) as code points. */
  quoted(quote: string): number[] {
    const s = this.text;
    const out: number[] = [];
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) this.fail("unterminated quoted text");
      this.pos++;
      if (c === quote) return out;
      if (c !== "\\") {
        const cp = s.codePointAt(this.pos - 1)!;
        out.push(cp);
        if (cp > 0xffff) this.pos++;
        continue;
      }
      out.push(this.escape());
    }
  }

  /** One escape sequence, after the backslash. */
  escape(): number {
    const s = this.text;
    const e = s[this.pos++];
    if (e === undefined) this.fail("unterminated escape");
    if (e in ESCAPES) return ESCAPES[e]!;
    if (e === "^") return s.charCodeAt(this.pos++) & 31;
    if (e === "x") {
      if (s[this.pos] === "{") {
        const end = s.indexOf("}", this.pos);
        if (end < 0) this.fail("unterminated \\x{...}");
        const v = Number.parseInt(s.slice(this.pos + 1, end), 16);
        this.pos = end + 1;
        return v;
      }
      const v = Number.parseInt(s.slice(this.pos, this.pos + 2), 16);
      this.pos += 2;
      return v;
    }
    if (e >= "0" && e <= "7") {
      let oct = e;
      while (oct.length < 3 && s[this.pos]! >= "0" && s[this.pos]! <= "7") oct += s[this.pos++];
      return Number.parseInt(oct, 8);
    }
    return e.codePointAt(0)!;
  }

  number(): Term {
    const s = this.text;
    const start = this.pos;
    const neg = s[this.pos] === "-";
    if (neg) this.pos++;
    if (s[this.pos] === "$") {
      this.pos++;
      let c: number;
      if (s[this.pos] === "\\") {
        this.pos++;
        c = this.escape();
      } else c = s.codePointAt(this.pos++)!;
      return neg ? -c : c;
    }
    while (isDigit(s[this.pos])) this.pos++;
    if (s[this.pos] === "#") {
      const base = Number(s.slice(neg ? start + 1 : start, this.pos));
      this.pos++;
      const from = this.pos;
      while (/[0-9A-Za-z]/.test(s[this.pos] ?? "")) this.pos++;
      let v = 0n;
      for (const d of s.slice(from, this.pos).toLowerCase()) {
        const dv = Number.parseInt(d, 36);
        if (!(dv < base)) this.fail(`digit ${d} out of range for base ${base}`);
        v = v * BigInt(base) + BigInt(dv);
      }
      return normBig(neg ? -v : v);
    }
    if (s[this.pos] === "." && isDigit(s[this.pos + 1])) {
      this.pos++;
      while (isDigit(s[this.pos])) this.pos++;
      if (s[this.pos] === "e" || s[this.pos] === "E") {
        this.pos++;
        if (s[this.pos] === "-" || s[this.pos] === "+") this.pos++;
        while (isDigit(s[this.pos])) this.pos++;
      }
      return new Float(Number(s.slice(start, this.pos)));
    }
    if (this.pos === start + (neg ? 1 : 0)) this.fail("expected a number");
    return normBig(BigInt(s.slice(start, this.pos)));
  }

  name(): string {
    const start = this.pos;
    while (isNameChar(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  atomText(): string {
    this.skip();
    if (this.text[this.pos] === "'") {
      this.pos++;
      return String.fromCodePoint(...this.quoted("'"));
    }
    if (!isAtomStart(this.text[this.pos])) this.fail("expected an atom");
    return this.name();
  }

  smallInt(): number {
    this.skip();
    const v = this.number();
    if (typeof v !== "number") this.fail("expected a small integer");
    return v;
  }

  binary(): BitString {
    const bytes: number[] = [];
    let tail = 0;
    let tailBits = 0;
    if (!this.eat(">>")) {
      do {
        if (tailBits !== 0) this.fail("only the last binary segment may have a size");
        this.skip();
        if (this.text[this.pos] === '"') {
          this.pos++;
          for (const c of this.quoted('"')) bytes.push(c & 0xff);
          continue;
        }
        const v = this.smallInt();
        if (this.eat(":")) {
          tailBits = this.smallInt();
          if (tailBits < 1 || tailBits > 8) this.fail("segment size must be 1..8");
          if (tailBits === 8) {
            bytes.push(v & 0xff);
            tailBits = 0;
          } else tail = v;
        } else bytes.push(v & 0xff);
      } while (this.eat(","));
      this.expect(">>");
    }
    const bits = bytes.length * 8 + tailBits;
    const buf = new Uint8Array(Math.ceil(bits / 8));
    buf.set(bytes);
    if (tailBits) writeBitsSmall(buf, bytes.length * 8, tailBits, tail & ((1 << tailBits) - 1));
    return new BitString(buf, 0, bits);
  }

  list(): Term {
    if (this.eat("]")) return NIL;
    const items: Term[] = [];
    let tail: Term = NIL;
    do items.push(this.term());
    while (this.eat(","));
    if (this.eat("|")) tail = this.term();
    this.expect("]");
    for (let i = items.length - 1; i >= 0; i--) tail = new Cons(items[i]!, tail);
    return tail;
  }

  term(): Term {
    this.skip();
    const s = this.text;
    const c = s[this.pos];
    if (c === "{") {
      this.pos++;
      const items: Term[] = [];
      if (!this.eat("}")) {
        do items.push(this.term());
        while (this.eat(","));
        this.expect("}");
      }
      return items;
    }
    if (c === "[") {
      this.pos++;
      return this.list();
    }
    if (this.eat("<<")) return this.binary();
    if (this.eat("#{")) {
      const pairs: [Term, Term][] = [];
      if (!this.eat("}")) {
        do {
          const k = this.term();
          this.expect("=>");
          pairs.push([k, this.term()]);
        } while (this.eat(","));
        this.expect("}");
      }
      return mapFromPairs(pairs);
    }
    if (c === '"') {
      this.pos++;
      const cps = this.quoted('"');
      let l: Term = NIL;
      for (let i = cps.length - 1; i >= 0; i--) l = new Cons(cps[i]!, l);
      return l;
    }
    if (c === "'") return atom(this.atomText());
    if (
      isDigit(c) ||
      c === "$" ||
      (c === "-" && (isDigit(s[this.pos + 1]) || s[this.pos + 1] === "$"))
    )
      return this.number();
    if (isAtomStart(c)) {
      const n = this.name();
      this.skip();
      if (n === "fun" && !/^[,}\]|.]/.test(s[this.pos] ?? ".")) {
        const m = this.atomText();
        this.expect(":");
        const f = this.atomText();
        this.expect("/");
        return new ExportFun(atom(m), atom(f), this.smallInt());
      }
      return atom(n);
    }
    return this.fail("unexpected character");
  }
}

/** All `Term.` forms of a listing, in order, with their line numbers. */
export function readListingForms(text: string, file = "<listing>"): SourceForm[] {
  const sc = new Scanner(text, file);
  const out: SourceForm[] = [];
  for (;;) {
    sc.skip();
    if (sc.pos >= text.length) return out;
    const line = sc.lineAt(sc.pos);
    const term = sc.term();
    sc.expect(".");
    out.push({ term, line });
  }
}
