/**
 * The frame every engine command shares: parse, run, print, and turn any
 * error into a message and an exit code. A command body only does its work.
 */
import type { Command } from "../command.ts";
import { type OptionSpec, type Parsed, parseArgs } from "./args.ts";
import { report } from "./errors.ts";
import { EXIT } from "./exit-codes.ts";

/** What a command body gets. */
export interface Invocation extends Parsed {
  readonly json: boolean;
}

/** Declares an engine command; `body` resolves to the exit status. */
export function engineCommand(
  name: string,
  summary: string,
  usage: string,
  options: OptionSpec,
  body: (inv: Invocation) => Promise<number>,
): Command {
  return {
    summary,
    usage,
    async run(args) {
      // Before parsing succeeds, guess: --json among the options (not after --).
      const end = args.indexOf("--");
      let json = (end < 0 ? args : args.slice(0, end)).includes("--json");
      try {
        const parsed = parseArgs(args, options);
        json = parsed.flags.has("json");
        if (parsed.flags.has("help")) {
          console.log(usage);
          return EXIT.ok;
        }
        return await body({ ...parsed, json });
      } catch (e) {
        return report(e, name, json, usage);
      }
    },
  };
}
