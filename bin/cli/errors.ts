/**
 * The one error type commands raise: a stable `code` (shared with the HTTP
 * API's error bodies), a message for people and optional details for
 * `--json`. `report` prints it and picks the exit status.
 */
import { describeError } from "../../engine/http/index.ts";
import { exitCodeFor } from "./exit-codes.ts";

export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * The synopsis of a usage text (its lines up to the first blank one) and a
 * pointer to the rest: what a usage error shows under its one-line reason.
 */
export function synopsis(usage: string, command: string): string {
  const cut = usage.indexOf("\n\n");
  return cut < 0 ? usage : `${usage.slice(0, cut)}\n(aion ${command} --help for more)`;
}

/** A usage error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError("usage", message);
}

/** Any thrown value as a CliError (engine, deploy and store errors keep their codes). */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const { body } = describeError(e);
  return new CliError(body.code, body.message, body.details);
}

/**
 * Prints the error (as `{"error": ...}` on stdout with --json, else a line on
 * stderr, plus the usage text for usage errors) and returns the exit status.
 */
export function report(e: unknown, command: string, json: boolean, usage?: string): number {
  const err = toCliError(e);
  if (json) {
    const body =
      err.details === undefined
        ? { code: err.code, message: err.message }
        : { code: err.code, message: err.message, details: err.details };
    console.log(JSON.stringify({ error: body }, null, 2));
  } else {
    console.error(`aion ${command}: ${err.message}`);
    if (err.code === "usage" && usage !== undefined) console.error(synopsis(usage, command));
  }
  return exitCodeFor(err.code);
}
