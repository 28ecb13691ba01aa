/**
 * The typed event model of workflow histories: events, envelopes, payloads,
 * the versioned codec and status projections.
 */
export { decodeEvent, EVENT_FORMAT_VERSION, encodeEvent, eventFormatVersion } from "./codec.ts";
export {
  EventDecodeError,
  type EventDecodeReason,
  InvalidEventError,
  PayloadError,
  type PayloadErrorReason,
} from "./errors.ts";
export type * from "./event.ts";
export {
  decodePayload,
  isJsonContentType,
  JSON_CONTENT_TYPE,
  jsonPayload,
  type Payload,
  payload,
  payloadEquals,
} from "./payload.ts";
export {
  advanceRun,
  projectRuns,
  projectStatus,
  type RunSummary,
  startRun,
} from "./projection.ts";
export {
  EVENT_KINDS,
  EVENT_SCHEMA,
  type EventSchema,
  type FieldTag,
  forEachPayload,
  isEventKind,
  validateEvent,
} from "./schema.ts";
export {
  isTerminalStatus,
  isWorkflowStatus,
  LIFECYCLE_KINDS,
  terminalStatusOf,
  WORKFLOW_STATUSES,
  type WorkflowStatus,
} from "./status.ts";
