/** `aion describe ID`: the visibility record of a workflow, and its outcome once it ended. */
import { existingDbPath, expectPositionals } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { currentOutcome, failureDetails, failureMessage } from "../cli/outcome.ts";
import { cell, formatTime, keyValues, printJson } from "../cli/output.ts";

const USAGE = `usage: aion describe ID [--namespace NS] [--db PATH] [--json]

Shows workflow ID: type, status, run id, times, search attributes and, once
it ended, its result or error.`;

interface Summary {
  workflowId: string;
  workflowType: string;
  runId: string;
  status: string;
  startTime: number;
  closeTime: number | null;
  searchAttributes: Record<string, unknown>;
  headSeq: number;
  runCount: number;
}

export const command = engineCommand(
  "describe",
  "show a workflow's status and outcome",
  USAGE,
  NAMESPACE_OPTION,
  async (inv) => {
    const [id] = expectPositionals(inv, 1, 1, ["ID"]);
    const client = await connect(existingDbPath(inv), { kind: "dormant" }, scopeOf(inv));
    try {
      const d = (await client.call("GET", `/v1/workflows/${seg(id!)}`)) as Summary;
      const outcome = await currentOutcome(client, id!);
      if (inv.json) {
        printJson({ ...d, ...(outcome ? { outcome } : {}) });
        return EXIT.ok;
      }
      const pairs: [string, string][] = [
        ["workflow", d.workflowId],
        ["type", d.workflowType],
        ["status", d.status],
        ["run", `${d.runId}${d.runCount > 1 ? ` (run ${d.runCount})` : ""}`],
        ["started", formatTime(d.startTime)],
        ["closed", formatTime(d.closeTime)],
        ["events", String(d.headSeq)],
      ];
      for (const [k, v] of Object.entries(d.searchAttributes)) pairs.push([`attr ${k}`, cell(v)]);
      if (outcome?.status === "Completed") pairs.push(["result", cell(outcome.result)]);
      if (outcome?.status === "Failed") {
        pairs.push(["error", failureMessage(outcome)]);
        const details = failureDetails(outcome);
        if (details !== undefined) pairs.push(["details", details]);
      }
      if (outcome?.status === "Cancelled") pairs.push(["reason", cell(outcome.reason)]);
      if (outcome?.status === "TimedOut") pairs.push(["timeout", `${outcome.timeoutMs} ms`]);
      console.log(keyValues(pairs));
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
