/**
 * The command-line argument parser every `aion` command shares: `node:util`
 * `parseArgs` in strict mode (unknown options refused, `--` ends the options,
 * a flag is never swallowed as the value of the option before it), wrapped so
 * that every mistake is a one-line {@link CliError} usage error rather than
 * Node's multi-line text. Plus the options every engine command shares
 * (`--db`, `--json`, `--help`/`-h`) and helpers for typed option values.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs as nodeParseArgs } from "node:util";
import { CliError, usageError } from "./errors.ts";
import { isPostgresUrl } from "./store.ts";

/** How one option is written: a bare flag, or an option taking a value. */
export type OptionKind =
  | "flag"
  | "value"
  | {
      readonly kind: "flag" | "value";
      /** A one-letter alias (`-o`). */
      readonly short?: string;
      /** May be given several times (values collect in order). */
      readonly multiple?: boolean;
    };

/** Option name → how it is written. */
export type OptionSpec = Readonly<Record<string, OptionKind>>;

/** Parsed arguments. */
export interface Parsed {
  readonly positionals: readonly string[];
  /** Flags that were given. */
  readonly flags: ReadonlySet<string>;
  /** The last value of each value option that was given. */
  readonly values: ReadonlyMap<string, string>;
  /** Every value of each value option, in order (for `multiple` options). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

/** `--help` and `-h`: every command accepts them. */
export const HELP: OptionSpec = { help: { kind: "flag", short: "h" } };

/** Options every engine command accepts. */
export const COMMON: OptionSpec = { db: "value", json: "flag", ...HELP };

/** Default database file. */
export const DEFAULT_DB = "./aion.db";

type NodeOption = { type: "boolean" | "string"; short?: string; multiple?: boolean };

/**
 * Parses `args` against `spec` plus {@link COMMON} (pass `common: false` for
 * the commands that are not engine commands; they still get `--help`).
 * @throws CliError usage, with a one-line reason
 */
export function parseArgs(args: readonly string[], spec: OptionSpec, common = true): Parsed {
  const all: OptionSpec = { ...(common ? COMMON : HELP), ...spec };
  const options: Record<string, NodeOption> = {};
  for (const [name, k] of Object.entries(all)) {
    const o = typeof k === "string" ? { kind: k } : k;
    options[name] = {
      type: o.kind === "flag" ? "boolean" : "string",
      ...(o.short !== undefined ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let result: ReturnType<typeof nodeParseArgs>;
  try {
    result = nodeParseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw usageError(parseErrorText(e, all));
  }
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, readonly string[]>();
  for (const [name, v] of Object.entries(result.values)) {
    if (v === true || (Array.isArray(v) && v.includes(true))) flags.add(name);
    const texts = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
    if (texts.length > 0) {
      values.set(name, texts[texts.length - 1]!);
      lists.set(name, texts);
    }
  }
  return { positionals: result.positionals, flags, values, lists };
}

/** Node's parse errors, said in one line and in our own words. */
function parseErrorText(e: unknown, spec: OptionSpec): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown }).code;
  // Node quotes the option as '--name', '-o' or '-o, --output <value>'.
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  const named = /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0] ?? "?";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return `unknown option ${named} (put arguments that start with '-' after '--')`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = longName(named, spec);
    if (message.includes("does not take an argument")) return `${name} takes no value`;
    if (message.includes("ambiguous")) {
      return `${name} needs a value, not an option (write ${name}=VALUE for a value starting with '-')`;
    }
    return `${name} needs a value`;
  }
  return message.split("\n")[0] ?? message;
}

/** `--name` for an option Node named by its short alias. */
function longName(named: string, spec: OptionSpec): string {
  if (named.startsWith("--")) return named;
  for (const [name, k] of Object.entries(spec)) {
    if (typeof k !== "string" && k.short === named.slice(1)) return `--${name}`;
  }
  return named;
}

/** The database path (`--db`, default ./aion.db), absolute; it may not exist yet. */
export function dbPath(p: Parsed): string {
  const db = p.values.get("db") ?? DEFAULT_DB;
  // A postgres:// URL names a server, not a file: kept as given.
  return isPostgresUrl(db) ? db : resolve(db);
}

/**
 * The database path of a command that reads an existing database. A missing
 * file is refused instead of opening (and so creating) an empty database,
 * which would answer every question with "unknown".
 * @throws CliError no-database
 */
export function existingDbPath(p: Parsed): string {
  const db = dbPath(p);
  if (!isPostgresUrl(db) && !existsSync(db)) {
    throw new CliError(
      "no-database",
      `no database at ${db} (deploy a package into it first: 'aion deploy FILE.aion --db ${p.values.get("db") ?? DEFAULT_DB}')`,
    );
  }
  return db;
}

/** Parses a JSON command-line argument. @throws CliError bad-json */
export function jsonArg(text: string | undefined, what: string): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(
      "bad-json",
      `${what} is not valid JSON (${(e as Error).message}); quote it, e.g. '{"name":"Ada"}'`,
    );
  }
}

/** A non-negative integer option. @throws CliError usage */
export function intOption(p: Parsed, name: string): number | undefined {
  const raw = p.values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw usageError(`--${name} must be a non-negative integer, got '${raw}'`);
  }
  return n;
}

/**
 * Checks the positional count; `names` (as the usage writes them) lets the
 * error say which argument is missing. @throws CliError usage
 */
export function expectPositionals(
  p: Parsed,
  min: number,
  max: number,
  names: readonly string[] = [],
): readonly string[] {
  if (p.positionals.length < min) {
    const missing = names.slice(p.positionals.length, min);
    throw usageError(missing.length > 0 ? `missing ${missing.join(" and ")}` : "missing arguments");
  }
  if (p.positionals.length > max) throw usageError(`unexpected argument '${p.positionals[max]}'`);
  return p.positionals;
}
