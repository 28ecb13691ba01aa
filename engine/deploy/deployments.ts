/**
 * Versioned deploys on top of an `Engine`: deploy a `.aion` package (store +
 * route + load), start workflows on the routed version with their input
 * checked against the package's schema, and route a type back to an older
 * version (rollback). Everything deployed is in the store, so `attach` on a
 * fresh engine re-loads every stored package and route before recovery.
 */

import { readdirSync } from "node:fs";
import {
  type Package,
  PackageError,
  readPackage,
  validateInput,
  workflowTypes,
} from "../../loader/aion/index.ts";
import {
  describeSchemaProblems,
  manifestSchemaProblems,
} from "../../loader/aion/schema/manifest-schemas.ts";
import { standardNatives } from "../../nifs/index.ts";
import type { Engine, StartOptions } from "../engine.ts";
import { ENGINE_ERLANG_DIR } from "../engine.ts";
import type { WorkflowEntry } from "../types.ts";
import { DORMANT_ENTRY, DORMANT_MODULE, dormantNatives } from "./dormant.ts";
import {
  InvalidInputError,
  InvalidPackageError,
  NoPackageError,
  UnknownVersionError,
  VersionConflictError,
} from "./errors.ts";
import { loadPackageModules, packageWorkflows } from "./load.ts";
import { manifestDifferences } from "./manifest-diff.ts";
import { type DeployedWorkflow, DeployRegistry } from "./registry.ts";

/** Options of `Deployments.attach`. */
export interface AttachOptions {
  /**
   * Park every workflow process instead of running it (for short-lived
   * processes that only record starts, signals and ends; a worker runs them).
   */
  readonly dormant?: boolean;
}

/** What a deploy did. */
export interface DeployResult {
  readonly version: string;
  /** Workflow types the package serves, main type first. */
  readonly workflowTypes: readonly string[];
  /** Deployed (versioned) module names. */
  readonly modules: readonly string[];
  /** Whether the routes of the package's types now point at this version. */
  readonly activated: boolean;
  /** The version each type was routed to before (absent for a new type). */
  readonly previous: Readonly<Record<string, string>>;
}

/** One deployed version of one workflow type, with whether it is routed. */
export interface VersionInfo {
  readonly workflowType: string;
  readonly version: string;
  readonly current: boolean;
  readonly internal: boolean;
  readonly storedAt: number;
}

/** Module names a package may not ship: every native module and the engine's own. */
export function reservedModules(): ReadonlySet<string> {
  const engineOwn = readdirSync(ENGINE_ERLANG_DIR)
    .filter((f) => f.endsWith(".beam"))
    .map((f) => f.slice(0, -".beam".length));
  return new Set([...standardNatives().map((m) => m.module), DORMANT_MODULE, ...engineOwn]);
}

export class Deployments {
  private readonly registry = new DeployRegistry();
  private readonly reserved = reservedModules();
  /**
   * Packages installed in this engine, as `type@version`: one version may be
   * stored under several types with different manifests (an original
   * project's archives share one version when they share their modules).
   */
  private readonly loaded = new Set<string>();

  private constructor(
    readonly engine: Engine,
    private dormantMode: boolean,
  ) {
    engine.runtime.vm.registerNatives(dormantNatives());
    engine.setEntryResolver((type, version) => this.entry(type, version));
  }

  /**
   * Installs the deploy layer's entry resolver into `engine` and loads every
   * package and route the store holds. Call before `engine.recover()`, so
   * replayed workflows find their code.
   */
  static async attach(engine: Engine, options: AttachOptions = {}): Promise<Deployments> {
    const d = new Deployments(engine, options.dormant ?? false);
    await d.reload();
    return d;
  }

  /** Whether workflow processes are parked rather than run. */
  get dormant(): boolean {
    return this.dormantMode;
  }

  /** Re-reads every stored package and route (idempotent). */
  async reload(): Promise<void> {
    const store = this.engine.store;
    for (const rec of await store.listPackages()) {
      if (this.loaded.has(`${rec.workflowType}@${rec.contentHash}`)) continue;
      this.install(this.read(rec.archive, `${rec.workflowType}@${rec.contentHash.slice(0, 12)}`));
    }
    for (const r of await store.listPackageRoutes())
      this.routeLocally(r.workflowType, r.contentHash);
  }

  /**
   * Deploys a package: verifies it (reserved module names included), stores
   * it under each workflow type it serves, loads its modules under their
   * versioned names and, unless `activate` is false, routes its types to it.
   * Its schemas must be valid JSON Schemas. Deploying a version again is a
   * no-op re-route when the manifest is the same, and refused when it differs.
   * @throws InvalidPackageError, VersionConflictError
   */
  async deploy(
    bytes: Uint8Array,
    fileName = "package.aion",
    options: { readonly activate?: boolean } = {},
  ): Promise<DeployResult> {
    const pkg = this.read(bytes, fileName);
    const problems = manifestSchemaProblems(pkg.manifest);
    if (problems.length > 0) {
      throw new InvalidPackageError(
        "manifest_field",
        `${fileName}: manifest.json: not a valid JSON Schema: ${describeSchemaProblems(problems)}`,
      );
    }
    await this.refuseChangedManifest(pkg, fileName);
    const types = workflowTypes(pkg.manifest);
    const modules = this.install(pkg);
    for (const type of types) {
      await this.engine.store.putPackage({
        workflowType: type,
        contentHash: pkg.version,
        archive: bytes,
      });
    }
    const activate = options.activate ?? true;
    const previous: Record<string, string> = {};
    if (activate) {
      for (const type of types) {
        const before = this.registry.route(type);
        if (before !== undefined && before !== pkg.version) previous[type] = before;
        await this.engine.store.putPackageRoute(type, pkg.version);
        this.routeLocally(type, pkg.version);
      }
    }
    return { version: pkg.version, workflowTypes: types, modules, activated: activate, previous };
  }

