/**
 * `aion signal ID NAME [PAYLOAD_JSON | -] [--input-file F]`: delivers a
 * signal (durable before this returns).
 */
import { existingDbPath, expectPositionals } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { INPUT_FILE_OPTION, readInput } from "../cli/input.ts";
import { printJson } from "../cli/output.ts";

const USAGE = `usage: aion signal ID NAME [PAYLOAD_JSON | -] [--input-file F] [--namespace NS]
                       [--db PATH] [--json]

Sends signal NAME with PAYLOAD_JSON (default null) to workflow ID. The
signal is recorded in its history before the command returns. The payload
may come from a file (--input-file F) or from stdin ('-').`;

export const command = engineCommand(
  "signal",
  "send a signal to a workflow",
  USAGE,
  { ...INPUT_FILE_OPTION, ...NAMESPACE_OPTION },
  async (inv) => {
    const [id, name, payloadText] = expectPositionals(inv, 2, 3, ["ID", "NAME", "PAYLOAD_JSON"]);
    const db = existingDbPath(inv);
    const payload = await readInput(inv, payloadText, "PAYLOAD_JSON");
    const client = await connect(db, { kind: "dormant" }, scopeOf(inv));
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
