/**
 * The shapes the client returns: the original API's Summary and Event, as
 * plain data (the same JSON the server sends; see engine/http/original/wire.ts).
 */

/** Workflow statuses of the original API. */
export type Status =
  | "Running"
  | "Completed"
  | "Failed"
  | "Cancelled"
  | "TimedOut"
  | "ContinuedAsNew"
  | "Paused";

/** A workflow as listed and described (no run id). */
export interface Summary {
  readonly workflow_id: string;
  readonly workflow_type: string;
  readonly status: Status;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly parent: string | null;
  readonly failed_step?: string;
  readonly failure_reason?: string;
}

/** One history event: `type` is its variant, `data.envelope.seq` its position. */
export interface HistoryEvent {
  readonly type: string;
  readonly data: {
    readonly envelope: {
      readonly seq: number;
      readonly recorded_at: string;
      readonly workflow_id: string;
    };
    readonly [field: string]: unknown;
  };
}

/** A started workflow. */
export interface WorkflowHandle {
  readonly workflowId: string;
  readonly runId: string;
}

/** Filter of `list` (all optional; times are RFC 3339). */
export interface ListFilter {
  readonly workflow_type?: string;
  readonly status?: Status;
  readonly started_after?: string;
  readonly started_before?: string;
  readonly closed_after?: string;
  readonly closed_before?: string;
  readonly limit?: number;
  readonly offset?: number;
}
