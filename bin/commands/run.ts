/**
 * `aion run [--path DIR]... [--otp-lib DIR]... [--otp] [--elixir] MODULE:FUNCTION [ARG...]`
 *
 * Loads every `.beam` under the paths, calls the function with the ARGs read
 * as Erlang term literals, prints the result as `~w` does and exits 0. An
 * uncaught exception prints `** exception CLASS: REASON` and the stack on
 * stderr and exits 1. `halt(N)` exits with N.
 */
import { existsSync, statSync } from "node:fs";
import { LoadError } from "../../loader/errors.ts";
import { createRuntime } from "../../nifs/index.ts";
import { elixirEbins, otpEbins } from "../../nifs/kernel/installs.ts";
import { Atom, atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { listToArray, listToString } from "../../terms/list.ts";
import { parseTerm, TermSyntaxError } from "../../terms/parse.ts";
import type { Term } from "../../terms/term.ts";
import { HaltSignal, type Outcome } from "../../vm/index.ts";
import { type Parsed, parseArgs } from "../cli/args.ts";
import { CliError } from "../cli/errors.ts";
import { usageFailure } from "../cli/plain-command.ts";
import type { Command } from "../command.ts";

const USAGE = `usage: aion run [--path DIR]... [--otp-lib DIR]... [--otp] [--elixir] MODULE:FUNCTION [ARG...]

--otp puts the local Erlang/OTP install's stdlib, kernel and compiler ebin
directories on the path (OTP's behaviours, the compiler); --elixir also puts
the local Elixir install's elixir and logger ebin directories there (run
Elixir modules as 'Elixir.Mod':fun). Loads every .beam under the --path
directories (-pa DIR works too), calls
MODULE:FUNCTION with the ARGs read as Erlang term literals (every argument
after MODULE:FUNCTION is a term, '-1' included) and prints the result as ~w
does. An uncaught exception prints its class, reason and stack on stderr
(exit 1); halt(N) exits with N.`;

/** One stack frame as the Erlang shell prints it. */
function frameText(f: Term): string {
  if (!Array.isArray(f) || f.length !== 4) return `  ${formatW(f)}`;
  const [m, fn, a, loc] = f;
  const arity = typeof a === "number" ? String(a) : `${listToArray(a!)?.length ?? "?"}`;
  let where = "";
  const items = listToArray(loc!) ?? [];
  const file = items.find((i) => Array.isArray(i) && i[0] === atom("file"));
  const line = items.find((i) => Array.isArray(i) && i[0] === atom("line"));
  if (file && line) {
    where = ` (${listToString((file as Term[])[1]!) ?? "?"}, line ${formatW((line as Term[])[1]!)})`;
  }
  const name = (x: Term | undefined) => (x instanceof Atom ? formatW(x) : formatW(x!));
  return `  in function  ${name(m)}:${name(fn)}/${arity}${where}`;
}

export function describeException(o: Extract<Outcome, { kind: "exception" }>): string {
  const frames = listToArray(o.stack) ?? [];
  return [`** exception ${o.cls}: ${formatW(o.reason)}`, ...frames.map(frameText)].join("\n");
}

/**
 * Splits the command line at MODULE:FUNCTION: options come before it, and
 * everything after it is an argument term, even one starting with '-' (`-1`).
 * `--` may also mark where the target starts. `--help`/`-h` after the target
 * still asks for help: neither is an Erlang term.
 */
function splitAtTarget(args: readonly string[]): {
  options: string[];
  rest: string[];
  help: boolean;
} {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return { options: args.slice(0, i), rest: args.slice(i + 1), help: false };
    if (a === "--path" || a === "--otp-lib" || a === "-pa") i++;
    else if (!a.startsWith("-")) {
      const rest = args.slice(i);
      return {
        options: args.slice(0, i),
        rest,
        help: rest.includes("--help") || rest.includes("-h"),
      };
    }
  }
  return { options: [...args], rest: [], help: false };
}

const OPTIONS = {
  path: { kind: "value", multiple: true },
  "otp-lib": { kind: "value", multiple: true },
  otp: { kind: "flag" },
  elixir: { kind: "flag" },
} as const;

export const command: Command = {
  summary: "run MODULE:FUNCTION(ARGS) on the VM and print the result",
  usage: USAGE,
  async run(args) {
    const split = splitAtTarget(args);
    let parsed: Parsed;
    try {
      // `-pa DIR` as erl spells it; the parser only knows one-letter short options.
      parsed = parseArgs(
        split.options.map((a) => (a === "-pa" ? "--path" : a)),
        OPTIONS,
        false,
      );
    } catch (e) {
      if (e instanceof CliError) return usageFailure("run", e.message, USAGE);
      throw e;
    }
    if (parsed.flags.has("help") || split.help) {
      console.log(USAGE);
      return 0;
    }
    const paths = [...(parsed.lists.get("path") ?? [])];
    const otp = [...(parsed.lists.get("otp-lib") ?? [])];
    if (parsed.flags.has("otp") || parsed.flags.has("elixir")) {
      const dirs = otpEbins();
      if (dirs === null) {
        console.error("aion run: --otp: no Erlang/OTP install found under /usr/lib/erlang/lib");
        return 2;
      }
      otp.push(...dirs);
    }
    if (parsed.flags.has("elixir")) {
      const dirs = elixirEbins();
      if (dirs === null) {
        console.error("aion run: --elixir: no Elixir install found (is `elixir` on PATH?)");
        return 2;
      }
      otp.unshift(...dirs);
    }
    const target = split.rest[0];
    const m = target ? /^([^:]+):([^:]+)$/.exec(target) : null;
    if (!m) {
      const why =
        target === undefined ? "missing MODULE:FUNCTION" : `not MODULE:FUNCTION: '${target}'`;
      return usageFailure("run", why, USAGE);
    }
    for (const p of [...paths, ...otp]) {
      if (!existsSync(p) || !statSync(p).isDirectory()) {
        console.error(`aion run: not a directory: ${p}`);
        return 2;
      }
    }
    let argTerms: Term[];
    try {
      argTerms = split.rest.slice(1).map((a) => parseTerm(a));
    } catch (e) {
      if (e instanceof TermSyntaxError) {
        console.error(`aion run: bad argument term: ${e.message}`);
        return 2;
      }
      throw e;
    }
    // No sandbox: a developer running their own code keeps the whole library
    // (the engine sandboxes workflows; docs/security.md).
    const rt = createRuntime({ paths: [...paths], otpPaths: otp });
    try {
      for (const p of paths) rt.code.loadDir(p);
    } catch (e) {
      if (e instanceof LoadError) {
        console.error(`aion run: ${e.toString().replace(/^LoadError: /, "")}`);
        return 2;
      }
      throw e;
    }
    try {
      const o = await rt.call(atom(m[1]!), atom(m[2]!), argTerms);
      if (o.kind === "value") {
        console.log(formatW(o.value));
        return 0;
      }
      if (o.kind === "exception") console.error(describeException(o));
      return 1;
    } catch (e) {
      if (e instanceof HaltSignal) return e.status;
      throw e;
    } finally {
      rt.vm.stop();
    }
  },
};
