/**
 * `aion start TYPE [INPUT_JSON | -] [--input-file F] [--id ID] [--wait]`:
 * starts a workflow on the routed package version (input checked against its
 * schema) and prints its id; `--wait` follows it to the end and prints the
 * outcome.
 */

import { loadActivities } from "../cli/activities.ts";
import { existingDbPath, expectPositionals, intOption } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { INPUT_FILE_OPTION, readInput } from "../cli/input.ts";
import { describeOutcome, followOutcome } from "../cli/outcome.ts";
import { printJson } from "../cli/output.ts";

const USAGE = `usage: aion start TYPE [INPUT_JSON | -] [--input-file F] [--id ID] [--namespace NS]
                  [--wait [--timeout MS] [--activities FILE.ts]] [--db PATH] [--json]

Starts a workflow of TYPE with INPUT_JSON (default null) and prints its id.
The input may come from a file (--input-file F) or from stdin ('-').
Without a running worker the start is only recorded; 'aion worker' runs it.
--wait follows the workflow to its end (exit 0 completed, 1 failed/cancelled/
timed out); with no worker running, this process runs the engine meanwhile,
with the activities of --activities. --timeout bounds the wait (exit 5).`;

export const command = engineCommand(
  "start",
  "start a workflow (optionally --wait for its outcome)",
  USAGE,
  {
    id: "value",
    wait: "flag",
    timeout: "value",
    activities: "value",
    ...INPUT_FILE_OPTION,
    ...NAMESPACE_OPTION,
  },
  async (inv) => {
    const [type, inputText] = expectPositionals(inv, 1, 2, ["TYPE", "INPUT_JSON"]);
    const wait = inv.flags.has("wait");
    const timeout = intOption(inv, "timeout");
    const db = existingDbPath(inv);
    const input = await readInput(inv, inputText, "INPUT_JSON");
    const activitiesFile = inv.values.get("activities");
    const activities = activitiesFile ? await loadActivities(activitiesFile) : undefined;
    const client = await connect(
      db,
      wait ? { kind: "live", ...(activities ? { activities } : {}) } : { kind: "dormant" },
      scopeOf(inv),
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
      const outcome = await followOutcome(client, started.workflowId, timeout, inv.json);
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
