/**
 * Writes a precompiled bundle (see bin/precompiled.ts): `entry` and all it
 * imports in one CommonJS file, JavaScriptCore bytecode cached beside it
 * (Bun loads the `.jsc` with the file), a source map for stack traces, then
 * the stamp. CommonJS because Bun caches bytecode for ES modules only in
 * standalone executables; the bundle is made strict, as the modules it
 * came from were, by a "use strict" at the top of its wrapper function.
 * Paths from `import.meta` are fixed at build time to the sources' own
 * directories, which is where the bundle's data files (templates, the UI,
 * the stdlib's .beam files) still are.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type PrecompileStamp, stampFile } from "./precompiled.ts";

/** Why a bundle could not be built (the bundler's messages). */
export class PrecompileError extends Error {
  override name = "PrecompileError";
}

/**
 * Bundles `entry` as `DIR/NAME.js` (+ `.js.jsc`, `.js.map`) and stamps it.
 * The files are built aside and moved in after the old stamp is removed,
 * so a launcher never takes a half-written bundle for a fresh one.
 */
export async function precompile(
  entry: string,
  dir: string,
  name: string,
): Promise<PrecompileStamp> {
  const work = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  } catch (e) {
    throw new PrecompileError(`cannot write into ${dir}: ${(e as Error).message}`);
  }
  try {
    const started = Date.now();
    const built = await Bun.build({
      entrypoints: [resolve(entry)],
      outdir: work,
      naming: `${name}.js`,
      target: "bun",
      format: "cjs",
      bytecode: true,
      sourcemap: "linked",
      banner: '"use strict";',
      metafile: true,
    });
    if (!built.success || built.metafile === undefined) {
      throw new PrecompileError(
        `cannot precompile ${entry}: ${built.logs.map((l) => String(l)).join("; ") || "no metafile"}`,
      );
    }
    const inputs = Object.keys(built.metafile.inputs).map((key) => {
      const path = resolve(process.cwd(), key);
      const st = statSync(path);
      // Its stamp would call a bundle of the old text fresh.
      if (st.mtimeMs >= started) {
        throw new PrecompileError(`${path} changed while it was being precompiled; run it again`);
      }
      return [path, st.size, st.mtimeMs] as const;
    });
    rmSync(stampFile(dir, name), { force: true });
    const outputs = built.outputs.map((o) => {
      const file = basename(o.path);
      renameSync(o.path, join(dir, file));
      return [file, statSync(join(dir, file)).size] as const;
    });
    const stamp: PrecompileStamp = { bun: Bun.version, entry: resolve(entry), outputs, inputs };
    const tmp = join(work, "stamp");
    writeFileSync(tmp, `${JSON.stringify(stamp)}\n`);
    renameSync(tmp, stampFile(dir, name));
    return stamp;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Removes bundle `name` from `dir` (stamp first). */
export function removePrecompiled(dir: string, name: string): void {
  rmSync(stampFile(dir, name), { force: true });
  for (const ext of [".js", ".js.jsc", ".js.map"]) rmSync(join(dir, name + ext), { force: true });
}
