/**
 * What PostgreSQL `TEXT` cannot hold, refused up front as bad input: the NUL
 * character (the server rejects it) and unpaired UTF-16 surrogates (they
 * would be stored as U+FFFD, silently becoming another id). The SQLite and
 * memory stores accept both; no id the engine generates contains either.
 */
import type { SearchAttributes } from "../../events/index.ts";
import { InvalidArgumentError } from "../errors.ts";

/** `value` unchanged when PostgreSQL can store it exactly. @throws InvalidArgumentError */
export function checkPgText(value: string, argument: string): string {
  if (value.includes("\u0000")) {
    throw new InvalidArgumentError(argument, "contains U+0000, which PostgreSQL text cannot hold");
  }
  if (!value.isWellFormed()) {
    throw new InvalidArgumentError(argument, "contains an unpaired UTF-16 surrogate");
  }
  return value;
}

/** Check the names and string values of search attributes. */
export function checkPgAttributes(
  attributes: Readonly<Record<string, unknown>> | SearchAttributes | undefined,
  argument: string,
): void {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    checkPgText(name, `${argument}.${name}`);
    if (typeof value === "string") checkPgText(value, `${argument}.${name}`);
  }
}
