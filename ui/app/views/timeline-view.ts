/**
 * Draws the grouped timeline (timeline.ts): one section per run with links
 * between the runs of a continue-as-new chain, and a row per activity (with
 * its attempts), timer, signal, child (linked to its page) and ending.
 */
import { type Child, h } from "../dom.ts";
import { formatDuration, formatJson, formatTime, jsonPreview } from "../format.ts";
import { workflowHref } from "../route.ts";
import type { ActivityItem, TimelineItem } from "../timeline.ts";

/** A link that scrolls to run `n` of the chain (not a route: the fragment is the page's address). */
function runLink(n: number, label: string, cls: string): HTMLElement {
  return h(
    "a",
    {
      href: "#",
      class: cls,
      onClick: (ev) => {
        ev.preventDefault();
        document.getElementById(`run-${n}`)?.scrollIntoView();
      },
    },
    label,
  );
}

function details(label: string, value: unknown): HTMLElement {
  return h(
    "details",
    {},
    h("summary", {}, `${label}: ${jsonPreview(value, 60)}`),
    h("pre", { class: "json" }, formatJson(value)),
  );
}

function errorBlock(error: { message: string; details: unknown } | undefined): Child {
  if (error === undefined) return null;
  return h(
    "div",
    { class: "error-box" },
    h("div", { class: "error" }, error.message),
    error.details !== null && error.details !== undefined
      ? details("details", error.details)
      : null,
  );
}

function attempts(a: ActivityItem): HTMLElement {
  return h(
    "ol",
    { class: "attempts" },
    ...a.attempts.map((t) =>
      h(
        "li",
        { class: `attempt attempt-${t.outcome}` },
        `attempt ${t.attempt}: ${t.outcome}, started ${formatTime(t.startedAt)}`,
        t.endedAt !== undefined ? `, ${formatDuration(t.endedAt - t.startedAt)}` : "",
      ),
    ),
  );
}

function itemRow(it: TimelineItem, namespace: string, runCount: number): HTMLElement {
  const li = (kind: string, state: string, ...children: Child[]): HTMLElement =>
    h(
      "li",
      { class: `tl-item tl-${kind} state-${state}`, "data-seq": String(it.seq) },
      h("span", { class: "tl-time" }, formatTime(it.at)),
      ...children,
    );
  switch (it.type) {
    case "run":
      return h(
        "li",
        { class: "tl-run", id: `run-${it.runNumber}`, "data-seq": String(it.seq) },
        h("h3", {}, `Run ${it.runNumber} of ${runCount} · ${it.workflowType}`),
        h(
          "nav",
          { class: "run-nav" },
          it.runNumber > 1 ? runLink(it.runNumber - 1, "← previous run", "run-prev") : null,
          it.runNumber < runCount ? runLink(it.runNumber + 1, "next run →", "run-next") : null,
        ),
        h("div", { class: "muted" }, `run ${it.runId} · started ${formatTime(it.at)}`),
        details("input", it.input),
      );
    case "activity":
      return li(
        "activity",
        it.state,
        h("b", {}, `Activity ${it.activityType}`),
        ` (${it.activityId}) · ${it.state}`,
        it.durationMs !== undefined ? ` · ${formatDuration(it.durationMs)}` : "",
        ` · ${it.attempts.length} attempt(s)`,
        attempts(it),
        details("input", it.input),
        it.result !== undefined ? details("result", it.result) : null,
        errorBlock(it.error),
        it.reason !== undefined ? h("div", {}, `reason: ${it.reason}`) : null,
      );
    case "timer":
      return li(
        "timer",
        it.state,
        h("b", {}, `Timer ${it.timerId}`),
        ` · fires ${formatTime(it.fireAt)} (after ${formatDuration(it.fireAt - it.at)}) · ${it.state === "unfired" ? "never fired (the run ended first)" : it.state}`,
        it.endedAt !== undefined ? ` at ${formatTime(it.endedAt)}` : "",
      );
    case "signal":
      return li(
        "signal",
        "completed",
        h(
          "b",
          { class: "signal-name" },
          it.target !== undefined ? `Signal sent ${it.name}` : `Signal ${it.name}`,
        ),
        it.target !== undefined
          ? h("span", {}, " to ", h("a", { href: workflowHref(it.target, namespace) }, it.target))
          : null,
        h("pre", { class: "json inline" }, jsonPreview(it.payload, 200)),
      );
    case "child":
      return li(
        "child",
        it.state,
        h("b", {}, `Child ${it.workflowType} `),
        h(
          "a",
          { class: "child-link", href: workflowHref(it.childWorkflowId, namespace) },
          it.childWorkflowId,
        ),
        ` · ${it.state}`,
        it.endedAt !== undefined ? ` · ${formatDuration(it.endedAt - it.at)}` : "",
        details("input", it.input),
        it.result !== undefined ? details("result", it.result) : null,
        errorBlock(it.error),
      );
    case "end":
      return li(
        "end",
        it.kind,
        h("b", {}, it.kind),
        it.reason !== undefined ? ` · reason: ${it.reason || "(none)"}` : "",
        it.timeoutMs !== undefined ? ` · after ${formatDuration(it.timeoutMs)}` : "",
        it.result !== undefined ? details("result", it.result) : null,
        errorBlock(it.error),
        it.nextInput !== undefined ? details("next run's input", it.nextInput) : null,
        it.kind === "WorkflowContinuedAsNew"
          ? runLink(it.runNumber + 1, "continued as new →", "run-next")
          : null,
      );
    case "other":
      return li("other", "completed", h("b", {}, it.event.kind), " ", jsonPreview(it.event, 160));
  }
}

/** The timeline as a list; `runCount` sizes the run navigation. */
export function timelineView(items: readonly TimelineItem[], namespace: string): HTMLElement {
  const runCount = items.filter((i) => i.type === "run").length;
  return h(
    "ol",
    { class: "timeline", id: "timeline" },
    ...items.map((i) => itemRow(i, namespace, runCount)),
  );
}
