/**
 * Preloaded before every test file (bunfig.toml): the only place tests read
 * the environment for VM settings, so `AION_TIER=closures bun test test/vm`
 * or `AION_JIT_HOT=1 bun test` runs a whole suite on one tier or threshold.
 *
 * (Per-test timeouts are set per file with `setDefaultTimeout`: bun applies a
 * preload's default to the first file only.)
 */
import { setVmDefaults, vmDefaultsFromEnv } from "../vm/index.ts";

setVmDefaults(vmDefaultsFromEnv(process.env));
