/**
 * The parking entry of dormant mode. A short-lived CLI process records
 * starts, signals and ends but must never run workflow code (nor, through it,
 * activities): only a worker does. In dormant mode the deploy layer's entry
 * resolver answers every deployed version with this native, so the engine
 * spawns the run's process as usual (it stays resident, takes arrivals and is
 * torn down at shutdown) but the process suspends at once and is never
 * resumed.
 */
import { defineNatives, type NativeModule, SUSPEND } from "../../vm/index.ts";
import type { WorkflowEntry } from "../types.ts";

/** The module of the parking native (reserved: no package may ship it). */
export const DORMANT_MODULE = "aion_deploy_dormant";

/** The entry every deployed run gets in dormant mode. */
export const DORMANT_ENTRY: WorkflowEntry = { module: DORMANT_MODULE, function: "park" };

/** `aion_deploy_dormant:park/1`: suspends its caller for good. */
export function dormantNatives(): NativeModule {
  return defineNatives(DORMANT_MODULE, { "park/1": () => SUSPEND });
}
