/**
 * A small argument parser for the engine commands: positionals, `--flag`,
 * `--opt VALUE` and `--opt=VALUE`, plus the options every engine command
 * shares (`--db`, `--json`). Unknown options are usage errors.
 */
import { resolve } from "node:path";
import { CliError, usageError } from "./errors.ts";

/** Option name → whether it takes a value. */
export type OptionSpec = Readonly<Record<string, "flag" | "value">>;

/** Parsed arguments. */
export interface Parsed {
  readonly positionals: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
}

/** Options every engine command accepts. */
export const COMMON: OptionSpec = { db: "value", json: "flag", help: "flag" };

/** Default database file. */
export const DEFAULT_DB = "./aion.db";

/** Parses `args` against `spec` (plus {@link COMMON}). @throws CliError usage */
export function parseArgs(args: readonly string[], spec: OptionSpec): Parsed {
  const all: OptionSpec = { ...COMMON, ...spec };
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("--") || a === "-") {
      if (a === "-h") flags.add("help");
      else positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = all[name];
    if (kind === undefined) throw usageError(`unknown option --${name}`);
    if (kind === "flag") {
      if (eq >= 0) throw usageError(`--${name} takes no value`);
      flags.add(name);
    } else {
      const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw usageError(`--${name} needs a value`);
      values.set(name, v);
    }
  }
  return { positionals, flags, values };
}

/** The database path (`--db`, default ./aion.db), absolute. */
export function dbPath(p: Parsed): string {
  return resolve(p.values.get("db") ?? DEFAULT_DB);
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
  if (!Number.isInteger(n) || n < 0) throw usageError(`--${name} must be a non-negative integer`);
  return n;
}

/** Checks the positional count. @throws CliError usage */
export function expectPositionals(p: Parsed, min: number, max: number): readonly string[] {
  if (p.positionals.length < min) throw usageError("missing arguments");
  if (p.positionals.length > max) throw usageError(`unexpected argument '${p.positionals[max]}'`);
  return p.positionals;
}
