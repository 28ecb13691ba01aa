/**
 * A workflow's outcome as the commands that wait for or show it (`start
 * --wait`, `result`, `describe`) get it from the API, how they wait for it,
 * and how it reads for people: the result as JSON, or the failure message
 * (Erlang reasons shown as `~tp` shows them) with its details.
 */
import { type Client, seg } from "./client.ts";
import { readableFailure } from "./erlang-text.ts";
import { cell } from "./output.ts";
import { Progress } from "./progress.ts";

/** The body of `GET /v1/workflows/:id/result` once the workflow ended. */
export interface Outcome {
  readonly status: string;
  readonly result?: unknown;
  readonly error?: { readonly message?: string; readonly details?: unknown };
  readonly reason?: string;
  readonly timeoutMs?: number;
}

/** The outcome now, without waiting; undefined while the workflow runs. */
export async function currentOutcome(client: Client, id: string): Promise<Outcome | undefined> {
  const r = await client.request("GET", `/v1/workflows/${seg(id)}/result`);
  return r.status === 200 ? (r.body as Outcome) : undefined;
}

/**
 * Waits for the outcome with long polls, showing progress on stderr (unless
 * `quiet`); undefined if `timeoutMs` passes first.
 */
export async function followOutcome(
  client: Client,
  id: string,
  timeoutMs: number | undefined,
  quiet: boolean,
): Promise<Outcome | undefined> {
  const progress = new Progress(process.stderr, quiet);
  const t0 = Date.now();
  try {
    for (;;) {
      const elapsed = Date.now() - t0;
      if (timeoutMs !== undefined && elapsed >= timeoutMs) return undefined;
      const slice = Math.min(1000, timeoutMs === undefined ? 1000 : timeoutMs - elapsed);
      progress.update(`${id}: running (${Math.floor(elapsed / 1000)}s)`);
      const r = await client.request("GET", `/v1/workflows/${seg(id)}/result?wait=${slice}`);
      if (r.status === 200) return r.body as Outcome;
    }
  } finally {
    progress.done();
  }
}

/** The failure message, readable, or `?` when there is none. */
export function failureMessage(o: Outcome): string {
  return readableFailure(o.error?.message ?? "?");
}

/** The failure's details as one line of JSON, or undefined when it has none. */
export function failureDetails(o: Outcome): string | undefined {
  const d = o.error?.details;
  return d === undefined || d === null ? undefined : cell(d);
}

/** The outcome for people: the result as JSON, or what ended the workflow. */
export function describeOutcome(o: Outcome): string {
  switch (o.status) {
    case "Completed":
      return JSON.stringify(o.result ?? null);
    case "Failed": {
      const details = failureDetails(o);
      return `failed: ${failureMessage(o)}${details === undefined ? "" : `\ndetails: ${details}`}`;
    }
    case "Cancelled":
      return `cancelled: ${o.reason ?? ""}`;
    case "TimedOut":
      return `timed out${o.timeoutMs !== undefined ? ` after ${o.timeoutMs} ms` : ""}`;
    default:
      return o.status;
  }
}
