/**
 * `aion worker [--db PATH] ACTIVITIES.ts`: runs the engine with the given
 * activities until SIGINT/SIGTERM, resuming every active workflow at start.
 */

import { loadActivities } from "../cli/activities.ts";
import { dbPath, expectPositionals, intOption } from "../cli/args.ts";
import { engineCommand } from "../cli/command.ts";
import { logFormatOption, runHost } from "../cli/host.ts";

const USAGE = `usage: aion worker ACTIVITIES.ts [--db PATH] [--port N] [--host ADDR]
                   [--log-format text|json]

Imports ACTIVITIES.ts (each exported function is an activity named after its
export; a default-exported object adds its function members), registers
them, recovers every active workflow of the database and runs them until
SIGINT or SIGTERM. Other commands on the same database go through this
worker's HTTP API (127.0.0.1, ephemeral port unless --port). --log-format json
writes structured log lines (docs/cli.md).`;

export const command = engineCommand(
  "worker",
  "run workflows and TypeScript activities until stopped",
  USAGE,
  { port: "value", host: "value", "log-format": "value" },
  async (inv) => {
    const [file] = expectPositionals(inv, 1, 1, ["ACTIVITIES.ts"]);
    const activities = await loadActivities(file!);
    return runHost({
      db: dbPath(inv),
      port: intOption(inv, "port") ?? 0,
      host: inv.values.get("host") ?? "127.0.0.1",
      activities,
      label: "worker",
      logFormat: logFormatOption(inv),
    });
  },
);
