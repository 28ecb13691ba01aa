/**
 * A workflow's page: summary, input, result or error (with details), the
 * actions, the grouped timeline and the raw history. While the workflow
 * runs, the event stream pushes each new event (or, for ids the stream
 * cannot carry, a long poll of the history returns it) and the page reloads
 * the describe and history behind it (the feed says *that* something
 * happened; the `/v1` shapes say *what*), so the page is always one
 * consistent read of the store.
 */
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { formatDuration, formatJson, formatTime } from "../format.ts";
import { pollWorkflow } from "../poll.ts";
import { formatRoute } from "../route.ts";
import { followWorkflow, streamable } from "../stream.ts";
import { buildTimeline, type EndItem } from "../timeline.ts";
import type { HistoryEvent, Summary } from "../wire.ts";
import { actionsPanel } from "./actions.ts";
import { timelineView } from "./timeline-view.ts";

function summaryView(s: Summary, history: readonly HistoryEvent[], now: number): HTMLElement {
  const items = buildTimeline(history);
  const runs = items.filter((i) => i.type === "run");
  const input = runs[runs.length - 1]?.input;
  const end = items.filter((i): i is EndItem => i.type === "end").pop();
  const ended = s.status !== "Running" ? end : undefined;
  const dl = h("dl", { class: "summary" });
  const row = (k: string, v: string | HTMLElement, id?: string): void => {
    dl.append(h("dt", {}, k), h("dd", id ? { id } : {}, v));
  };
  row("Workflow", s.workflowId);
  row("Namespace", s.namespace);
  row("Type", s.workflowType);
  row("Status", h("span", { class: `status status-${s.status}`, id: "wf-status" }, s.status));
  row("Run", `${s.runId} (${s.runCount} run${s.runCount === 1 ? "" : "s"} in the chain)`);
  row("Started", formatTime(s.startTime));
  row("Closed", s.closeTime === null ? "running" : formatTime(s.closeTime));
  row("Duration", formatDuration((s.closeTime ?? now) - s.startTime));
  row("Events", String(s.headSeq), "wf-head");
  const attrs = Object.entries(s.searchAttributes);
  if (attrs.length > 0)
    row("Search attributes", attrs.map(([k, v]) => `${k}=${String(v)}`).join(", "));
  return h(
    "section",
    { id: "summary" },
    dl,
    h("h3", {}, "Input"),
    h("pre", { class: "json", id: "wf-input" }, formatJson(input)),
    ended?.result !== undefined
      ? h(
          "div",
          {},
          h("h3", {}, "Result"),
          h("pre", { class: "json ok", id: "wf-result" }, formatJson(ended.result)),
        )
      : null,
    ended?.error !== undefined
      ? h(
          "div",
          { id: "wf-error" },
          h("h3", {}, "Error"),
          h("div", { class: "error" }, ended.error.message),
          h("pre", { class: "json" }, formatJson(ended.error.details)),
        )
      : null,
    ended?.reason !== undefined
      ? h("div", { id: "wf-reason" }, h("h3", {}, "Reason"), ended.reason || "(none)")
      : null,
  );
}

/** Renders workflow `id` into `root`; returns the function that stops its live updates. */
export function workflowView(root: HTMLElement, id: string, namespace: string): () => void {
  const live = h("span", { id: "live", class: "muted" });
  const summary = h("div", {}, h("p", { class: "muted" }, "loading…"));
  const timeline = h("div", {});
  const raw = h("pre", { class: "json", id: "raw-history" });
  const actions = h("div", {});
  let stop: (() => void) | undefined;
  let closed = false;
  let seen = 0;
  let loading: Promise<void> | undefined;
  let again = false;

  const load = async (): Promise<void> => {
    const [s, history] = await Promise.all([
      api.describe(id, namespace),
      api.history(id, namespace),
    ]);
    if (closed) return;
    replace(summary, summaryView(s, history, Date.now()));
    replace(timeline, timelineView(buildTimeline(history), namespace));
    replace(raw, formatJson(history));
    const running = s.status === "Running";
    if (actions.childElementCount === 0 || !running) {
      replace(actions, actionsPanel(id, namespace, running, refresh));
    }
    seen = Math.max(seen, s.headSeq);
    if (running && stop === undefined) startLive();
    if (!running) {
      stop?.();
      replace(live, `ended: ${s.status}`);
    }
  };
  // Coalesces bursts of events into one reload at a time.
  const refresh = (): void => {
    if (loading) {
      again = true;
      return;
    }
    loading = load()
      .catch((e: unknown) =>
        replace(summary, h("p", { class: "error", id: "wf-load-error" }, (e as Error).message)),
      )
      .finally(() => {
        loading = undefined;
        if (again && !closed) {
          again = false;
          refresh();
        }
      });
  };
  const startLive = (): void => {
    // Non-UUID ids cannot ride the stream; polling the history gives the same updates.
    const byStream = streamable(id);
    replace(live, byStream ? "● live" : "● live (polling)");
    live.className = "live";
    stop = (byStream ? followWorkflow : pollWorkflow)(
      id,
      namespace,
      seen + 1,
      (e) => {
        if (e.seq > seen) refresh();
      },
      (end) => {
        live.className = "muted";
        replace(live, end.complete ? "ended" : `live updates stopped: ${end.message}`);
        refresh();
      },
    );
  };

  replace(
    root,
    h(
      "p",
      {},
      h(
        "a",
        { href: formatRoute({ page: "list", query: { namespace, attrs: [], position: 0 } }) },
        "← workflows",
      ),
    ),
    h("h1", {}, "Workflow ", h("code", {}, id), " ", live),
    summary,
    actions,
    h("section", {}, h("h2", {}, "Timeline"), timeline),
    h("section", {}, h("details", { id: "raw" }, h("summary", {}, "Raw history"), raw)),
  );
  refresh();
  return () => {
    closed = true;
    stop?.();
  };
}
