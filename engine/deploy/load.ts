/**
 * Turning a verified package into running code: decode each module, rename
 * the package's modules to their versioned names, load them into the VM, and
 * describe the workflow types the package serves.
 */
import {
  declaredTimeouts,
  deployedModuleName,
  type Package,
  workflowTypes,
} from "../../loader/aion/index.ts";
import { loadBeam } from "../../loader/index.ts";
import { type Atom, atom } from "../../terms/index.ts";
import type { Engine } from "../engine.ts";
import type { DeployedWorkflow } from "./registry.ts";
import { renameModules } from "./rename.ts";

/**
 * Loads every module of `pkg` under `<module>$<version>`. A version already
 * loaded is left alone: its code is identical by construction (the version is
 * the hash of the modules).
 */
export function loadPackageModules(engine: Engine, pkg: Package): readonly string[] {
  const vm = engine.runtime.vm;
  const mapping = new Map<Atom, Atom>();
  for (const name of pkg.modules.keys()) {
    mapping.set(atom(name), atom(deployedModuleName(name, pkg.version)));
  }
  const loaded: string[] = [];
  for (const [name, bytes] of pkg.modules) {
    const deployed = mapping.get(atom(name))!;
    loaded.push(deployed.name);
    if (vm.modules.has(deployed)) continue;
    const beam = loadBeam(bytes, `${pkg.fileName}:beam/${name}.beam`);
    engine.loadBeamModule(renameModules(beam, mapping));
  }
  return loaded;
}

/** The workflow types `pkg` serves: the main one first, then the additional ones. */
export function packageWorkflows(pkg: Package): readonly DeployedWorkflow[] {
  const m = pkg.manifest;
  const timeouts = declaredTimeouts(m, pkg.versionForm);
  const ms = (type: string): number | undefined => {
    const d = timeouts.get(type);
    return d === undefined ? undefined : d.secs * 1000 + Math.ceil(d.nanos / 1_000_000);
  };
  const entries = [
    {
      workflow_type: m.entry_module,
      entry_module: m.entry_module,
      entry_function: m.entry_function,
      input_schema: m.input_schema,
      internal: false,
    },
    ...m.additional_workflows,
  ];
  const out = entries.map((w) => ({
    workflowType: w.workflow_type,
    version: pkg.version,
    module: deployedModuleName(w.entry_module, pkg.version),
    function: w.entry_function,
    inputSchema: w.input_schema,
    timeoutMs: ms(w.workflow_type),
    internal: w.internal,
  }));
  // workflowTypes() is the manifest's own ordering; keep it authoritative.
  const order = workflowTypes(m);
  return out.sort((a, b) => order.indexOf(a.workflowType) - order.indexOf(b.workflowType));
}
