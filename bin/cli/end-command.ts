/** The shared body of `aion cancel` and `aion terminate`. */
import type { Command } from "../command.ts";
import { existingDbPath, expectPositionals } from "./args.ts";
import { connect, NAMESPACE_OPTION, scopeOf, seg } from "./client.ts";
import { engineCommand } from "./command.ts";
import { EXIT } from "./exit-codes.ts";
import { printJson } from "./output.ts";

/** A command ending workflow ID with an optional REASON. */
export function endCommand(
  action: "cancel" | "terminate",
  summary: string,
  explain: string,
): Command {
  const usage = `usage: aion ${action} ID [REASON] [--namespace NS] [--db PATH] [--json]\n\n${explain}`;
  return engineCommand(action, summary, usage, NAMESPACE_OPTION, async (inv) => {
    const [id, reason] = expectPositionals(inv, 1, 2, ["ID"]);
    const client = await connect(existingDbPath(inv), { kind: "dormant" }, scopeOf(inv));
    try {
      const r = await client.call(
        "POST",
        `/v1/workflows/${seg(id!)}/${action}`,
        reason ? { reason } : {},
      );
      if (inv.json) printJson(r);
      else console.log(`${action === "cancel" ? "cancelled" : "terminated"} ${id}`);
      return EXIT.ok;
    } finally {
      await client.close();
    }
  });
}
