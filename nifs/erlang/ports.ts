/**
 * `erlang:open_port/2`. The VM has no ports (no external programs, drivers
 * or file descriptors), so every open fails, but with the error OTP gives
 * when the thing cannot be opened rather than `undef`: `enoent` for a
 * program (`spawn`, `spawn_executable`) as when it does not exist, `badarg`
 * for a driver (OTP's answer for an unknown driver), an `fd` pair, or a
 * malformed name or settings list. docs/otp-compat.md records the difference
 * (OTP's `{spawn, Cmd}` goes through `/bin/sh` and opens even for a missing
 * command).
 */
import { Atom, atom } from "../../terms/atom.ts";
import { listToArray } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { badarg, defineNatives, ErlangError, type NativeModule } from "../../vm/index.ts";

/** Port settings that are a bare atom. */
const FLAG_SETTINGS = new Set([
  "exit_status",
  "use_stdio",
  "nouse_stdio",
  "stderr_to_stdout",
  "overlapped_io",
  "in",
  "out",
  "binary",
  "eof",
  "hide",
]);

/** Port settings that are `{Key, Value}`. */
const PAIR_SETTINGS = new Set([
  "packet",
  "line",
  "cd",
  "env",
  "args",
  "arg0",
  "parallelism",
  "busy_limits_port",
  "busy_limits_msgq",
]);

function validSetting(s: Term): boolean {
  if (s instanceof Atom) return FLAG_SETTINGS.has(s.name);
  return Array.isArray(s) && s.length === 2 && s[0] instanceof Atom && PAIR_SETTINGS.has(s[0].name);
}

/** The kind of port a `PortName` asks for, or null when it is malformed. */
function portKind(name: Term): string | null {
  if (!Array.isArray(name) || !(name[0] instanceof Atom)) return null;
  const kind = name[0].name;
  if (name.length === 2 && ["spawn", "spawn_driver", "spawn_executable"].includes(kind))
    return listToArray(name[1]!) !== null || name[1] instanceof Atom ? kind : null;
  if (name.length === 3 && kind === "fd") return kind;
  return null;
}

const ENOENT = atom("enoent");

export const portNatives: NativeModule = defineNatives("erlang", {
  "open_port/2": (_p, name, settings) => {
    const kind = portKind(name!);
    const list = listToArray(settings!);
    if (kind === null || list === null || !list.every(validSetting)) return badarg();
    if (kind === "spawn" || kind === "spawn_executable") throw new ErlangError("error", ENOENT);
    return badarg();
  },
});
