/**
 * The web console's files: the browser code under ui/app bundled into one
 * script with `Bun.build` (no CDN, nothing fetched at run time), its
 * stylesheet and its HTML shell. Built once, on the first request that needs
 * them, so a server that never shows the console never pays for the build.
 */
import { join } from "node:path";

/** The console as served. */
export interface UiAssets {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

/** Where the console's sources live (the repository's ui/ folder, shipped in the package). */
export const UI_SOURCE_DIR = join(import.meta.dir, "..", "..", "..", "ui");

/** The console could not be built (its sources are missing or do not compile). */
export class UiBuildError extends Error {
  override readonly name = "UiBuildError";
  readonly code = "ui-build";
}

/** Bundles the console from `dir` (default: the repository's ui/). @throws UiBuildError */
export async function buildUiAssets(dir: string = UI_SOURCE_DIR): Promise<UiAssets> {
  const entry = join(dir, "app", "main.ts");
  let built: Awaited<ReturnType<typeof Bun.build>>;
  try {
    built = await Bun.build({ entrypoints: [entry], target: "browser", minify: true });
  } catch (e) {
    throw new UiBuildError(`cannot bundle ${entry}: ${(e as Error).message}`);
  }
  const out = built.outputs[0];
  if (!built.success || out === undefined) {
    throw new UiBuildError(`cannot bundle ${entry}: ${built.logs.map(String).join("; ")}`);
  }
  const [js, css, html] = await Promise.all([
    out.text(),
    Bun.file(join(dir, "style.css")).text(),
    Bun.file(join(dir, "index.html")).text(),
  ]);
  return { html, js, css };
}

/** `buildUiAssets` once per server; a failed build is retried on the next request. */
export function lazyUiAssets(dir?: string): () => Promise<UiAssets> {
  let pending: Promise<UiAssets> | undefined;
  return () => {
    pending ??= buildUiAssets(dir).catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
