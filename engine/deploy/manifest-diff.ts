/**
 * Which fields of two manifests differ, for the redeploy rule: a package's
 * version hashes its modules (and, in one form, its timeouts) but not its
 * schemas or activity list, so two different manifests can share a version.
 * Schemas compare as JSON values (key order does not matter).
 */
import { type Manifest, serializeManifest } from "../../loader/aion/index.ts";
import { jsonEqual } from "../../loader/aion/schema/json-path.ts";

/** The top-level manifest fields whose values differ, in manifest order. */
export function manifestDifferences(a: Manifest, b: Manifest): string[] {
  const ja = asJson(a);
  const jb = asJson(b);
  const keys = [...new Set([...Object.keys(ja), ...Object.keys(jb)])];
  return keys.filter((k) => !jsonEqual(ja[k], jb[k]));
}

/** The manifest as manifest.json would hold it (one canonical shape for both sides). */
function asJson(m: Manifest): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(serializeManifest(m))) as Record<string, unknown>;
}
