/**
 * The query protocol's natives: `register_query/2`, `reply_query/2`,
 * `reply_query_error/2`, `dispatch_query/2`. None records anything.
 */
import { type NativeFn, SUSPEND } from "../../vm/index.ts";
import { EngineError } from "../errors.ts";
import { runQuery } from "../host/queries.ts";
import { errorTerm, okTerm, textOf } from "../terms.ts";
import { enter, type NativeEnv } from "./context.ts";

function parseConfig(text: string): { target?: string; payload: string } {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const payload = typeof v.payload === "string" ? v.payload : JSON.stringify(v.payload ?? null);
    return typeof v.target_workflow_id === "string"
      ? { target: v.target_workflow_id, payload }
      : { payload };
  } catch {
    return { payload: "null" };
  }
}

export function queryNatives(env: NativeEnv): Record<string, NativeFn> {
  const core = env.core;
  const reply = (
    p: Parameters<NativeFn>[0],
    native: string,
    idT: Parameters<NativeFn>[1],
    ok: boolean,
    bodyT: Parameters<NativeFn>[1],
  ) => {
    const e = enter(env, p, native, "plain");
    if (e.result !== undefined) return e.result;
    const run = e.run;
    // Any reply lifts the servicing guard, even a late one.
    run.servicing = null;
    const queryId = textOf(idT) ?? "";
    const body = textOf(bodyT) ?? "";
    const q = run.answering.get(queryId);
    if (q === undefined) return errorTerm(`unknown_query_id:${queryId}`);
    run.answering.delete(queryId);
    q.settle(ok ? { ok: true, text: body } : { ok: false, reason: `handler_failed:${body}` });
    return okTerm("replied");
  };
  return {
    "register_query/2": (p, nameT) => {
      const e = enter(env, p, "register_query", "plain");
      if (e.result !== undefined) return e.result;
      const name = textOf(nameT);
      if (name === undefined) return errorTerm("invalid query name");
      e.run.queryNames.add(name);
      return okTerm("registered");
    },
    "reply_query/2": (p, id, payload) => reply(p, "reply_query", id, true, payload),
    "reply_query_error/2": (p, id, message) => reply(p, "reply_query_error", id, false, message),
    "dispatch_query/2": (p, nameT, configT) => {
      const e = enter(env, p, "dispatch_query", "plain");
      if (e.result !== undefined) return e.result;
      const run = e.run;
      if (run.servicing !== null) return errorTerm("query_servicing:dispatch_query");
      if (run.replaying)
        return errorTerm(
          `replay_nondeterministic:dispatch_query before ${run.nextRecordedCommand()}`,
        );
      const timeoutMs = core.queryTimeoutMs;
      if (timeoutMs === undefined) return errorTerm("query_timeout_not_configured");
      const name = textOf(nameT) ?? "";
      const config = parseConfig(textOf(configT) ?? "");
      if (config.target === undefined)
        return errorTerm("dispatch_query: config needs target_workflow_id");
      const task = runQuery(core, config.target, name, config.payload, timeoutMs).then(
        (text) => core.vm.resume(p, okTerm(text)),
        (err: unknown) => core.vm.resume(p, errorTerm(queryErrorText(err, name))),
      );
      core.track(task, "dispatch_query");
      return SUSPEND;
    },
  };
}

function queryErrorText(err: unknown, name: string): string {
  if (!(err instanceof EngineError)) return `handler_failed:${String(err)}`;
  switch (err.code) {
    case "unknown-query":
      return `unknown:${name}`;
    case "query-failed":
      return `handler_failed:${(err as { reason?: string }).reason ?? err.message}`;
    case "query-timeout":
      return `timeout:${err.message}`;
    default:
      return `rejected:${err.message}`;
  }
}
