/**
 * The durable workflow engine: `Engine`, its options and typed errors, the
 * `aion_flow_ffi` natives, and (in `./testing/`) a replay kit for tests.
 */

/** The workflow sandbox the engine applies by default; widen it with `.with({...})` (docs/security.md). */
export { workflowSandbox } from "../nifs/workflow-sandbox.ts";
export { WAKE_MARKER } from "./core.ts";
export {
  ENGINE_ERLANG_DIR,
  Engine,
  type EngineOptions,
  RawJson,
  type SignalOptions,
  type StartOptions,
  type WorkflowDescription,
} from "./engine.ts";
export * from "./errors.ts";
export type { ResidencyOptions } from "./host/residency.ts";
export type { RunOutcome, WorkflowOutcome } from "./outcome.ts";
export { type RandomSource, seededRandom } from "./random.ts";
export type { RecoveryReport } from "./recovery.ts";
export { type ArrivalKind, WAKE_MARKERS } from "./run/wake-markers.ts";
export {
  type ActivityContext,
  type ActivityFn,
  type ActivityOptions,
  DEFAULT_RETRY,
  type EntryResolver,
  NonRetryableError,
  RetryableError,
  type RetryPolicy,
  TerminalError,
  type WorkflowEntry,
  type WorkflowTypeSpec,
} from "./types.ts";
