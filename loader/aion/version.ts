/**
 * The package version: a SHA-256 content hash over the compiled modules,
 * optionally binding every workflow's timeout too. Sources and the archive
 * layout never take part, so the same modules always give the same version.
 *
 * "Framed" bytes are an 8-byte big-endian length followed by the bytes.
 *
 * - legacy form: for each module in ascending byte order of its UTF-8 name,
 *   framed(name) then framed(.beam bytes).
 * - timeouts form: the legacy input, then framed("aion.package.version.workflow-timeouts.v3"),
 *   the workflow count as u64 BE, then for the main workflow (keyed by its
 *   entry module) and each additional workflow in manifest order (keyed by its
 *   workflow type): framed(key), then 0x00 for no timeout or 0x01 + secs u64 BE
 *   + nanos u32 BE.
 *
 * See docs/package-format.md.
 */
import type { Duration } from "./duration.ts";
import { PackageError } from "./errors.ts";
import type { Manifest } from "./manifest.ts";

/** Which hash the manifest's `version` turned out to be. */
export type VersionForm = "legacy" | "timeouts";

/** One workflow's contribution to the timeouts form. */
export interface TimeoutEntry {
  /** The main workflow's entry module, or an additional workflow's type. */
  readonly key: string;
  readonly timeout?: Duration;
}

export const TIMEOUTS_DOMAIN = "aion.package.version.workflow-timeouts.v3";

const UTF8 = new TextEncoder();

/**
 * The version of a set of modules: the legacy form without `timeouts`, the
 * timeouts form with them (pass {@link workflowTimeouts} of the manifest).
 */
export function computeVersion(
  modules: ReadonlyMap<string, Uint8Array>,
  timeouts?: readonly TimeoutEntry[],
): string {
  const h = new Bun.CryptoHasher("sha256");
  for (const name of sortedModuleNames(modules.keys())) {
    framed(h, UTF8.encode(name));
    framed(h, modules.get(name)!);
  }
  if (timeouts !== undefined) {
    framed(h, UTF8.encode(TIMEOUTS_DOMAIN));
    h.update(u64(timeouts.length));
    for (const t of timeouts) {
      framed(h, UTF8.encode(t.key));
      if (t.timeout === undefined) {
        h.update(new Uint8Array([0]));
      } else {
        h.update(new Uint8Array([1]));
        h.update(u64(t.timeout.secs));
        const nanos = new Uint8Array(4);
        new DataView(nanos.buffer).setUint32(0, t.timeout.nanos, false);
        h.update(nanos);
      }
    }
  }
  return h.digest("hex");
}

/** The timeout entries of a manifest, in hashing order. */
export function workflowTimeouts(
  m: Pick<Manifest, "entry_module" | "timeout" | "additional_workflows">,
): TimeoutEntry[] {
  return [
    { key: m.entry_module, ...(m.timeout && { timeout: m.timeout }) },
    ...m.additional_workflows.map((w) => ({
      key: w.workflow_type,
      ...(w.timeout && { timeout: w.timeout }),
    })),
  ];
}

/**
 * Checks that `manifest.version` is the content hash in either form and says
 * which. Throws `version_mismatch` naming both computed values otherwise.
 */
export function verifyVersion(
  manifest: Manifest,
  modules: ReadonlyMap<string, Uint8Array>,
  file: string,
): VersionForm {
  const legacy = computeVersion(modules);
  if (manifest.version === legacy) return "legacy";
  const withTimeouts = computeVersion(modules, workflowTimeouts(manifest));
  if (manifest.version === withTimeouts) return "timeouts";
  throw new PackageError(
    "version_mismatch",
    file,
    "manifest.json: version",
    `${manifest.version} is not the content hash (legacy form ${legacy}, timeouts form ${withTimeouts})`,
  );
}

/**
 * The timeouts the package's version vouches for, by workflow type. Only the
 * timeouts form binds them, so a legacy-version package declares none, even
 * if its manifest carries `timeout` fields (they could have been edited in
 * without changing the version). This is the original engine's rule.
 */
export function declaredTimeouts(
  manifest: Manifest,
  form: VersionForm,
): ReadonlyMap<string, Duration> {
  const out = new Map<string, Duration>();
  if (form !== "timeouts") return out;
  if (manifest.timeout) out.set(manifest.entry_module, manifest.timeout);
  for (const w of manifest.additional_workflows) if (w.timeout) out.set(w.workflow_type, w.timeout);
  return out;
}

/** Names in ascending order of their UTF-8 bytes (not UTF-16 code units, which differ above U+FFFF). */
export function sortedModuleNames(names: Iterable<string>): string[] {
  return [...names]
    .map((n) => ({ n, b: Buffer.from(n, "utf8") }))
    .sort((x, y) => Buffer.compare(x.b, y.b))
    .map((x) => x.n);
}

function framed(h: Bun.CryptoHasher, bytes: Uint8Array): void {
  h.update(u64(bytes.length));
  h.update(bytes);
}

function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
  return b;
}
