/**
 * The reply an owner writes for an inbox entry, and turning it back into
 * what the call would have returned or thrown had it run locally: the same
 * engine error classes with the same fields, so callers (the HTTP API, the
 * CLI) cannot tell a forwarded call from a local one.
 */
import {
  AlreadyTerminalError,
  DuplicateWorkflowError,
  EngineShutDownError,
  InvalidEngineArgumentError,
  QueryFailedError,
  QueryRejectedError,
  QueryTimeoutError,
  UnknownQueryError,
  UnknownWorkflowError,
  UnknownWorkflowTypeError,
} from "../errors.ts";

/** A reply as stored (JSON). */
export type Reply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Readonly<Record<string, unknown>> };

/** The reply for a value. */
export function okReply(value: unknown): string {
  return JSON.stringify({ ok: true, value: value ?? null });
}

/** The reply for a thrown error: its name, message and own fields. */
export function errorReply(e: unknown): string {
  const error: Record<string, unknown> =
    e instanceof Error
      ? { name: e.name, message: e.message }
      : { name: "Error", message: String(e) };
  if (e instanceof Error) {
    for (const [k, v] of Object.entries(e)) {
      if (typeof v === "string" || typeof v === "number") error[k] = v;
    }
  }
  return JSON.stringify({ ok: false, error });
}

/** An error the owner raised that has no engine class here. */
export class RemoteCallError extends Error {
  override readonly name = "RemoteCallError";
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
  }
}

const str = (v: unknown): string => (typeof v === "string" ? v : String(v ?? ""));
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));

/** The error a reply describes, as its engine class. */
export function replyError(e: Readonly<Record<string, unknown>>): Error {
  switch (e.name) {
    case "UnknownWorkflowError":
      return new UnknownWorkflowError(str(e.workflowId));
    case "UnknownWorkflowTypeError":
      return new UnknownWorkflowTypeError(str(e.workflowType));
    case "DuplicateWorkflowError":
      return new DuplicateWorkflowError(str(e.workflowId));
    case "AlreadyTerminalError":
      return new AlreadyTerminalError(str(e.workflowId), str(e.status));
    case "UnknownQueryError":
      return new UnknownQueryError(str(e.workflowId), str(e.queryName));
    case "QueryTimeoutError":
      return new QueryTimeoutError(str(e.workflowId), str(e.queryName), num(e.timeoutMs));
    case "QueryFailedError":
      return new QueryFailedError(str(e.workflowId), str(e.queryName), str(e.reason));
    case "QueryRejectedError":
      return new QueryRejectedError(str(e.workflowId), str(e.reason));
    case "EngineShutDownError":
      return new EngineShutDownError();
    case "InvalidEngineArgumentError":
      return new InvalidEngineArgumentError(
        str(e.argument),
        str(e.message).replace(`${str(e.argument)}: `, ""),
      );
    default:
      return new RemoteCallError(str(e.name), str(e.message));
  }
}

/** Parses a stored reply. */
export function parseReply(text: string): Reply {
  const v = JSON.parse(text) as Reply;
  return v;
}
