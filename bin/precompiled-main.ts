/**
 * What the precompiled bundle is built from (bin/precompile.ts): the command
 * line's {@link main}, which first makes the package's public modules, when
 * a module it loads imports them, the bundle's own.
 *
 * Why: the bundle carries its own copy of every module of the package. A
 * user module the command line loads (the activities of `aion worker` or
 * `start --wait --activities`) that imports `aion-bun` would otherwise get
 * a second copy from the sources, whose classes are not the bundle's: the
 * engine's `e instanceof TerminalError` said no to the activity's
 * `TerminalError`, and the error was retried instead of failing the step.
 * A Bun plugin answers a load of any of the package's public entry points
 * (package.json `exports`, by real path, so a symlinked or relative import
 * is caught too) with the bundle's module.
 */
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { main as cliMain } from "./main.ts";

/** The package's root directory (where package.json is). */
const ROOT = join(import.meta.dir, "..");

/**
 * Each public entry point (its path in the package) and its module in the
 * bundle, loaded when first imported. Must list every `exports` target of
 * package.json (test/cli/precompile.test.ts checks).
 */
export const PUBLIC_MODULES: Readonly<Record<string, () => Promise<object>>> = {
  "index.ts": () => import("../index.ts"),
  "engine/deploy/index.ts": () => import("../engine/deploy/index.ts"),
  "engine/http/index.ts": () => import("../engine/http/index.ts"),
  "engine/client/index.ts": () => import("../engine/client/index.ts"),
  "engine/testing/index.ts": () => import("../engine/testing/index.ts"),
  "loader/index.ts": () => import("../loader/index.ts"),
  "vm/index.ts": () => import("../vm/index.ts"),
};

let installed = false;

/** Routes loads of the package's public entry points to the bundle's modules (once). */
function useOwnModules(): void {
  if (installed) return;
  installed = true;
  const byPath = new Map<string, () => Promise<object>>();
  for (const [file, load] of Object.entries(PUBLIC_MODULES)) {
    byPath.set(realpathSync(join(ROOT, file)), load);
  }
  const escaped = [...byPath.keys()].map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  Bun.plugin({
    name: "aion-precompiled-modules",
    setup(build) {
      build.onLoad({ filter: new RegExp(`^(?:${escaped.join("|")})$`) }, async (args) => {
        const load = byPath.get(args.path);
        // Only the paths above match the filter.
        if (load === undefined) throw new Error(`aion: no precompiled module for ${args.path}`);
        return { exports: { ...(await load()) }, loader: "object" };
      });
    },
  });
}

/** Runs `aion ARGV...` from the bundle; resolves to the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  useOwnModules();
  return cliMain(argv);
}
