/**
 * Atoms are interned: one `Atom` object per distinct name, so atom equality is
 * object identity and a `switch` over atoms is a pointer compare.
 */
export class Atom {
  /** @internal cached external-format bytes (tag included), minor versions 0/1. */
  etf1: Uint8Array | undefined = undefined;
  /** @internal cached external-format bytes (tag included), minor version 2. */
  etf2: Uint8Array | undefined = undefined;
  /** @internal use {@link atom} to obtain atoms. */
  constructor(
    readonly name: string,
    readonly index: number,
  ) {}
  toString(): string {
    return this.name;
  }
}

/** OTP's default atom table size; exceeding it is a `system_limit`. */
export const ATOM_TABLE_LIMIT = 1_048_576;
/** Longest atom in characters (not bytes), as in OTP. */
export const MAX_ATOM_CHARS = 255;

const table = new Map<string, Atom>();
const byIndex: Atom[] = [];

/** The interned atom for `name`. Does not check limits: see {@link checkedAtom}. */
export function atom(name: string): Atom {
  let a = table.get(name);
  if (a === undefined) {
    a = new Atom(name, byIndex.length);
    table.set(name, a);
    byIndex.push(a);
  }
  return a;
}

/** The atom if it already exists (for `list_to_existing_atom` and friends). */
export function existingAtom(name: string): Atom | undefined {
  return table.get(name);
}

/** Number of characters as Erlang counts them (code points). */
export function atomLength(name: string): number {
  let n = 0;
  for (const _ of name) n++;
  return n;
}

/** Whether `name` may become an atom (length and table limits). */
export function atomFits(name: string): boolean {
  if (name.length > MAX_ATOM_CHARS && atomLength(name) > MAX_ATOM_CHARS) return false;
  return table.has(name) || byIndex.length < ATOM_TABLE_LIMIT;
}

export function atomCount(): number {
  return byIndex.length;
}

/** Atoms the VM refers to constantly, interned once at startup. */
export const A = {
  true: atom("true"),
  false: atom("false"),
  ok: atom("ok"),
  error: atom("error"),
  exit: atom("exit"),
  throw: atom("throw"),
  undefined: atom("undefined"),
  nil: atom("nil"),
  normal: atom("normal"),
  kill: atom("kill"),
  killed: atom("killed"),
  noproc: atom("noproc"),
  badarg: atom("badarg"),
  badarith: atom("badarith"),
  badmatch: atom("badmatch"),
  badfun: atom("badfun"),
  badarity: atom("badarity"),
  badkey: atom("badkey"),
  badmap: atom("badmap"),
  badrecord: atom("badrecord"),
  function_clause: atom("function_clause"),
  case_clause: atom("case_clause"),
  if_clause: atom("if_clause"),
  try_clause: atom("try_clause"),
  undef: atom("undef"),
  system_limit: atom("system_limit"),
  timeout_value: atom("timeout_value"),
  nocatch: atom("nocatch"),
  infinity: atom("infinity"),
  timeout: atom("timeout"),
  EXIT: atom("EXIT"),
  DOWN: atom("DOWN"),
  process: atom("process"),
  file: atom("file"),
  line: atom("line"),
  error_info: atom("error_info"),
  erlang: atom("erlang"),
  nonode: atom("nonode@nohost"),
  null: atom("null"),
} as const;

/** The atom for a JS boolean. */
export function bool(b: boolean): Atom {
  return b ? A.true : A.false;
}
