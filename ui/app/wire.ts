/**
 * The JSON shapes the console reads from the server (`/v1` and
 * `/ui/api/workflows`), typed once so every view agrees on them. Only the
 * fields the console uses are named; the server may send more.
 */

/** A workflow's status as the API spells it. */
export type WorkflowStatus =
  | "Running"
  | "Completed"
  | "Failed"
  | "Cancelled"
  | "TimedOut"
  | "ContinuedAsNew";

/** Every status, in the order the console lists them. */
export const STATUSES: readonly WorkflowStatus[] = [
  "Running",
  "Completed",
  "Failed",
  "Cancelled",
  "TimedOut",
  "ContinuedAsNew",
];

/** A search attribute's value. */
export type AttributeValue = string | number | boolean;

/** A workflow's visibility record (`GET /v1/workflows/:id`, list rows). */
export interface Summary {
  readonly workflowId: string;
  readonly namespace: string;
  readonly workflowType: string;
  readonly runId: string;
  readonly status: WorkflowStatus;
  /** Epoch ms of the latest run's start. */
  readonly startTime: number;
  readonly closeTime: number | null;
  readonly searchAttributes: Readonly<Record<string, AttributeValue>>;
  readonly headSeq: number;
  readonly runCount: number;
  readonly resident?: boolean;
}

/** One page of the list (`GET /ui/api/workflows`). */
export interface WorkflowPage {
  readonly workflows: readonly Summary[];
  readonly total: number;
  readonly counts: Readonly<Record<WorkflowStatus, number>>;
  readonly limit: number;
  /** Token of the next (older) page; null on the last. */
  readonly next: string | null;
  /** Token of the previous (newer) page; null on the newest. */
  readonly prev: string | null;
}

/** A history event: `{seq, recordedAt, kind, ...fields}` with payloads decoded. */
export interface HistoryEvent {
  readonly seq: number;
  readonly recordedAt: number;
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** A failure as recorded: a message and optional structured details. */
export interface RecordedError {
  readonly message: string;
  readonly details: unknown;
}

/** A deployed package version (`GET /v1/packages`). */
export interface PackageVersion {
  readonly workflowType: string;
  readonly version: string;
  readonly current: boolean;
  readonly internal?: boolean;
  readonly storedAt: number;
}

/** What the token may do (`GET /v1/whoami`). */
export interface WhoAmI {
  readonly subject: string;
  readonly namespaces: "*" | readonly string[];
  readonly deploy: boolean;
}