  /**
   * Routes new workflows of `workflowType` to `version`, or (without a
   * version) to the version deployed before the current one. Running
   * workflows are not affected. Resolves with the version now routed.
   * @throws NoPackageError, UnknownVersionError
   */
  async rollback(workflowType: string, version?: string): Promise<string> {
    const current = this.registry.route(workflowType);
    if (current === undefined) throw new NoPackageError(workflowType);
    let target = version;
    if (target === undefined) {
      const history = (await this.versions()).filter((v) => v.workflowType === workflowType);
      const at = history.findIndex((v) => v.version === current);
      target = at > 0 ? history[at - 1]!.version : undefined;
      if (target === undefined) throw new UnknownVersionError(workflowType, "(previous)");
    }
    if (this.registry.get(workflowType, target) === undefined) {
      throw new UnknownVersionError(workflowType, target);
    }
    await this.engine.store.putPackageRoute(workflowType, target);
    this.routeLocally(workflowType, target);
    return target;
  }

  /** Every deployed version of every type, oldest first per type. */
  async versions(): Promise<readonly VersionInfo[]> {
    const out: VersionInfo[] = [];
    for (const rec of await this.engine.store.listPackages()) {
      const w = this.registry.get(rec.workflowType, rec.contentHash);
      out.push({
        workflowType: rec.workflowType,
        version: rec.contentHash,
        current: this.registry.route(rec.workflowType) === rec.contentHash,
        internal: w?.internal ?? false,
        storedAt: rec.storedAt,
      });
    }
    return out;
  }

  /** The routed version of a type, if a package serves it. */
  current(workflowType: string): DeployedWorkflow | undefined {
    return this.registry.current(workflowType);
  }

  /** Problems of `input` against the routed version's input schema ([] when valid). */
  check(workflowType: string, input: unknown): ReturnType<typeof validateInput> {
    const w = this.registry.current(workflowType);
    if (w === undefined) throw new NoPackageError(workflowType);
    return validateInput(w.inputSchema, input);
  }

  /**
   * Starts a workflow on the routed version after checking its input against
   * the package's schema. Types registered directly with the engine (no
   * package) are passed through unchecked.
   * @throws InvalidInputError, plus everything `Engine.start` throws
   */
  async start(
    workflowType: string,
    input: unknown = null,
    options: StartOptions = {},
  ): Promise<string> {
    if (this.registry.current(workflowType) !== undefined) {
      const problems = this.check(workflowType, input);
      if (problems.length > 0) throw new InvalidInputError(workflowType, problems);
    }
    return this.engine.start(workflowType, input, options);
  }

  /**
   * The engine's entry resolver: the entry function of the type at exactly
   * the run's version (recorded, or about to be recorded at start), whatever
   * the route says now. Types no package serves are left to the engine's
   * registrations; a packaged type at a version this engine has not loaded
   * is refused rather than run on other code, which would diverge from its
   * history.
   * @throws UnknownVersionError
   */
  private entry(workflowType: string, version: string): WorkflowEntry | undefined {
    const w = this.registry.get(workflowType, version);
    if (w === undefined) {
      if (!this.registry.has(workflowType)) return undefined;
      throw new UnknownVersionError(workflowType, version);
    }
    return this.dormantMode ? DORMANT_ENTRY : { module: w.module, function: w.function };
  }

  /**
   * Refuses `pkg` if its version is already stored for one of its workflow
   * types with another manifest. Stored copies under other types may differ:
   * archives of one project that share their modules share the version and
   * carry one manifest each.
   * @throws VersionConflictError
   */
  private async refuseChangedManifest(pkg: Package, fileName: string): Promise<void> {
    const types = new Set(workflowTypes(pkg.manifest));
    const stored = (await this.engine.store.listPackages()).find(
      (r) => r.contentHash === pkg.version && types.has(r.workflowType),
    );
    if (stored === undefined) return;
    let before: Package;
    try {
      before = readPackage(stored.archive, stored.workflowType, { validate: false });
    } catch (e) {
      // The stored copy passed a deploy's checks once; if it no longer reads,
      // the new package cannot differ from anything readable: let it replace it.
      if (e instanceof PackageError) return;
      throw e;
    }
    const fields = manifestDifferences(before.manifest, pkg.manifest);
    if (fields.length > 0) throw new VersionConflictError(fileName, pkg.version, fields);
  }

  private read(bytes: Uint8Array, fileName: string): Package {
    try {
      return readPackage(bytes, fileName, { validate: { reserved: this.reserved } });
    } catch (e) {
      if (e instanceof PackageError) throw new InvalidPackageError(e.code, e.message);
      throw e;
    }
  }

  /** Loads a package's modules and records its workflow types; returns the deployed module names. */
  private install(pkg: Package): readonly string[] {
    const modules = loadPackageModules(this.engine, pkg);
    for (const w of packageWorkflows(pkg)) {
      this.registry.add(w);
      this.loaded.add(`${w.workflowType}@${pkg.version}`);
    }
    return modules;
  }

  /**
   * Points the registry and the engine's type table at `version`: new runs of
   * the type record it (the resolver then runs them on its code).
   */
  private routeLocally(workflowType: string, version: string): void {
    const w = this.registry.get(workflowType, version);
    if (w === undefined) return;
    this.registry.setRoute(workflowType, version);
    this.engine.register(workflowType, {
      module: w.module,
      function: w.function,
      packageVersion: version,
      ...(w.timeoutMs !== undefined ? { timeoutMs: w.timeoutMs } : {}),
    });
  }
}
