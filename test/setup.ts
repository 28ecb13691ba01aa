/**
 * Preloaded before every test file (bunfig.toml).
 *
 * - The only place tests read the environment for VM settings, so
 *   `AION_TIER=closures bun test test/vm` or `AION_JIT_HOT=1 bun test` runs a
 *   whole suite on one tier or threshold.
 * - A default per-test timeout of 60 s instead of bun's 5 s: tests wait on
 *   events, never on time, so the timeout only guards against a hang, and on
 *   a loaded 2-core machine a first test that loads and JIT-compiles modules
 *   can take seconds. Tests that need longer set their own.
 */
import { setDefaultTimeout } from "bun:test";
import { setVmDefaults, vmDefaultsFromEnv } from "../vm/index.ts";

setVmDefaults(vmDefaultsFromEnv(process.env));
setDefaultTimeout(60_000);
