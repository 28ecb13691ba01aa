/**
 * `aion result ID [--wait [--timeout MS] [--activities FILE.ts]]`: prints how
 * workflow ID ended (the result as JSON, or the failure), or that it is still
 * running; `--wait` waits for the end first.
 */
import { loadActivities } from "../cli/activities.ts";
import { existingDbPath, expectPositionals, intOption } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { currentOutcome, describeOutcome, followOutcome } from "../cli/outcome.ts";
import { printJson } from "../cli/output.ts";

const USAGE = `usage: aion result ID [--wait [--timeout MS] [--activities FILE.ts]] [--namespace NS]
                   [--db PATH] [--json]

Prints the outcome of workflow ID: its result as JSON (exit 0), or how it
failed, was cancelled or timed out (exit 1). A workflow still running is
reported as running (exit 5). --wait waits for the end first; with no worker
running, this process runs the engine meanwhile, with the activities of
--activities. --timeout bounds the wait (exit 5).`;

export const command = engineCommand(
  "result",
  "print a workflow's result (optionally --wait for it)",
  USAGE,
  { wait: "flag", timeout: "value", activities: "value", ...NAMESPACE_OPTION },
  async (inv) => {
    const [id] = expectPositionals(inv, 1, 1, ["ID"]);
    const wait = inv.flags.has("wait");
    const timeout = intOption(inv, "timeout");
    const db = existingDbPath(inv);
    const activitiesFile = inv.values.get("activities");
    const activities = activitiesFile ? await loadActivities(activitiesFile) : undefined;
    const client = await connect(
      db,
      wait
        ? { kind: "live", resume: id!, ...(activities ? { activities } : {}) }
        : { kind: "dormant" },
      scopeOf(inv),
    );
    try {
      await client.call("GET", `/v1/workflows/${seg(id!)}`); // unknown id: exit 1
      const outcome = wait
        ? await followOutcome(client, id!, timeout, inv.json)
        : await currentOutcome(client, id!);
      if (outcome === undefined) {
        if (inv.json) printJson({ workflowId: id, status: "Running" });
        else console.log(`running${wait ? ` (still, after ${timeout} ms)` : ""}`);
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
