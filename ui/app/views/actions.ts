/**
 * Steering a workflow: send a signal (JSON editor), run a query (shows the
 * reply), cancel or terminate. Each change asks for confirmation first; all
 * go through the `/v1` API with the tab's token, so the API's rules decide.
 */
import { api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { formatJson, parseJsonInput } from "../format.ts";
import { confirmThen } from "./confirm.ts";

/** A query the console ran, shown under the actions (queries are not in the history). */
export interface QueryRecord {
  readonly name: string;
  readonly at: number;
  readonly reply: string;
  readonly ok: boolean;
}

function editor(id: string, placeholder: string): HTMLTextAreaElement {
  return h("textarea", { id, rows: "4", spellcheck: "false", placeholder, class: "json-editor" });
}

/** Builds the actions panel of workflow `id`; `changed` runs after a successful change. */
export function actionsPanel(
  id: string,
  namespace: string,
  running: boolean,
  changed: () => void,
): HTMLElement {
  const slot = h("div", { class: "confirm-slot", id: "confirm-slot" });

  const signalName = h("input", { id: "signal-name", placeholder: "signal name" });
  const signalBody = editor("signal-payload", '{"by": "alice", "approved": true}');
  const signalError = h("div", { class: "error", id: "signal-error" });
  const signalBtn = h(
    "button",
    { id: "signal-send", type: "button", disabled: !running },
    "Send signal…",
  );
  signalBtn.addEventListener("click", () => {
    const name = signalName.value.trim();
    const parsed = parseJsonInput(signalBody.value);
    replace(signalError);
    if (name === "") return replace(signalError, "give the signal a name");
    if (!parsed.ok) return replace(signalError, parsed.error);
    confirmThen(
      slot,
      `Send signal "${name}" with ${JSON.stringify(parsed.value)} to ${id}?`,
      async () => {
        await api.signal(id, namespace, name, parsed.value);
        changed();
      },
    );
  });

  const queryName = h("input", { id: "query-name", placeholder: "query name" });
  const queryBody = editor("query-payload", "argument (JSON, optional)");
  const queryReply = h("pre", { class: "json", id: "query-reply" });
  const queryBtn = h("button", { id: "query-run", type: "button" }, "Run query");
  queryBtn.addEventListener("click", async () => {
    const name = queryName.value.trim();
    const parsed = parseJsonInput(queryBody.value);
    if (name === "") return replace(queryReply, "give the query a name");
    if (!parsed.ok) return replace(queryReply, parsed.error);
    queryReply.className = "json";
    replace(queryReply, "…");
    try {
      replace(queryReply, formatJson(await api.query(id, namespace, name, parsed.value)));
      queryReply.className = "json ok";
    } catch (e) {
      replace(queryReply, (e as Error).message);
      queryReply.className = "json error";
    }
  });

  const reason = h("input", { id: "end-reason", placeholder: "reason (optional)" });
  const endButton = (action: "cancel" | "terminate", label: string): HTMLButtonElement => {
    const b = h(
      "button",
      { id: `${action}-btn`, type: "button", class: "danger", disabled: !running },
      label,
    );
    b.addEventListener("click", () =>
      confirmThen(
        slot,
        action === "cancel"
          ? `Cancel ${id}? It ends as Cancelled, and its running children too.`
          : `Terminate ${id}? It stops at once, without running any cleanup.`,
        async () => {
          await api.end(id, namespace, action, reason.value.trim());
          changed();
        },
      ),
    );
    return b;
  };

  return h(
    "section",
    { class: "actions", id: "actions" },
    h("h2", {}, "Actions"),
    h(
      "div",
      { class: "action" },
      h("h3", {}, "Signal"),
      signalName,
      signalBody,
      signalBtn,
      signalError,
    ),
    h("div", { class: "action" }, h("h3", {}, "Query"), queryName, queryBody, queryBtn, queryReply),
    h(
      "div",
      { class: "action" },
      h("h3", {}, "End"),
      reason,
      endButton("cancel", "Cancel…"),
      endButton("terminate", "Terminate…"),
    ),
    slot,
  );
}
