/**
 * The precompiled command line: bin/main.ts bundled into one CommonJS file
 * (through bin/precompiled-main.ts) with JavaScriptCore's bytecode for it
 * cached beside it, which bin/aion.ts runs instead of the TypeScript
 * sources while it is fresh. Loading from the sources, JavaScriptCore
 * parses and compiles each of the VM's functions to bytecode the first time
 * it runs; a short program run once spends up to a fifth of its time on
 * that (docs/jit.md, eleventh round). `aion precompile` (bin/precompile.ts)
 * writes the bundle.
 *
 * A bundle is only as good as the sources it was built from, so a stamp
 * written last records the Bun that built it (cached bytecode is only valid
 * for the engine that wrote it) and the size and modification time of
 * every source file that went into it; any difference and the launcher
 * falls back to the sources. This module is what the launcher loads before
 * it knows which to run: it imports nothing of the VM.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The command line's bundle: `aion.js` in the {@link precompiledDir}. */
export const CLI_BUNDLE = "aion";
/** What the command line's bundle is built from (bin/precompiled-main.ts). */
export const CLI_ENTRY = join(import.meta.dir, "precompiled-main.ts");

/** What `aion precompile` records beside the bundle, written after it. */
export interface PrecompileStamp {
  /** `Bun.version` of the Bun that built it. */
  readonly bun: string;
  /** The entry point's absolute path. */
  readonly entry: string;
  /** The bundle and its bytecode: file name (in the same directory), size. */
  readonly outputs: readonly (readonly [string, number])[];
  /** Every source file bundled: absolute path, size, modification time (ms). */
  readonly inputs: readonly (readonly [string, number, number])[];
}

/** Where the precompiled CLI lives: AION_PRECOMPILED_DIR, else the package's dist/. */
export function precompiledDir(env: Record<string, string | undefined>): string {
  return env.AION_PRECOMPILED_DIR ?? join(import.meta.dir, "..", "dist");
}

/** The stamp file of bundle `name` in `dir`. */
export function stampFile(dir: string, name: string): string {
  return join(dir, `${name}.stamp.json`);
}

export type PrecompiledStatus =
  | { readonly fresh: true; readonly file: string }
  | { readonly fresh: false; readonly why: string };

/**
 * Whether bundle `name` in `dir` may run: it exists, this Bun built it from
 * `entry` and none of its sources changed since. Never throws: anything
 * unreadable is a reason to run the sources.
 */
export function precompiledStatus(dir: string, name: string, entry: string): PrecompiledStatus {
  let text: string;
  try {
    text = readFileSync(stampFile(dir, name), "utf8");
  } catch {
    return { fresh: false, why: `not precompiled (no ${stampFile(dir, name)})` };
  }
  try {
    return checkStamp(JSON.parse(text) as PrecompileStamp, dir, name, entry);
  } catch {
    return { fresh: false, why: `unreadable stamp ${stampFile(dir, name)}` };
  }
}

/** {@link precompiledStatus} of a parsed stamp; throws on a malformed one. */
function checkStamp(
  stamp: PrecompileStamp,
  dir: string,
  name: string,
  entry: string,
): PrecompiledStatus {
  if (stamp.bun !== Bun.version) {
    return { fresh: false, why: `built by Bun ${stamp.bun}, this is Bun ${Bun.version}` };
  }
  if (stamp.entry !== entry) {
    // A copy of the package would otherwise run code that reads the original's files.
    return { fresh: false, why: `built from ${stamp.entry}, not ${entry}` };
  }
  for (const [file, size] of stamp.outputs) {
    const st = statSync(join(dir, file), { throwIfNoEntry: false });
    if (st?.size !== size) return { fresh: false, why: `${file} changed` };
  }
  for (const [path, size, mtime] of stamp.inputs) {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined || st.size !== size || st.mtimeMs !== mtime) {
      return { fresh: false, why: `${path} changed since it was precompiled` };
    }
  }
  return { fresh: true, file: join(dir, `${name}.js`) };
}
