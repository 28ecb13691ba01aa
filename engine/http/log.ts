/**
 * Logs of a server: the engine's diagnostics, workflow lifecycle events and
 * one line per HTTP request, as plain text (the default) or as JSON lines
 * (`--log-format json`) with `ts`, `level`, `event`, and `workflow_id` /
 * `run_id` where known. The writer and the clock are passed in, so tests
 * capture lines and the engine stays free of I/O.
 */
import type { Engine } from "../engine.ts";
import type { EventEnvelope } from "../events/index.ts";

export type LogFormat = "text" | "json";
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields of a structured line besides ts/level/event. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Writes log lines. */
export interface ServerLogger {
  readonly format: LogFormat;
  log(level: LogLevel, event: string, message: string, fields?: LogFields): void;
}

/** A logger writing whole lines (each ending in a newline) to `write`. */
export function createLogger(
  format: LogFormat,
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => number = () => Date.now(),
): ServerLogger {
  return {
    format,
    log(level, event, message, fields = {}) {
      if (format === "json") {
        const o: Record<string, unknown> = {
          ts: new Date(now()).toISOString(),
          level,
          event,
          msg: message,
        };
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) o[k] = v;
        write(`${JSON.stringify(o)}\n`);
        return;
      }
      const extra = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      write(`${message}${extra ? ` ${extra}` : ""}\n`);
    },
  };
}

/** A UUID anywhere in a diagnostic (the engine names workflows by id). */
const UUID_IN_TEXT = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;

/**
 * The engine's `log` option for a logger: each diagnostic becomes one line
 * (level `warn`, or `error` for crash reports), with the first workflow id
 * it names. Multi-line reports stay one JSON line.
 */
export function engineLogSink(logger: ServerLogger): (text: string) => void {
  return (text) => {
    const message = text.replace(/\n+$/, "");
    if (message === "") return;
    if (logger.format === "text") {
      logger.log("warn", "engine.diagnostic", message);
      return;
    }
    const level = /crash|error|fail|killed/i.test(message) ? "error" : "warn";
    const id = UUID_IN_TEXT.exec(message)?.[0];
    logger.log(level, "engine.diagnostic", message, { workflow_id: id });
  };
}

const LIFECYCLE: Readonly<Record<string, { event: string; level: LogLevel }>> = {
  WorkflowStarted: { event: "workflow.started", level: "info" },
  WorkflowCompleted: { event: "workflow.completed", level: "info" },
  WorkflowFailed: { event: "workflow.failed", level: "warn" },
  WorkflowCancelled: { event: "workflow.cancelled", level: "info" },
  WorkflowTimedOut: { event: "workflow.timed_out", level: "warn" },
  WorkflowContinuedAsNew: { event: "workflow.continued_as_new", level: "info" },
  ActivityFailed: { event: "activity.failed", level: "warn" },
};

/**
 * Logs this engine's workflow lifecycle events (starts, ends, activity
 * failures) with their workflow and run ids. JSON format only: the text
 * format keeps the quiet output it always had. Returns the detach function.
 */
export function logLifecycle(engine: Engine, logger: ServerLogger): () => void {
  if (logger.format !== "json") return () => {};
  const runs = new Map<string, string>();
  return engine.onAppended((workflowId: string, envelopes: readonly EventEnvelope[]) => {
    for (const { event, seq } of envelopes) {
      if (event.kind === "WorkflowStarted") {
        if (runs.size > 100_000) runs.clear();
        runs.set(workflowId, event.runId);
      }
      const what = LIFECYCLE[event.kind];
      if (what === undefined) continue;
      const fields: Record<string, string | number | undefined> = {
        workflow_id: workflowId,
        run_id: event.kind === "WorkflowStarted" ? event.runId : runs.get(workflowId),
        seq,
      };
      if (event.kind === "WorkflowStarted") fields.workflow_type = event.workflowType;
      if (event.kind === "WorkflowFailed") fields.error = event.error.message;
      if (event.kind === "ActivityFailed") {
        fields.activity_id = event.activityId;
        fields.error = event.error.message;
      }
      logger.log(what.level, what.event, `${event.kind} ${workflowId}`, fields);
      if (event.kind !== "WorkflowStarted" && event.kind !== "ActivityFailed")
        runs.delete(workflowId);
    }
  });
}

/** One request line: method, path, status, duration and the caller's subject. */
export function logRequest(
  logger: ServerLogger,
  r: {
    method: string;
    path: string;
    status: number;
    durationMs: number;
    subject: string | undefined;
  },
): void {
  const level: LogLevel = r.status >= 500 ? "error" : r.status >= 400 ? "warn" : "info";
  const ms = Math.round(r.durationMs * 10) / 10;
  logger.log(
    level,
    "http.request",
    logger.format === "json"
      ? `${r.method} ${r.path} ${r.status}`
      : `${r.method} ${r.path} ${r.status} ${ms}ms`,
    logger.format === "json"
      ? {
          method: r.method,
          path: r.path,
          status: r.status,
          duration_ms: ms,
          subject: r.subject ?? null,
        }
      : { subject: r.subject },
  );
}
