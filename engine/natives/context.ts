/**
 * What every `aion_flow_ffi` native does first: find the calling process's
 * run, refuse recording calls and awaits while a query is being serviced,
 * hand out a pending query's sentinel at an await, and consume one wake
 * marker (of any kind) per await entry, as the original's re-entrant awaits do.
 */

import type { Term } from "../../terms/index.ts";
import type { Process } from "../../vm/index.ts";
import type { EngineCore } from "../core.ts";
import type { ActivityHost } from "../host/activities.ts";
import type { ChildHost } from "../host/children.ts";
import { WorkflowRun } from "../run/run-state.ts";
import { isWakeMarker } from "../run/wake-markers.ts";
import { errorTerm } from "../terms.ts";

/** What the natives reach: the core and the host services. */
export interface NativeEnv {
  readonly core: EngineCore;
  readonly activities: ActivityHost;
  readonly children: ChildHost;
}

/** How a native interacts with history. */
export type NativeKind = "plain" | "recording" | "await" | "recording-await";

/** Either the run to work on, or the immediate result of the call. */
export type Entered =
  | { readonly run: WorkflowRun; readonly result?: undefined }
  | { readonly result: Term };

function consumeMarker(p: Process): void {
  let taken = false;
  p.mailbox.removeWhere((m) => {
    if (taken || !isWakeMarker(m)) return false;
    taken = true;
    return true;
  });
}

/** Entry checks shared by every native. */
export function enter(env: NativeEnv, p: Process, native: string, kind: NativeKind): Entered {
  const run = p.hostData;
  if (!(run instanceof WorkflowRun) || run.detached)
    return { result: errorTerm("not_a_workflow_process") };
  if (kind !== "plain" && run.servicing !== null)
    return { result: errorTerm(`query_servicing:${native}`) };
  if (kind === "await" || kind === "recording-await") {
    const q = run.takeQuery();
    if (q !== undefined) return { result: env.core.steps.querySentinel(q) };
    consumeMarker(p);
  }
  // Plain natives (the pump's replies) run between a sentinel and the re-entry.
  if (kind !== "plain" && run.reentry !== null && run.reentry.native !== native) run.reentry = null;
  return { run };
}

/** Takes the re-entry key left by a sentinel for this native, if any. */
export function takeReentry(run: WorkflowRun, native: string): string | undefined {
  if (run.reentry === null || run.reentry.native !== native) return undefined;
  const key = run.reentry.key;
  run.reentry = null;
  return key;
}
