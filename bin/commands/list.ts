/** `aion list [--status S] [--type T] [--limit N]`: workflows, oldest first. */
import { existingDbPath, expectPositionals, intOption } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { formatTime, printJson, table } from "../cli/output.ts";

const USAGE = `usage: aion list [--status S] [--type T] [--limit N] [--namespace NS] [--db PATH] [--json]

Lists workflows by start time. S is one of Running, Completed, Failed,
Cancelled, TimedOut, ContinuedAsNew (any case).`;

interface Row {
  workflowId: string;
  workflowType: string;
  status: string;
  startTime: number;
  closeTime: number | null;
  runCount: number;
}

export const command = engineCommand(
  "list",
  "list workflows (filter by status and type)",
  USAGE,
  { status: "value", type: "value", limit: "value", ...NAMESPACE_OPTION },
  async (inv) => {
    expectPositionals(inv, 0, 0);
    const q = new URLSearchParams();
    const status = inv.values.get("status");
    const type = inv.values.get("type");
    const limit = intOption(inv, "limit");
    if (status) q.set("status", status);
    if (type) q.set("type", type);
    if (limit !== undefined) q.set("limit", String(limit));
    const client = await connect(existingDbPath(inv), { kind: "dormant" }, scopeOf(inv));
    try {
      const { workflows } = (await client.call("GET", `/v1/workflows?${q}`)) as {
        workflows: Row[];
      };
      if (inv.json) printJson(workflows);
      else if (workflows.length === 0) console.log("no workflows");
      else {
        console.log(
          table(
            ["WORKFLOW ID", "TYPE", "STATUS", "STARTED", "CLOSED", "RUNS"],
            workflows.map((w) => [
              w.workflowId,
              w.workflowType,
              w.status,
              formatTime(w.startTime),
              formatTime(w.closeTime),
              String(w.runCount),
            ]),
          ),
        );
      }
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
