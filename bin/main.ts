/**
 * The `aion` command line: a table of subcommands, each in its own module
 * under bin/commands/ and loaded only when used. To add one, write
 * bin/commands/NAME.ts exporting `command: Command` and list it below.
 * bin/aion.ts runs {@link main} from the sources or from the precompiled
 * bundle (bin/precompiled.ts); so that it can be bundled as CommonJS,
 * nothing here or in what it imports awaits at the top level.
 */
import { readFileSync } from "node:fs";
import { setVmDefaults, vmDefaultsFromEnv } from "../vm/index.ts";
import type { Command } from "./command.ts";

const COMMANDS: Record<string, () => Promise<Command>> = {
  asm: async () => (await import("./commands/asm.ts")).command,
  cancel: async () => (await import("./commands/cancel.ts")).command,
  deploy: async () => (await import("./commands/deploy.ts")).command,
  describe: async () => (await import("./commands/describe.ts")).command,
  history: async () => (await import("./commands/history.ts")).command,
  inspect: async () => (await import("./commands/inspect.ts")).command,
  list: async () => (await import("./commands/list.ts")).command,
  new: async () => (await import("./commands/new.ts")).command,
  package: async () => (await import("./commands/package.ts")).command,
  precompile: async () => (await import("./commands/precompile.ts")).command,
  query: async () => (await import("./commands/query.ts")).command,
  result: async () => (await import("./commands/result.ts")).command,
  run: async () => (await import("./commands/run.ts")).command,
  serve: async () => (await import("./commands/serve.ts")).command,
  signal: async () => (await import("./commands/signal.ts")).command,
  start: async () => (await import("./commands/start.ts")).command,
  terminate: async () => (await import("./commands/terminate.ts")).command,
  watch: async () => (await import("./commands/watch.ts")).command,
  worker: async () => (await import("./commands/worker.ts")).command,
};

async function help(name?: string): Promise<number> {
  if (name !== undefined) {
    const load = COMMANDS[name];
    if (load === undefined) return unknown(name);
    console.log((await load()).usage);
    return 0;
  }
  console.log("usage: aion <command> [args...]   (aion <command> --help: its usage)\n\ncommands:");
  for (const [n, load] of Object.entries(COMMANDS)) {
    console.log(`  ${n.padEnd(10)} ${(await load()).summary}`);
  }
  console.log(`  ${"help".padEnd(10)} show this list, or a command's usage`);
  console.log("\naion --version prints the version.");
  return 0;
}

/** The package's version, from the package.json next to bin/ (shipped in the npm package too). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

function unknown(name: string): number {
  console.error(`aion: unknown command '${name}' (try 'aion help')`);
  console.error("usage: aion <command> [args...]");
  return 2;
}

/** Runs `aion ARGV...`; resolves to the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  // The edge reads the environment once: AION_TIER / AION_JIT_HOT (docs/jit.md).
  try {
    setVmDefaults(vmDefaultsFromEnv(process.env));
  } catch (e) {
    process.stderr.write(`aion: environment: ${(e as Error).message}\n`);
    return 2;
  }
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    return help(rest[0]);
  }
  if (name === "--version" || name === "-v" || name === "version") {
    console.log(version());
    return 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) return unknown(name);
  return (await load()).run(rest);
}
