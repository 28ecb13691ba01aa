/**
 * Semantic checks on a package's contents: what the manifest promises must be
 * true of the modules, and the modules must be ones the engine can deploy.
 */
import { LoadError, loadBeam } from "../index.ts";
import type { BeamModule } from "../module.ts";
import { moduleEntry } from "./entries.ts";
import { PackageError } from "./errors.ts";
import { reservedReason } from "./names.ts";
import type { PackageContents } from "./package.ts";
import { type VersionForm, verifyVersion } from "./version.ts";

export interface ValidateOptions {
  /** Module names reserved in addition to {@link ENGINE_MODULES}. */
  readonly reserved?: Iterable<string>;
  /**
   * Arity every entry function must be exported with. Unset, any exported
   * arity will do (the manifest does not record one).
   */
  readonly entryArity?: number;
}

/** One workflow the manifest routes to, and where in the manifest it was named. */
interface Route {
  readonly type: string;
  readonly module: string;
  readonly fn: string;
  /** Prefix of the manifest fields that name it, for error locations. */
  readonly at: string;
}

/**
 * Full validation: the version matches the contents (either form) and the
 * modules pass {@link validateModules}. Returns the version form.
 */
export function validatePackage(
  contents: PackageContents,
  fileName = "<package>",
  options: ValidateOptions = {},
): VersionForm {
  const form = verifyVersion(contents.manifest, contents.modules, fileName);
  validateModules(contents, fileName, options);
  return form;
}

/**
 * The module checks, in order: no reserved names; every workflow's entry
 * module present; no two workflows with one type; every module loads and
 * declares the name its file has; every entry function exported.
 */
export function validateModules(
  contents: PackageContents,
  file: string,
  options: ValidateOptions = {},
): void {
  const { manifest, modules } = contents;
  const extra = new Set(options.reserved ?? []);
  for (const name of modules.keys()) {
    const why = reservedReason(name, extra);
    if (why !== undefined) throw new PackageError("reserved_module", file, moduleEntry(name), why);
  }
  const routes: Route[] = [
    {
      type: manifest.entry_module,
      module: manifest.entry_module,
      fn: manifest.entry_function,
      at: "manifest.json: ",
    },
    ...manifest.additional_workflows.map((w, i) => ({
      type: w.workflow_type,
      module: w.entry_module,
      fn: w.entry_function,
      at: `manifest.json: additional_workflows[${i}].`,
    })),
  ];
  const types = new Set<string>();
  for (const r of routes) {
    if (!modules.has(r.module)) {
      throw new PackageError(
        "entry_module_missing",
        file,
        `${r.at}entry_module`,
        `module '${r.module}' is not in the package (no ${moduleEntry(r.module)})`,
      );
    }
    if (types.has(r.type)) {
      throw new PackageError(
        "duplicate_workflow",
        file,
        `${r.at}workflow_type`,
        `workflow type '${r.type}' is declared more than once`,
      );
    }
    types.add(r.type);
  }
  const loaded = new Map<string, BeamModule>();
  for (const [name, bytes] of modules) loaded.set(name, load(name, bytes, file));
  for (const r of routes) checkExported(loaded.get(r.module)!, r, file, options.entryArity);
}

function load(name: string, bytes: Uint8Array, file: string): BeamModule {
  const entry = moduleEntry(name);
  let m: BeamModule;
  try {
    m = loadBeam(bytes, entry);
  } catch (e) {
    const detail = e instanceof LoadError ? String(e) : `loader failed: ${(e as Error).message}`;
    throw new PackageError("beam_unloadable", file, entry, detail);
  }
  if (m.name.name !== name) {
    throw new PackageError(
      "module_name_mismatch",
      file,
      entry,
      `the module inside is '${m.name.name}', not '${name}'`,
    );
  }
  return m;
}

function checkExported(m: BeamModule, r: Route, file: string, arity: number | undefined): void {
  const arities = m.exports.filter((e) => e.name.name === r.fn).map((e) => e.arity);
  if (arity === undefined ? arities.length > 0 : arities.includes(arity)) return;
  const want = arity === undefined ? `${r.fn}` : `${r.fn}/${arity}`;
  const have =
    arities.length === 0 ? "" : ` (exported: ${arities.map((a) => `${r.fn}/${a}`).join(", ")})`;
  throw new PackageError(
    "entry_function_missing",
    file,
    `${r.at}entry_function`,
    `module '${r.module}' does not export ${want}${have}`,
  );
}
