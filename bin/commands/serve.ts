/** `aion serve [--db PATH] [--port N] [--host ADDR] [--activities FILE.ts]`: the HTTP/JSON API. */

import { loadActivities } from "../cli/activities.ts";
import { dbPath, expectPositionals, intOption } from "../cli/args.ts";
import { engineCommand } from "../cli/command.ts";
import { runHost } from "../cli/host.ts";

const USAGE = `usage: aion serve [--port N] [--host ADDR] [--activities FILE.ts] [--db PATH]

Serves the engine's HTTP/JSON API (default 127.0.0.1:8233; the API has no
authentication, so bind other interfaces only behind a proxy that adds it).
Runs workflows like 'aion worker', with the activities of --activities.
Routes: see docs/cli.md.`;

export const command = engineCommand(
  "serve",
  "serve the HTTP/JSON API (and run workflows)",
  USAGE,
  { port: "value", host: "value", activities: "value" },
  async (inv) => {
    expectPositionals(inv, 0, 0);
    const file = inv.values.get("activities");
    return runHost({
      db: dbPath(inv),
      port: intOption(inv, "port") ?? 8233,
      host: inv.values.get("host") ?? "127.0.0.1",
      activities: file ? await loadActivities(file) : {},
      label: "serve",
    });
  },
);
