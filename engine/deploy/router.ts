/**
 * The router native: every workflow type served by a package is registered
 * with the engine as `aion_deploy_router:run/1`. When the engine spawns (or
 * replays) a run, the router reads the run's recorded workflow type and
 * package version from the process and transfers control to that version's
 * entry function, so a running workflow keeps the code it started with while
 * new starts take whatever version the route names at start time.
 *
 * In dormant mode (a short-lived CLI process that only records starts and
 * arrivals) the router parks the workflow process instead of running it, so
 * no workflow code — and no activity — ever runs outside a worker.
 */
import { ErlangError } from "../../vm/errors.ts";
import { applyTerms, invoke } from "../../vm/interp/apply.ts";
import { defineNatives, type NativeModule, SUSPEND } from "../../vm/native.ts";
import type { Process } from "../../vm/process/process.ts";
import { atom, binaryFromString, listFromArray } from "../../vm/terms/index.ts";
import type { DeployRegistry } from "./registry.ts";

/** The module every deployed workflow type is registered under. */
export const ROUTER_MODULE = "aion_deploy_router";
/** Its entry function (arity 1: the input JSON binary). */
export const ROUTER_FUNCTION = "run";

/** What the engine attaches to a workflow process (its `WorkflowRun`). */
interface RunIdentity {
  readonly workflowType: string;
  readonly packageVersion: string;
}

function identity(p: Process): RunIdentity | undefined {
  const d: unknown = p.hostData;
  if (typeof d !== "object" || d === null) return undefined;
  const { workflowType, packageVersion } = d as Partial<RunIdentity>;
  return typeof workflowType === "string" && typeof packageVersion === "string"
    ? { workflowType, packageVersion }
    : undefined;
}

/** The router's natives over `registry`; `dormant()` says whether to park instead of run. */
export function routerNatives(registry: DeployRegistry, dormant: () => boolean): NativeModule {
  return defineNatives(
    ROUTER_MODULE,
    { "$park/0": () => SUSPEND },
    {
      "run/1": (p, [input], returnPc) => {
        if (dormant()) {
          return invoke(p, p.vm.exports.lookup(ROUTER_MODULE, "$park", 0), 0, returnPc);
        }
        const id = identity(p);
        const target = id && registry.get(id.workflowType, id.packageVersion);
        if (id === undefined || target === undefined) {
          throw new ErlangError("error", [
            atom("aion_deploy_no_version"),
            binaryFromString(id?.workflowType ?? "?"),
            binaryFromString(id?.packageVersion ?? "?"),
          ]);
        }
        return applyTerms(
          p,
          atom(target.module),
          atom(target.function),
          listFromArray([input!]),
          returnPc,
        );
      },
    },
  );
}
