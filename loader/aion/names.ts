/**
 * Module names a package may not use, and the deployed (versioned) module
 * names the engine loads package modules under.
 */

/** Separates a logical module name from the package version in a deployed name. */
export const DEPLOYED_SEPARATOR = "$";

/**
 * Modules every engine provides natively, whatever its VM: `aion_flow_ffi`
 * (the workflow natives) and the runtime's own `erlang`, `erts_internal` and
 * `init`. A package cannot supply these, so shipping one is refused.
 *
 * The VM implements more OTP modules natively (nifs/), and that set grows;
 * the loader sits below the VM and cannot see it, so the engine passes it as
 * `ValidateOptions.reserved` (e.g. `standardNatives().map((m) => m.module)`).
 * Library modules the engine loads from .beam files are not reserved: a
 * package's own copy is deployed under its versioned name like any module.
 */
export const ENGINE_MODULES: ReadonlySet<string> = new Set([
  "aion_flow_ffi",
  "erlang",
  "erts_internal",
  "init",
]);

/**
 * Why `name` may not be a package module, or undefined if it may. `extra`
 * adds names the caller reserves (e.g. natives registered at run time).
 */
export function reservedReason(
  name: string,
  extra: ReadonlySet<string> = new Set(),
): string | undefined {
  if (name.includes(DEPLOYED_SEPARATOR)) {
    return `module names may not contain '${DEPLOYED_SEPARATOR}' (it separates the version in deployed names)`;
  }
  if (ENGINE_MODULES.has(name) || extra.has(name)) {
    return `'${name}' is provided by the engine and may not be shipped in a package`;
  }
  return undefined;
}

/**
 * The name a package module is loaded under when the package is deployed:
 * `<module>$<version>`. Different versions of one workflow therefore never
 * share a module atom, so they run side by side and running workflows keep
 * the code they started with.
 */
export function deployedModuleName(module: string, version: string): string {
  return module + DEPLOYED_SEPARATOR + version;
}

/** Splits a deployed module name back into module and version, or undefined if it is not one. */
export function parseDeployedModuleName(
  deployed: string,
): { readonly module: string; readonly version: string } | undefined {
  const at = deployed.indexOf(DEPLOYED_SEPARATOR);
  if (at <= 0) return undefined;
  const version = deployed.slice(at + 1);
  if (!/^[0-9a-f]{64}$/.test(version)) return undefined;
  return { module: deployed.slice(0, at), version };
}
