/** `aion signal ID NAME [PAYLOAD_JSON]`: delivers a signal (durable before this returns). */
import { dbPath, expectPositionals, jsonArg } from "../cli/args.ts";
import { connect, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { printJson } from "../cli/output.ts";

const USAGE = `usage: aion signal ID NAME [PAYLOAD_JSON] [--db PATH] [--json]

Sends signal NAME with PAYLOAD_JSON (default null) to workflow ID. The
signal is recorded in its history before the command returns.`;

export const command = engineCommand(
  "signal",
  "send a signal to a workflow",
  USAGE,
  {},
  async (inv) => {
    const [id, name, payloadText] = expectPositionals(inv, 2, 3);
    const payload = jsonArg(payloadText, "PAYLOAD_JSON");
    const client = await connect(dbPath(inv), { kind: "dormant" });
    try {
      const r = await client.call(
        "POST",
        `/v1/workflows/${seg(id!)}/signals/${seg(name!)}`,
        payload,
      );
      if (inv.json) printJson(r);
      else console.log(`signalled ${id}: ${name}`);
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
