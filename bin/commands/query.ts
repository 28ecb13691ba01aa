/**
 * `aion query ID NAME [PAYLOAD_JSON | -] [--input-file F] [--timeout MS]`:
 * asks a running workflow through its query handler.
 */
import { existingDbPath, expectPositionals, intOption } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { INPUT_FILE_OPTION, readInput } from "../cli/input.ts";
import { printJson } from "../cli/output.ts";

const USAGE = `usage: aion query ID NAME [PAYLOAD_JSON | -] [--input-file F] [--timeout MS]
                      [--namespace NS] [--db PATH] [--json]

Runs query NAME on workflow ID and prints the reply as JSON. The payload may
come from a file (--input-file F) or from stdin ('-'). Queries run
workflow code, so a worker ('aion worker' or 'aion serve') must serve the
database (exit 5 otherwise, and when no reply arrives within --timeout).`;

export const command = engineCommand(
  "query",
  "query a running workflow",
  USAGE,
  { timeout: "value", ...INPUT_FILE_OPTION, ...NAMESPACE_OPTION },
  async (inv) => {
    const [id, name, payloadText] = expectPositionals(inv, 2, 3, ["ID", "NAME", "PAYLOAD_JSON"]);
    const timeout = intOption(inv, "timeout");
    const db = existingDbPath(inv);
    const payload = await readInput(inv, payloadText, "PAYLOAD_JSON");
    const client = await connect(
      db,
      { kind: "worker", why: "queries run workflow code" },
      scopeOf(inv),
    );
    try {
      const r = (await client.call(
        "POST",
        `/v1/workflows/${seg(id!)}/queries/${seg(name!)}${timeout !== undefined ? `?timeout=${timeout}` : ""}`,
        payload,
      )) as { result: unknown };
      if (inv.json) printJson(r);
      else console.log(JSON.stringify(r.result, null, 2));
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
