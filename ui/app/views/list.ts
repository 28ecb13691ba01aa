/**
 * The workflows list: filters (namespace, type, status, start-time range,
 * search attributes), the count per status, one page of rows, and paging by
 * the server's page tokens (keyset: a page deep in 100k workflows costs what
 * the first does). The filter and the page's token live in the URL
 * fragment, so a filtered page can be shared.
 */
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { formatDuration, formatTime, parseLocalTime, shortId } from "../format.ts";
import { formatRoute, type ListQuery, workflowHref } from "../route.ts";
import { STATUSES, type Summary, type WorkflowPage } from "../wire.ts";

/** Rows per page. */
export const PAGE_SIZE = 50;

function go(query: ListQuery): void {
  location.hash = formatRoute({ page: "list", query });
}

function filterForm(q: ListQuery): HTMLFormElement {
  const field = (label: string, el: HTMLElement): HTMLElement =>
    h("label", {}, h("span", {}, label), el);
  const namespace = h("input", { id: "f-namespace", value: q.namespace });
  const type = h("input", { id: "f-type", value: q.type ?? "", placeholder: "any" });
  const status = h("select", { id: "f-status" }, h("option", { value: "" }, "any"));
  for (const s of STATUSES) {
    status.append(h("option", { value: s, selected: q.status === s }, s));
  }
  const from = h("input", { id: "f-from", type: "datetime-local", value: q.from ?? "" });
  const to = h("input", { id: "f-to", type: "datetime-local", value: q.to ?? "" });
  const attrs = h("input", {
    id: "f-attrs",
    value: q.attrs.join(", "),
    placeholder: "NAME=VALUE, ...",
  });
  const form = h(
    "form",
    { class: "filters", id: "filters" },
    field("Namespace", namespace),
    field("Type", type),
    field("Status", status),
    field("Started after (UTC)", from),
    field("Started before (UTC)", to),
    field("Search attributes", attrs),
    h("button", { type: "submit", id: "f-apply" }, "Apply"),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const st = STATUSES.find((s) => s === status.value);
    go({
      namespace: namespace.value.trim() || "default",
      ...(st ? { status: st } : {}),
      ...(type.value.trim() ? { type: type.value.trim() } : {}),
      ...(from.value ? { from: from.value } : {}),
      ...(to.value ? { to: to.value } : {}),
      attrs: attrs.value
        .split(",")
        .map((a) => a.trim())
        .filter((a) => a !== ""),
      position: 0,
    });
  });
  return form;
}

function countsBar(q: ListQuery, page: WorkflowPage): HTMLElement {
  const all = STATUSES.reduce((n, s) => n + page.counts[s], 0);
  const chip = (label: string, n: number, status: ListQuery["status"]): HTMLElement => {
    const a = h(
      "a",
      {
        class: `chip${q.status === status ? " active" : ""}`,
        "data-status": status ?? "all",
        href: formatRoute({
          page: "list",
          query: {
            ...q,
            cursor: undefined,
            position: 0,
            ...(status ? { status } : { status: undefined }),
          },
        }),
      },
      `${label} `,
      h("b", {}, n),
    );
    return a;
  };
  return h(
    "div",
    { class: "counts", id: "counts" },
    chip("All", all, undefined),
    ...STATUSES.map((s) => chip(s, page.counts[s], s)),
  );
}

function row(s: Summary, now: number): HTMLElement {
  const attrs = Object.entries(s.searchAttributes)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
  return h(
    "tr",
    { class: "wf-row", "data-id": s.workflowId },
    h(
      "td",
      {},
      h(
        "a",
        { href: workflowHref(s.workflowId, s.namespace), title: s.workflowId },
        shortId(s.workflowId),
      ),
    ),
    h("td", {}, s.workflowType),
    h("td", {}, h("span", { class: `status status-${s.status}` }, s.status)),
    h("td", {}, formatTime(s.startTime)),
    h("td", {}, formatDuration((s.closeTime ?? now) - s.startTime)),
    h("td", {}, s.runCount),
    h("td", { class: "muted" }, attrs),
  );
}

function pager(q: ListQuery, page: WorkflowPage): HTMLElement {
  // The newest page is at 0 whatever the address said (the server answers
  // the newest page when fewer than a page of newer rows remain).
  const position = page.prev === null ? 0 : q.position;
  const shown = page.workflows.length;
  const first = shown === 0 ? 0 : position + 1;
  const last = position + shown;
  const prev = h(
    "button",
    { id: "page-prev", type: "button", disabled: page.prev === null },
    "← Newer",
  );
  const next = h(
    "button",
    { id: "page-next", type: "button", disabled: page.next === null },
    "Older →",
  );
  const { prev: newer, next: older } = page;
  if (newer !== null) {
    prev.addEventListener("click", () =>
      go({ ...q, cursor: newer, position: Math.max(0, position - page.limit) }),
    );
  }
  if (older !== null) {
    next.addEventListener("click", () => go({ ...q, cursor: older, position: position + shown }));
  }
  return h(
    "div",
    { class: "pager" },
    prev,
    h("span", { id: "page-info" }, `${first}–${last} of ${page.total}`),
    next,
  );
}

/** Renders the list page for `q` into `root`. */
export async function listView(root: HTMLElement, q: ListQuery): Promise<void> {
  const body = h("div", { id: "list-body" }, h("p", { class: "muted" }, "loading…"));
  replace(root, h("h1", {}, "Workflows"), filterForm(q), body);
  const from = q.from ? parseLocalTime(q.from) : undefined;
  const to = q.to ? parseLocalTime(q.to) : undefined;
  try {
    const page = await api.list({
      namespace: q.namespace,
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(from !== undefined ? { startedAfter: from } : {}),
      ...(to !== undefined ? { startedBefore: to } : {}),
      attrs: q.attrs,
      ...(q.cursor ? { cursor: q.cursor } : {}),
      limit: PAGE_SIZE,
    });
    const now = Date.now();
    const table = h(
      "table",
      { id: "workflows" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...[
            "Workflow",
            "Type",
            "Status",
            "Started (UTC)",
            "Duration",
            "Runs",
            "Search attributes",
          ].map((t) => h("th", {}, t)),
        ),
      ),
      h("tbody", {}, ...page.workflows.map((s) => row(s, now))),
    );
    replace(
      body,
      countsBar(q, page),
      page.workflows.length === 0
        ? h("p", { class: "muted", id: "empty" }, "No workflows match.")
        : table,
      pager(q, page),
    );
  } catch (e) {
    replace(body, h("p", { class: "error", id: "list-error" }, (e as Error).message));
  }
}
