/**
 * `aion start TYPE [INPUT_JSON] [--id ID] [--wait]`: starts a workflow on the
 * routed package version (input checked against its schema) and prints its
 * id; `--wait` follows it to the end and prints the outcome.
 */

import { loadActivities } from "../cli/activities.ts";
import { dbPath, expectPositionals, intOption, jsonArg } from "../cli/args.ts";
import { type Client, connect, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { printJson } from "../cli/output.ts";
import { Progress } from "../cli/progress.ts";

const USAGE = `usage: aion start TYPE [INPUT_JSON] [--id ID] [--wait [--timeout MS] [--activities FILE.ts]]
                  [--db PATH] [--json]

Starts a workflow of TYPE with INPUT_JSON (default null) and prints its id.
Without a running worker the start is only recorded; 'aion worker' runs it.
--wait follows the workflow to its end (exit 0 completed, 1 failed/cancelled/
timed out); with no worker running, this process runs the engine meanwhile,
with the activities of --activities. --timeout bounds the wait (exit 5).`;

interface Outcome {
  status: string;
  result?: unknown;
  error?: { message: string };
  reason?: string;
}

export const command = engineCommand(
  "start",
  "start a workflow (optionally --wait for its outcome)",
  USAGE,
  { id: "value", wait: "flag", timeout: "value", activities: "value" },
  async (inv) => {
    const [type, inputText] = expectPositionals(inv, 1, 2);
    const input = jsonArg(inputText, "INPUT_JSON");
    const wait = inv.flags.has("wait");
    const timeout = intOption(inv, "timeout");
    const activitiesFile = inv.values.get("activities");
    const activities = activitiesFile ? await loadActivities(activitiesFile) : undefined;
    const client = await connect(
      dbPath(inv),
      wait ? { kind: "live", ...(activities ? { activities } : {}) } : { kind: "dormant" },
    );
    try {
      const id = inv.values.get("id");
      const started = (await client.call("POST", "/v1/workflows", {
        type,
        input,
        ...(id !== undefined ? { id } : {}),
      })) as { workflowId: string };
      if (!wait) {
        if (inv.json) printJson(started);
        else console.log(started.workflowId);
        return EXIT.ok;
      }
      const outcome = await follow(client, started.workflowId, timeout, inv.json);
      if (outcome === undefined) {
        if (inv.json) printJson({ workflowId: started.workflowId, status: "Running" });
        else console.error(`aion start: ${started.workflowId} still running after ${timeout} ms`);
        return EXIT.unavailable;
      }
      if (inv.json) printJson(outcome);
      else console.log(describeOutcome(outcome));
      return outcome.status === "Completed" ? EXIT.ok : EXIT.failed;
    } finally {
      await client.close();
    }
  },
);

/** Polls the result with long waits, showing progress; undefined on timeout. */
async function follow(
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

function describeOutcome(o: Outcome): string {
  switch (o.status) {
    case "Completed":
      return JSON.stringify(o.result ?? null);
    case "Failed":
      return `failed: ${o.error?.message ?? "?"}`;
    case "Cancelled":
      return `cancelled: ${o.reason ?? ""}`;
    default:
      return o.status;
  }
}
