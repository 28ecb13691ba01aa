/**
 * `aion run [--path DIR]... [--otp-lib DIR] MODULE:FUNCTION [ARG...]`
 *
 * Loads every `.beam` under the paths, calls the function with the ARGs read
 * as Erlang term literals, prints the result as `~w` does and exits 0. An
 * uncaught exception prints `** exception CLASS: REASON` and the stack on
 * stderr and exits 1. `halt(N)` exits with N.
 */
import { existsSync, statSync } from "node:fs";
import { LoadError } from "../../loader/errors.ts";
import { createRuntime } from "../../nifs/index.ts";
import { Atom, atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import { listToArray, listToString } from "../../terms/list.ts";
import { parseTerm, TermSyntaxError } from "../../terms/parse.ts";
import type { Term } from "../../terms/term.ts";
import { HaltSignal, type Outcome } from "../../vm/index.ts";
import type { Command } from "../command.ts";

const USAGE = "usage: aion run [--path DIR]... [--otp-lib DIR] MODULE:FUNCTION [ARG...]";

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

export const command: Command = {
  summary: "run MODULE:FUNCTION(ARGS) on the VM and print the result",
  usage: USAGE,
  async run(args) {
    const paths: string[] = [];
    const otp: string[] = [];
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--path" || a === "-pa") paths.push(args[++i] ?? "");
      else if (a === "--otp-lib") otp.push(args[++i] ?? "");
      else break;
    }
    const target = args[i];
    const m = target ? /^([^:]+):([^:]+)$/.exec(target) : null;
    if (!m) {
      console.error(USAGE);
      return 2;
    }
    for (const p of [...paths, ...otp]) {
      if (!existsSync(p) || !statSync(p).isDirectory()) {
        console.error(`aion run: not a directory: ${p}`);
        return 2;
      }
    }
    let argTerms: Term[];
    try {
      argTerms = args.slice(i + 1).map((a) => parseTerm(a));
    } catch (e) {
      if (e instanceof TermSyntaxError) {
        console.error(`aion run: bad argument term: ${e.message}`);
        return 2;
      }
      throw e;
    }
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
