/**
 * Reading a TOML config with line numbers. `Bun.TOML.parse` does the parsing
 * (it handles the whole language: tables, arrays of tables, inline tables,
 * string arrays) but reports neither the line of a syntax error nor where a
 * key was written, and config errors must name both. This file recovers them:
 * a syntax error's line by re-parsing line prefixes, and each key's line by a
 * light scan of `[table]`, `[[array]]` and `key =` lines.
 *
 * Key paths are written as the config errors name them: `timeout`,
 * `package.include_source`, `workflow[1].output`, `workflow[0].activities[2]`.
 */

/** A parsed TOML table (Bun returns plain objects). */
export type TomlTable = Readonly<Record<string, unknown>>;

/** A parsed document and where its keys were written. */
export interface LocatedToml {
  readonly doc: TomlTable;
  /**
   * The 1-based line of the key at `path`, or of its nearest written
   * ancestor (the `[[workflow]]` header for a missing key), if known.
   */
  lineOf(path: string): number | undefined;
}

/** Why a document is not TOML: Bun's message and, when found, the line at fault. */
export interface TomlSyntaxError {
  readonly message: string;
  readonly line: number | undefined;
}

/** Re-parsing prefixes is quadratic; config files are far smaller than this. */
const MAX_LOCATE_LINES = 5000;

/** Parses `text`, or returns the syntax error with its line. Never throws. */
export function parseToml(text: string): LocatedToml | TomlSyntaxError {
  let doc: unknown;
  try {
    doc = Bun.TOML.parse(text);
  } catch (e) {
    const message = (e as Error).message.replace(/^TOML Parse error:\s*/, "");
    return { message, line: syntaxErrorLine(text) };
  }
  const lines = keyLines(text);
  return {
    doc: doc as TomlTable,
    lineOf(path) {
      for (let p: string | undefined = path; p !== undefined; p = parent(p)) {
        const line = lines.get(p);
        if (line !== undefined) return line;
      }
      return undefined;
    },
  };
}

/** Narrows {@link parseToml}'s result. */
export function isSyntaxError(r: LocatedToml | TomlSyntaxError): r is TomlSyntaxError {
  return (r as TomlSyntaxError).message !== undefined;
}

/**
 * The line after the longest prefix of whole lines that still parses. An
 * error cannot be repaired by later lines except where a multi-line value is
 * still open, and then the longest good prefix ends before that value.
 */
function syntaxErrorLine(text: string): number | undefined {
  const lines = text.split("\n");
  if (lines.length > MAX_LOCATE_LINES) return undefined;
  let good = 0;
  for (let n = 1; n <= lines.length; n++) {
    try {
      Bun.TOML.parse(lines.slice(0, n).join("\n"));
      good = n;
    } catch {
      // A prefix that ends inside a multi-line value fails too; keep looking.
    }
  }
  return Math.min(good + 1, lines.length);
}

const BARE_OR_QUOTED = String.raw`(?:[A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')`;
const DOTTED = String.raw`${BARE_OR_QUOTED}(?:\s*\.\s*${BARE_OR_QUOTED})*`;
const ARRAY_HEADER = new RegExp(String.raw`^\s*\[\[\s*(${DOTTED})\s*\]\]`);
const TABLE_HEADER = new RegExp(String.raw`^\s*\[\s*(${DOTTED})\s*\]`);
const KEY_LINE = new RegExp(String.raw`^\s*(${DOTTED})\s*=`);

/**
 * The line of each header and key, by path. Lines inside multi-line strings
 * are skipped; a line inside a multi-line array never looks like `key =`.
 */
function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const arrays = new Map<string, number>(); // array-of-tables path -> last index
  let prefix = "";
  let inString: string | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inString !== undefined) {
      if (count(line, inString) % 2 === 1) inString = undefined;
      continue;
    }
    const header = ARRAY_HEADER.exec(line);
    const table = header === null ? TABLE_HEADER.exec(line) : null;
    if (header !== null) {
      const name = resolvePath(keyParts(header[1]!), arrays);
      const index = (arrays.get(name) ?? -1) + 1;
      arrays.set(name, index);
      prefix = `${name}[${index}].`;
      setOnce(out, `${name}[${index}]`, i + 1);
      setOnce(out, name, i + 1);
    } else if (table !== null) {
      const name = resolvePath(keyParts(table[1]!), arrays);
      prefix = `${name}.`;
      setOnce(out, name, i + 1);
    } else {
      const key = KEY_LINE.exec(line);
      if (key !== null) setOnce(out, prefix + keyParts(key[1]!).join("."), i + 1);
    }
    for (const quote of ['"""', "'''"]) {
      if (count(line, quote) % 2 === 1) inString = quote;
    }
  }
  return out;
}

/** A header's path, with each array-of-tables segment pointing at its latest element. */
function resolvePath(parts: readonly string[], arrays: ReadonlyMap<string, number>): string {
  let path = "";
  parts.forEach((part, i) => {
    path = path === "" ? part : `${path}.${part}`;
    const index = arrays.get(path);
    if (index !== undefined && i < parts.length - 1) path = `${path}[${index}]`;
  });
  return path;
}

function keyParts(dotted: string): string[] {
  const re = new RegExp(BARE_OR_QUOTED, "g");
  return [...dotted.matchAll(re)].map((m) => m[0].replace(/^["']|["']$/g, ""));
}

/** `a[1].b[2]` -> `a[1].b` -> `a[1]` -> `a` -> undefined. */
function parent(path: string): string | undefined {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut <= 0 ? undefined : path.slice(0, cut);
}

function count(line: string, needle: string): number {
  return line.split(needle).length - 1;
}

function setOnce(m: Map<string, number>, k: string, v: number): void {
  if (!m.has(k)) m.set(k, v);
}
