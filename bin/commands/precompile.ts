/**
 * `aion precompile [--check | --remove]`: bundles the command line with its
 * JavaScriptCore bytecode cached (bin/precompile.ts), which `aion` then runs
 * instead of its sources while they are unchanged (bin/precompiled.ts).
 */
import { join } from "node:path";
import { expectPositionals } from "../cli/args.ts";
import { usageError } from "../cli/errors.ts";
import { plainCommand } from "../cli/plain-command.ts";
import { PrecompileError, precompile, removePrecompiled } from "../precompile.ts";
import { CLI_BUNDLE, CLI_ENTRY, precompiledDir, precompiledStatus } from "../precompiled.ts";

const USAGE = `usage: aion precompile [--check | --remove]

Bundles the aion command line into one file with JavaScriptCore's bytecode
for it cached beside it, in the package's dist/ directory (or
AION_PRECOMPILED_DIR). From then on 'aion' runs the bundle instead of its
TypeScript sources: it starts sooner, and a program run once (aion run)
skips the parsing and compiling of the VM's own code. The bundle is used only
while it is fresh: built by this Bun, from sources unchanged since (size and
modification time of every file in it); otherwise 'aion' runs the sources.
AION_PRECOMPILED=0 always runs the sources.

--check   say whether the precompiled command line is fresh (exit 0) or
          missing or stale, and why (exit 1)
--remove  delete it`;

export const command = plainCommand(
  "precompile",
  "precompile the command line (bytecode-cached) so it starts faster",
  USAGE,
  { check: "flag", remove: "flag" },
  async (p) => {
    expectPositionals(p, 0, 0, []);
    if (p.flags.has("check") && p.flags.has("remove")) {
      throw usageError("--check and --remove do not go together");
    }
    const dir = precompiledDir(process.env);
    if (p.flags.has("remove")) {
      removePrecompiled(dir, CLI_BUNDLE);
      return 0;
    }
    if (p.flags.has("check")) {
      const s = precompiledStatus(dir, CLI_BUNDLE, CLI_ENTRY);
      console.log(s.fresh ? `fresh: ${s.file}` : `not used: ${s.why}`);
      return s.fresh ? 0 : 1;
    }
    try {
      const stamp = await precompile(CLI_ENTRY, dir, CLI_BUNDLE);
      console.log(
        `precompiled ${stamp.inputs.length} source files into ${join(dir, `${CLI_BUNDLE}.js`)}`,
      );
      return 0;
    } catch (e) {
      if (!(e instanceof PrecompileError)) throw e;
      console.error(`aion precompile: ${e.message}`);
      return 1;
    }
  },
);
