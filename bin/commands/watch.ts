/**
 * `aion watch ID [--from SEQ] [--json]`: follows a workflow's events live
 * through the event stream of the running worker or server (the endpoint
 * file of --db, or --url), until its run chain ends. A dropped connection is
 * resumed without gap or duplicate (aion-bun/client).
 */

import type { HistoryEvent } from "../../engine/client/index.ts";
import {
  AionClient,
  AionClientError,
  InvalidInputError,
  NamespaceDeniedError,
  NotFoundError,
} from "../../engine/client/index.ts";
import { dbPath, expectPositionals, intOption } from "../cli/args.ts";
import { NAMESPACE_OPTION } from "../cli/client.ts";
import { engineCommand } from "../cli/command.ts";
import { findWorker } from "../cli/endpoint.ts";
import { CliError, usageError } from "../cli/errors.ts";
import { EXIT } from "../cli/exit-codes.ts";

const USAGE = `usage: aion watch ID [--from SEQ] [--json] [--namespace NS] [--url URL] [--db PATH]

Prints workflow ID's events as they are recorded, until it completes, fails,
is cancelled or times out (following continue-as-new), then exits 0 if it
completed, 1 otherwise. --from SEQ first replays the history from SEQ
(1: all of it); without it only new events are shown. --json prints each
event as one JSON line (the original API's Event shape). The events come from
the worker or server of --db (aion worker / aion serve), or the server at
--url; AION_TOKEN is sent as the bearer token.`;

/** Fields worth a glance in the one-line form. */
const SHOWN = [
  "workflow_type",
  "signal_name",
  "activity_type",
  "activity_id",
  "timer_id",
  "reason",
  "attempt",
];

function line(e: HistoryEvent): string {
  const parts = [`#${e.data.envelope.seq}`, e.data.envelope.recorded_at, e.type];
  for (const k of SHOWN) {
    const v = e.data[k];
    if (typeof v === "string" || typeof v === "number") parts.push(`${k}=${v}`);
  }
  const err = e.data.error as { message?: unknown } | undefined;
  if (typeof err?.message === "string") parts.push(`error=${err.message}`);
  return parts.join(" ");
}

/** A client error as the CLI's error codes (and so its exit codes). */
function cliErrorOf(e: unknown, id: string): unknown {
  if (!(e instanceof AionClientError)) return e;
  if (e instanceof NotFoundError) return new CliError("unknown-workflow", e.message);
  if (e instanceof InvalidInputError)
    return new CliError("invalid-argument", `${id}: ${e.message}`);
  if (e instanceof NamespaceDeniedError) return new CliError("namespace_denied", e.message);
  if (e.code === "transport") return new CliError("worker-unreachable", e.message);
  return new CliError(e.code, e.message);
}

export const command = engineCommand(
  "watch",
  "follow a workflow's events live until it ends",
  USAGE,
  { from: "value", url: "value", ...NAMESPACE_OPTION },
  async (inv) => {
    const [id] = expectPositionals(inv, 1, 1, ["ID"]);
    const from = intOption(inv, "from");
    if (from === 0) throw usageError("--from must be at least 1 (the first event's seq)");
    let url = inv.values.get("url");
    if (url === undefined) {
      const db = dbPath(inv);
      const worker = await findWorker(db);
      if (worker === undefined) {
        throw new CliError(
          "no-worker",
          `no worker or server runs on ${db}: start one (aion worker / aion serve) or give --url`,
        );
      }
      url = worker.url;
    }
    const token = process.env.AION_TOKEN;
    const namespace = inv.values.get("namespace");
    const client = new AionClient({
      url,
      ...(token ? { token } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
    });
    let last: string | undefined;
    try {
      for await (const e of client.subscribe(id!, from !== undefined ? { fromSeq: from } : {})) {
        last = e.type;
        console.log(inv.json ? JSON.stringify(e) : line(e));
      }
    } catch (e) {
      throw cliErrorOf(e, id!);
    }
    return last === "WorkflowCompleted" ? EXIT.ok : EXIT.failed;
  },
);
