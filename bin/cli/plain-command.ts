/**
 * The frame of the commands that are not engine commands (`run`, `asm`,
 * `inspect`, `package`): parse with the shared strict parser (`--help`/`-h`
 * included), print the usage and exit 0 on `--help`, and turn a usage error
 * into its one-line reason plus the usage on stderr, exit 2. The body does
 * the work and its own error reporting.
 */
import type { Command } from "../command.ts";
import { type OptionSpec, type Parsed, parseArgs } from "./args.ts";
import { CliError, synopsis } from "./errors.ts";
import { EXIT } from "./exit-codes.ts";

/** Declares a plain command; `body` resolves to the exit status. */
export function plainCommand(
  name: string,
  summary: string,
  usage: string,
  options: OptionSpec,
  body: (parsed: Parsed) => Promise<number>,
): Command {
  return {
    summary,
    usage,
    async run(args) {
      try {
        const parsed = parseArgs(args, options, false);
        if (parsed.flags.has("help")) {
          console.log(usage);
          return EXIT.ok;
        }
        return await body(parsed);
      } catch (e) {
        if (!(e instanceof CliError) || e.code !== "usage") throw e;
        return usageFailure(name, e.message, usage);
      }
    },
  };
}

/** Prints `aion NAME: REASON` and the usage on stderr; returns exit 2. */
export function usageFailure(name: string, reason: string, usage: string): number {
  console.error(`aion ${name}: ${reason}`);
  console.error(synopsis(usage, name));
  return EXIT.usage;
}
