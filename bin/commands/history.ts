/** `aion history ID`: every recorded event of a workflow (all runs). */
import { existingDbPath, expectPositionals } from "../cli/args.ts";
import { connect, NAMESPACE_OPTION, scopeOf, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { cell, clip, formatTime, printJson, table } from "../cli/output.ts";

const USAGE = `usage: aion history ID [--namespace NS] [--db PATH] [--json]

Prints the event history of workflow ID, one event per line (--json: the
full events with payloads decoded).`;

type Event = { seq: number; recordedAt: number; kind: string } & Record<string, unknown>;

export const command = engineCommand(
  "history",
  "print a workflow's event history",
  USAGE,
  NAMESPACE_OPTION,
  async (inv) => {
    const [id] = expectPositionals(inv, 1, 1, ["ID"]);
    const client = await connect(existingDbPath(inv), { kind: "dormant" }, scopeOf(inv));
    try {
      const { events } = (await client.call("GET", `/v1/workflows/${seg(id!)}/history`)) as {
        events: Event[];
      };
      if (inv.json) {
        printJson(events);
        return EXIT.ok;
      }
      const width = Math.max(40, (process.stdout.columns ?? 120) - 60);
      console.log(
        table(
          ["SEQ", "TIME", "EVENT", "DETAILS"],
          events.map(({ seq, recordedAt, kind, ...rest }) => [
            String(seq),
            formatTime(recordedAt),
            kind,
            clip(cell(rest), width),
          ]),
        ),
      );
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
