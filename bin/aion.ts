#!/usr/bin/env bun
/**
 * `aion`: runs the command line (bin/main.ts) from its precompiled bundle
 * when there is a fresh one (`aion precompile`, bin/precompiled.ts), else
 * from the TypeScript sources; AION_PRECOMPILED=0 always runs the sources.
 * Nothing of the VM is imported here: the bundle brings its own copy, and
 * two copies would mean two atom tables.
 */
import { CLI_BUNDLE, CLI_ENTRY, precompiledDir, precompiledStatus } from "./precompiled.ts";

/** The sources' bin/main.ts or the bundle's bin/precompiled-main.ts: both export `main`. */
type Cli = typeof import("./main.ts");

function precompiledCli(): Cli | null {
  if (process.env.AION_PRECOMPILED === "0") return null;
  const status = precompiledStatus(precompiledDir(process.env), CLI_BUNDLE, CLI_ENTRY);
  return status.fresh ? (require(status.file) as Cli) : null;
}

const cli = precompiledCli() ?? (await import("./main.ts"));
process.exitCode = await cli.main(process.argv.slice(2));
