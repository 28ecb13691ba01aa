/**
 * Defaults for VM options a caller leaves out: the execution tier and the
 * JIT's hotness threshold. The VM never reads the environment; the edges do
 * (bin/aion.ts for the CLI, test/setup.ts for `bun test`, both from
 * `AION_TIER` and `AION_JIT_HOT`) and set these once at start-up, so a whole
 * test suite can run on one tier without every test passing options.
 */
import type { Tier } from "./machine.ts";

export interface VmDefaults {
  /** Tier of VMs created without `tier` (default "jit"). */
  tier: Tier;
  /** Entries before a JIT region is compiled, for VMs created without `jitHot` (default 2). */
  jitHot: number;
}

const TIERS: readonly Tier[] = ["closures", "fused", "jit"];

/** The defaults in force. Change them with {@link setVmDefaults}, only at start-up. */
export const vmDefaults: Readonly<VmDefaults> = { tier: "jit", jitHot: 2 };

/**
 * Sets the defaults (for VMs created afterwards). Unknown tiers and
 * thresholds below 1 are refused, so a mistyped environment variable fails
 * loudly at the edge.
 * @throws Error naming the bad value
 */
export function setVmDefaults(d: Partial<VmDefaults>): void {
  const target = vmDefaults as VmDefaults;
  if (d.tier !== undefined) {
    if (!TIERS.includes(d.tier)) throw new Error(`unknown VM tier ${JSON.stringify(d.tier)}`);
    target.tier = d.tier;
  }
  if (d.jitHot !== undefined) {
    if (!Number.isInteger(d.jitHot) || d.jitHot < 1)
      throw new Error(`JIT threshold must be a whole number >= 1, got ${d.jitHot}`);
    target.jitHot = d.jitHot;
  }
}

/** Reads `AION_TIER` / `AION_JIT_HOT` from an environment (for the edges only). */
export function vmDefaultsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Partial<VmDefaults> {
  const out: Partial<VmDefaults> = {};
  if (env.AION_TIER) out.tier = env.AION_TIER as Tier;
  if (env.AION_JIT_HOT) out.jitHot = Number(env.AION_JIT_HOT);
  return out;
}
