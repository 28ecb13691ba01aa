/**
 * Process aliases (OTP 24+): a reference that, while active, delivers the
 * messages sent to it to the process that created it. `gen:call/4` with a
 * timeout monitors its server with `[{alias, demonitor}]` and the server
 * replies to the alias, so OTP's behaviours need them.
 *
 * Kept per VM, keyed by the reference's number. A send to an inactive or
 * unknown alias is dropped silently, as on BEAM.
 */

import type { Ref } from "../../terms/term.ts";
import type { Machine } from "../machine.ts";
import type { Process } from "./process.ts";

/** How an alias is deactivated besides `unalias/1` (`alias/1`, `monitor/3`'s `{alias, Mode}`). */
export type AliasMode = "explicit_unalias" | "demonitor" | "reply_demonitor" | "reply";

interface AliasRecord {
  readonly owner: Process;
  readonly mode: AliasMode;
}

const tables = new WeakMap<Machine, Map<bigint, AliasRecord>>();

function table(vm: Machine): Map<bigint, AliasRecord> {
  let t = tables.get(vm);
  if (t === undefined) {
    t = new Map();
    tables.set(vm, t);
  }
  return t;
}

/** Makes `ref` an alias of `owner`. */
export function activateAlias(vm: Machine, ref: Ref, owner: Process, mode: AliasMode): void {
  table(vm).set(ref.id, { owner, mode });
}

/** `unalias/1`: true when `ref` was an active alias of `owner`. */
export function deactivateAlias(vm: Machine, ref: Ref, owner: Process): boolean {
  const t = table(vm);
  const rec = t.get(ref.id);
  if (rec === undefined || rec.owner !== owner) return false;
  t.delete(ref.id);
  return true;
}

/** A monitor was removed: its `{alias, demonitor}` alias goes with it. */
export function demonitorAlias(vm: Machine, ref: Ref): void {
  const t = table(vm);
  const mode = t.get(ref.id)?.mode;
  if (mode === "demonitor" || mode === "reply_demonitor") t.delete(ref.id);
}

/**
 * The live process a message sent to `ref` goes to, or undefined (dropped).
 * A reply-mode alias is used up by its first message.
 */
export function aliasTarget(vm: Machine, ref: Ref): Process | undefined {
  const t = table(vm);
  const rec = t.get(ref.id);
  if (rec === undefined) return undefined;
  if (!rec.owner.isAlive) {
    t.delete(ref.id);
    return undefined;
  }
  if (rec.mode === "reply" || rec.mode === "reply_demonitor") t.delete(ref.id);
  return rec.owner;
}
