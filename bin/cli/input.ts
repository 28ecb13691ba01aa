/**
 * A command's JSON input (start's INPUT_JSON, signal's and query's
 * PAYLOAD_JSON): given inline, read from a file with `--input-file F`, or
 * read from standard input with `-` (inline or as the file name), so large
 * or generated inputs need no shell quoting.
 */
import { readFileSync } from "node:fs";
import { jsonArg, type Parsed } from "./args.ts";
import { CliError, usageError } from "./errors.ts";

/** The option naming an input file; `-` means standard input. */
export const INPUT_FILE_OPTION = { "input-file": "value" } as const;

/**
 * The parsed JSON input: `inline` (the positional, may be `-`), else the
 * `--input-file`, else null. `what` names the argument in errors.
 * @throws CliError usage (both given, unreadable file), bad-json
 */
export async function readInput(
  p: Parsed,
  inline: string | undefined,
  what: string,
): Promise<unknown> {
  const file = p.values.get("input-file");
  if (inline !== undefined && file !== undefined) {
    throw usageError(`give ${what} or --input-file, not both`);
  }
  if (inline === "-" || file === "-") return jsonArg(await Bun.stdin.text(), `${what} (stdin)`);
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new CliError("usage", `cannot read --input-file ${file}: ${(e as Error).message}`);
    }
    return jsonArg(text, `--input-file ${file}`);
  }
  return jsonArg(inline, what);
}
