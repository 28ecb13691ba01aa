/**
 * `aion deploy FILE.aion`: stores a package and routes its workflow types to
 * it; `--rollback TYPE [--version HASH]` routes a type back; `--list` shows
 * every deployed version.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { dbPath, existingDbPath, expectPositionals } from "../cli/args.ts";
import { connect, seg } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { usageError } from "../cli/errors.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { formatTime, keyValues, printJson, table } from "../cli/output.ts";

const USAGE = `usage: aion deploy FILE.aion [--no-activate] [--db PATH] [--json]
       aion deploy --rollback TYPE [--version HASH] [--db PATH] [--json]
       aion deploy --list [--db PATH] [--json]

Deploys a package: stores it, loads it under versioned module names and
routes new workflows of its types to it (unless --no-activate). Running
workflows keep the version they started with. --rollback routes TYPE to the
previously deployed version (or --version). --list shows every version.`;

interface Versions {
  versions: {
    workflowType: string;
    version: string;
    current: boolean;
    internal: boolean;
    storedAt: number;
  }[];
}

export const command = engineCommand(
  "deploy",
  "deploy a .aion package (versioned), roll back, or list versions",
  USAGE,
  { "no-activate": "flag", rollback: "value", version: "value", list: "flag" },
  async (inv) => {
    const rollback = inv.values.get("rollback");
    if (inv.flags.has("list")) {
      expectPositionals(inv, 0, 0);
      const client = await connect(existingDbPath(inv), { kind: "dormant" });
      try {
        const v = (await client.call("GET", "/v1/packages")) as Versions;
        if (inv.json) printJson(v);
        else if (v.versions.length === 0) console.log("no packages deployed");
        else {
          console.log(
            table(
              ["TYPE", "VERSION", "ROUTED", "DEPLOYED"],
              v.versions.map((x) => [
                x.workflowType,
                x.version.slice(0, 16),
                x.current ? "*" : "",
                formatTime(x.storedAt),
              ]),
            ),
          );
        }
        return EXIT.ok;
      } finally {
        await client.close();
      }
    }
    if (rollback !== undefined) {
      expectPositionals(inv, 0, 0);
      const version = inv.values.get("version");
      const client = await connect(existingDbPath(inv), { kind: "dormant" });
      try {
        const r = (await client.call(
          "POST",
          `/v1/packages/${seg(rollback)}/rollback`,
          version ? { version } : {},
        )) as {
          version: string;
        };
        if (inv.json) printJson(r);
        else console.log(`${rollback} now routes to ${r.version}`);
        return EXIT.ok;
      } finally {
        await client.close();
      }
    }
    const [file] = expectPositionals(inv, 1, 1, ["FILE.aion"]);
    if (!existsSync(file!)) throw usageError(`no such file: ${file}`);
    const bytes = new Uint8Array(readFileSync(file!));
    const activate = !inv.flags.has("no-activate");
    // Deploying a package is what creates a database.
    const client = await connect(dbPath(inv), { kind: "dormant" });
    try {
      const r = (await client.call(
        "POST",
        `/v1/packages?name=${seg(basename(file!))}${activate ? "" : "&activate=false"}`,
        bytes,
      )) as {
        version: string;
        workflowTypes: string[];
        modules: string[];
        activated: boolean;
        previous: Record<string, string>;
      };
      if (inv.json) printJson(r);
      else {
        console.log(
          keyValues([
            ["deployed", file!],
            ["version", r.version],
            ["types", r.workflowTypes.join(", ")],
            ["modules", r.modules.join(", ")],
            [
              "routed",
              r.activated ? "yes (new workflows start on this version)" : "no (--no-activate)",
            ],
            ...Object.entries(r.previous).map(([t, v]): [string, string] => [`previous ${t}`, v]),
          ]),
        );
      }
      return EXIT.ok;
    } finally {
      await client.close();
    }
  },
);
