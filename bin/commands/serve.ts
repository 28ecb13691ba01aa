/**
 * `aion serve [--db PATH] [--port N] [--host ADDR] [--tokens FILE] [--allow-host NAME]...
 * [--activities FILE.ts] [--ui|--no-ui]`: the HTTP/JSON API and the web console,
 * secured as docs/security.md says.
 */

import { isLoopbackBind } from "../../engine/http/index.ts";
import { loadActivities } from "../cli/activities.ts";
import { dbPath, expectPositionals, intOption } from "../cli/args.ts";
import { engineCommand } from "../cli/command.ts";
import { usageError } from "../cli/errors.ts";
import { logFormatOption, runHost } from "../cli/host.ts";
import { serverSecurity } from "../cli/server-security.ts";

const USAGE = `usage: aion serve [--port N] [--host ADDR] [--tokens FILE] [--allow-host NAME]...
                  [--activities FILE.ts] [--log-format text|json] [--ui|--no-ui] [--db PATH]

Serves the engine's HTTP/JSON API (default 127.0.0.1:8233) and runs workflows
like 'aion worker', with the activities of --activities. Routes: docs/cli.md.

  --tokens FILE      bearer tokens with their namespaces and deploy grant (JSON,
                     see docs/security.md); else the AION_TOKENS environment
                     variable. Required to bind anything but loopback.
  --allow-host NAME  also answer to Host NAME (any port), e.g. a proxy's name;
                     repeatable. Loopback names are always allowed on loopback.
  --log-format F     text (default) or json: one JSON object per line on stderr
                     (level, event, workflow_id, run_id; a line per request).
  --ui, --no-ui      serve the web console at /ui (docs/ui.md); on by default
                     on a loopback bind, off elsewhere unless --ui is given.

Also serves the original callers' routes (POST /workflows/*), the event
stream (GET /events/stream, a WebSocket) and GET /metrics (docs/api.md).`;

export const command = engineCommand(
  "serve",
  "serve the HTTP/JSON API (and run workflows)",
  USAGE,
  {
    port: "value",
    host: "value",
    activities: "value",
    tokens: "value",
    "allow-host": { kind: "value", multiple: true },
    "log-format": "value",
    ui: "flag",
    "no-ui": "flag",
  },
  async (inv) => {
    expectPositionals(inv, 0, 0);
    const host = inv.values.get("host") ?? "127.0.0.1";
    // Checked before the database is opened: a refused setup touches nothing.
    const security = serverSecurity({
      host,
      tokensFile: inv.values.get("tokens"),
      allowHosts: inv.lists.get("allow-host") ?? [],
      env: process.env,
      warn: (line) => console.error(`aion serve: warning: ${line}`),
    });
    if (inv.flags.has("ui") && inv.flags.has("no-ui")) {
      throw usageError("--ui and --no-ui contradict each other");
    }
    const ui = inv.flags.has("ui") || (!inv.flags.has("no-ui") && isLoopbackBind(host));
    const file = inv.values.get("activities");
    return runHost({
      db: dbPath(inv),
      port: intOption(inv, "port") ?? 8233,
      host,
      activities: file ? await loadActivities(file) : {},
      label: "serve",
      security,
      logFormat: logFormatOption(inv),
      ui,
    });
  },
);
