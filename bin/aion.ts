#!/usr/bin/env bun
/**
 * `aion`: the command-line entry point. A table of subcommands, each in its
 * own module under bin/commands/ and loaded only when used. To add one, write
 * bin/commands/NAME.ts exporting `command: Command` and list it below.
 */
import type { Command } from "./command.ts";

const COMMANDS: Record<string, () => Promise<Command>> = {
  asm: async () => (await import("./commands/asm.ts")).command,
  cancel: async () => (await import("./commands/cancel.ts")).command,
  deploy: async () => (await import("./commands/deploy.ts")).command,
  describe: async () => (await import("./commands/describe.ts")).command,
  history: async () => (await import("./commands/history.ts")).command,
  inspect: async () => (await import("./commands/inspect.ts")).command,
  list: async () => (await import("./commands/list.ts")).command,
  package: async () => (await import("./commands/package.ts")).command,
  query: async () => (await import("./commands/query.ts")).command,
  run: async () => (await import("./commands/run.ts")).command,
  serve: async () => (await import("./commands/serve.ts")).command,
  signal: async () => (await import("./commands/signal.ts")).command,
  start: async () => (await import("./commands/start.ts")).command,
  terminate: async () => (await import("./commands/terminate.ts")).command,
  worker: async () => (await import("./commands/worker.ts")).command,
};

async function help(name?: string): Promise<number> {
  if (name !== undefined) {
    const load = COMMANDS[name];
    if (load === undefined) return unknown(name);
    console.log((await load()).usage);
    return 0;
  }
  console.log("usage: aion <command> [args...]\n\ncommands:");
  for (const [n, load] of Object.entries(COMMANDS)) {
    console.log(`  ${n.padEnd(10)} ${(await load()).summary}`);
  }
  console.log(`  ${"help".padEnd(10)} show this list, or a command's usage`);
  return 0;
}

function unknown(name: string): number {
  console.error(`aion: unknown command '${name}' (try 'aion help')`);
  return 2;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    return help(rest[0]);
  }
  const load = COMMANDS[name];
  if (load === undefined) return unknown(name);
  return (await load()).run(rest);
}

process.exitCode = await main(process.argv.slice(2));
