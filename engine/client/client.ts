/**
 * A TypeScript client of the original callers' API and its event stream
 * (docs/api.md): start, signal, query, cancel, describe, list, history, and
 * subscribe as an async iterator that resumes after a dropped connection.
 * Ids are the server's UUID strings; payloads are plain JSON.
 *
 * ```ts
 * import { AionClient } from "aion-bun/client";
 * const aion = new AionClient({ url: "http://127.0.0.1:8233", token, namespace: "billing" });
 * const { workflowId } = await aion.start("order", { amount: 10 });
 * for await (const e of aion.subscribe(workflowId, { fromSeq: 1 })) console.log(e.type);
 * ```
 */
import { AionClientError, errorFromCode, errorFromWire, QueryTimeoutError } from "./errors.ts";
import { type StreamTarget, type SubscribeOptions, subscribeEvents } from "./subscribe.ts";
import type { HistoryEvent, ListFilter, Summary, WorkflowHandle } from "./types.ts";

/** How to reach a server. */
export interface ClientOptions {
  /** `http://host:port` of `aion serve` / `aion worker`. */
  readonly url: string;
  /** Bearer token (servers with tokens). */
  readonly token?: string;
  /** `x-aion-subject`: a label for a token-less server's audit lines. */
  readonly subject?: string;
  /** `x-aion-namespaces`: narrows the token's grants. */
  readonly namespaces?: readonly string[];
  /** Namespace of calls that do not name one (default `default`). */
  readonly namespace?: string;
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch;
}

/** Options of calls addressing one workflow. */
export interface TargetOptions {
  readonly namespace?: string;
  /** A specific run; absent: the latest. */
  readonly runId?: string;
}

export class AionClient {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  /** The namespace calls use unless they name another. */
  readonly namespace: string;

  constructor(private readonly options: ClientOptions) {
    this.base = options.url.replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? fetch;
    this.namespace = options.namespace ?? "default";
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json" };
    if (this.options.token !== undefined) h.authorization = `Bearer ${this.options.token}`;
    if (this.options.subject !== undefined) h["x-aion-subject"] = this.options.subject;
    if (this.options.namespaces !== undefined)
      h["x-aion-namespaces"] = this.options.namespaces.join(",");
    return h;
  }

  /** One POST; resolves with the JSON reply. @throws AionClientError */
  private async post(
    path: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, {
        method: "POST",
        headers: this.headers(),
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new AionClientError(
        "transport",
        `cannot reach ${this.base}: ${(e as Error).message}`,
        0,
      );
    }
    const text = await res.text();
    if (res.status !== 200) throw errorFromWire(res.status, text);
    return JSON.parse(text) as Record<string, unknown>;
  }

  private target(id: string, o: TargetOptions): Record<string, unknown> {
    return {
      namespace: o.namespace ?? this.namespace,
      workflow_id: id,
      ...(o.runId !== undefined ? { run_id: o.runId } : {}),
    };
  }

  /** Starts a workflow of `workflowType` with `input` (JSON). */
  async start(
    workflowType: string,
    input: unknown = null,
    o: { namespace?: string } = {},
  ): Promise<WorkflowHandle> {
    const r = await this.post("/workflows/start", {
      namespace: o.namespace ?? this.namespace,
      workflow_type: workflowType,
      input,
    });
    return { workflowId: String(r.workflow_id), runId: String(r.run_id) };
  }

  /** Sends a signal; resolves once it is recorded. */
  async signal(
    workflowId: string,
    name: string,
    payload: unknown = null,
    o: TargetOptions = {},
  ): Promise<void> {
    await this.post("/workflows/signal", {
      ...this.target(workflowId, o),
      signal_name: name,
      payload,
    });
  }

  /**
   * Queries a running workflow. `timeoutMs` is this client's own deadline
   * (the server has its own, 10 s by default).
   * @throws QueryTimeoutError, UnknownQueryError, NotRunningError, QueryFailedError, ...
   */
  async query(
    workflowId: string,
    name: string,
    o: TargetOptions & { timeoutMs?: number } = {},
  ): Promise<unknown> {
    const abort = new AbortController();
    const timer =
      o.timeoutMs === undefined ? undefined : setTimeout(() => abort.abort(), o.timeoutMs);
    try {
      const r = await this.post(
        "/workflows/query",
        { ...this.target(workflowId, o), query_name: name },
        abort.signal,
      );
      const err = r.error as { code?: unknown; message?: unknown } | undefined;
      if (err !== undefined && typeof err.code === "string") {
        throw errorFromCode(err.code, String(err.message ?? ""), 200);
      }
      return r.result;
    } catch (e) {
      if (abort.signal.aborted) {
        throw new QueryTimeoutError(
          "query_timeout",
          `query ${name} got no reply within ${o.timeoutMs} ms`,
          0,
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks a workflow to cancel; resolves once the cancellation is recorded. */
  async cancel(workflowId: string, o: TargetOptions & { reason?: string } = {}): Promise<void> {
    await this.post("/workflows/cancel", {
      ...this.target(workflowId, o),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
    });
  }

  /** The workflow's summary, and its history when asked. */
  async describe(
    workflowId: string,
    o: TargetOptions & { includeHistory?: boolean } = {},
  ): Promise<{ summary: Summary; history: HistoryEvent[] }> {
    const r = await this.post("/workflows/describe", {
      ...this.target(workflowId, o),
      include_history: o.includeHistory ?? false,
    });
    return { summary: r.summary as Summary, history: (r.history ?? []) as HistoryEvent[] };
  }

  /** The workflow's whole history. */
  async history(workflowId: string, o: TargetOptions = {}): Promise<HistoryEvent[]> {
    return (await this.describe(workflowId, { ...o, includeHistory: true })).history;
  }

  /** Workflows of the namespace matching `filter`. */
  async list(filter: ListFilter = {}, o: { namespace?: string } = {}): Promise<Summary[]> {
    const r = await this.post("/workflows/list", {
      namespace: o.namespace ?? this.namespace,
      filter,
    });
    return r.summaries as Summary[];
  }

  /** Where the stream is, with the handshake headers. */
  private streamTarget(): StreamTarget {
    const url = new URL(`${this.base}/events/stream`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const headers = this.headers();
    delete headers["content-type"];
    return { url: url.toString(), headers };
  }

  /**
   * The workflow's events as they are recorded (from `fromSeq` when given),
   * until its run ends (following continue-as-new by default). Resumes
   * without gap or duplicate after a dropped connection.
   * @throws the typed error of an error frame (NotFoundError, InvalidInputError, LaggedError, ...)
   */
  subscribe(
    workflowId: string,
    options: SubscribeOptions = {},
  ): AsyncGenerator<HistoryEvent, void, undefined> {
    return subscribeEvents(
      () => this.streamTarget(),
      options.namespace ?? this.namespace,
      workflowId,
      options,
    );
  }
}
