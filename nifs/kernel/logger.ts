/**
 * The logger of the minimal kernel: natives for `logger`'s API as OTP code
 * calls it (the `?LOG_*` macros expand to `logger:allow/2` then
 * `logger:macro_log/3,4,5`; `error_logger`'s functions call `logger:log/3`).
 *
 * BEAM's logger is a set of processes, ETS tables and handler modules started
 * by the kernel application. The VM starts none of that; instead every event
 * the primary level lets through is formatted here and written to the VM's
 * log (stderr under `aion run`), with the header of OTP's default handler
 * (`=ERROR REPORT==== date ===`). Reports are printed with `~tp` rather than
 * through their `report_cb`: running an Erlang fun from inside a native would
 * need a process of its own, and the text is for a person, not for a program.
 * That is enough for crash reports of gen_server, supervisor and proc_lib to
 * be seen without crashing anything.
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { isProperList } from "../../terms/list.ts";
import { EMPTY_MAP, MapTerm, mapFromPairs } from "../../terms/map.ts";
import { formatP } from "../../terms/pretty.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import {
  badarg,
  defineNatives,
  ErlangError,
  erlangTimestamp,
  type Machine,
  type NativeFn,
  type NativeModule,
  type Process,
} from "../../vm/index.ts";
import { fwrite } from "../lib/io-format/format.ts";

/** OTP's levels, most severe first: an event is logged when its index is at most the primary level's. */
const LEVELS = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"];

function severity(level: Term): number {
  const i = level instanceof Atom ? LEVELS.indexOf(level.name) : -1;
  return i < 0 ? badarg() : i;
}

/** The primary level per VM (OTP's default is `notice`: info and debug reports are dropped). */
const primary = new WeakMap<Machine, number>();
const primaryLevel = (vm: Machine) => primary.get(vm) ?? LEVELS.indexOf("notice");

function allow(p: Process, level: Term): boolean {
  return severity(level) <= primaryLevel(p.vm);
}

/** `"text"`, a binary, or an atom: what logger accepts as a plain string message. */
function isText(t: Term): boolean {
  return t instanceof BitString || (isProperList(t) && t !== NIL) || t === NIL;
}

/** Formats `F` with `Args` as io_lib would, or OTP's `FORMAT ERROR` line when they do not fit. */
function formatText(format: Term, args: Term): string {
  try {
    return fwrite(format, args);
  } catch (e) {
    if (e instanceof ErlangError) return `FORMAT ERROR: ${formatP(format)} - ${formatP(args)}`;
    throw e;
  }
}

/** The body of one log event: `{string, S}`, `{report, R}` or `{Format, Args}`. */
type Message =
  | { kind: "string"; text: Term }
  | { kind: "report"; report: Term }
  | { kind: "format"; format: Term; args: Term };

function bodyText(m: Message): string {
  switch (m.kind) {
    case "string":
      return formatText(stringList("~ts"), new Cons(m.text, NIL));
    case "format":
      return formatText(m.format, m.args);
    case "report":
      return formatP(m.report);
  }
}

function stringList(s: string): Term {
  let l: Term = NIL;
  for (let i = s.length - 1; i >= 0; i--) l = new Cons(s.charCodeAt(i), l);
  return l;
}

function write(p: Process, level: Term, m: Message): Term {
  if (!allow(p, level)) return A.ok;
  const name = (level as Atom).name.toUpperCase();
  const header = `=${name} REPORT==== ${erlangTimestamp(p.vm.clock.wallNow())} ===`;
  p.vm.logReport(`${header}\n${bodyText(m)}\n`);
  return A.ok;
}

/** One message argument: a report (map or key-value list) or a plain string. */
function single(x: Term): Message {
  if (x instanceof MapTerm) return fromReportMap(x);
  if (isText(x))
    return isKeyValueList(x) ? { kind: "report", report: x } : { kind: "string", text: x };
  return badarg();
}

/**
 * `error_logger`'s events are maps: `#{label, format, args}` from its `*_msg`
 * functions and `#{label, report}` from its `*_report` ones.
 */
function fromReportMap(m: MapTerm): Message {
  const get = (k: string) => m.get(atom(k));
  const [format, args, report] = [get("format"), get("args"), get("report")];
  if (get("label") !== undefined && format !== undefined && args !== undefined)
    return { kind: "format", format, args };
  if (get("label") !== undefined && report !== undefined) return { kind: "report", report };
  return { kind: "report", report: m };
}

function isKeyValueList(l: Term): boolean {
  if (!(l instanceof Cons)) return false;
  for (let x: Term = l; x instanceof Cons; x = x.tail)
    if (!(Array.isArray(x.head) && x.head.length === 2)) return false;
  return true;
}

/** Two arguments: `Format, Args` when the first is a format, else `Report|String, Meta`. */
function pair(a: Term, b: Term): Message {
  const isFormat = (a instanceof Atom || isText(a)) && !isKeyValueList(a) && isProperList(b);
  if (isFormat && !(b instanceof MapTerm))
    return { kind: "format", format: a instanceof Atom ? stringList(a.name) : a, args: b };
  return single(a);
}

const logAt = (level: string): Record<string, NativeFn> => ({
  [`${level}/1`]: (p, x) => write(p, atom(level), single(x!)),
  [`${level}/2`]: (p, a, b) => write(p, atom(level), pair(a!, b!)),
  [`${level}/3`]: (p, f, args) =>
    write(p, atom(level), { kind: "format", format: f!, args: args! }),
});

function primaryConfig(p: Process): Term {
  return mapFromPairs([
    [atom("filter_default"), atom("log")],
    [atom("filters"), NIL],
    [atom("level"), atom(LEVELS[primaryLevel(p.vm)]!)],
    [atom("metadata"), EMPTY_MAP],
  ]);
}

function setPrimary(p: Process, key: Term, value: Term): Term {
  if (key !== atom("level")) return A.ok;
  const i =
    value === atom("all") ? LEVELS.length - 1 : value === atom("none") ? -1 : severity(value);
  primary.set(p.vm, i);
  return A.ok;
}

export const loggerNatives: NativeModule = defineNatives("logger", {
  "allow/2": (p, level, _module) => (allow(p, level!) ? A.true : A.false),
  "macro_log/3": (p, _loc, level, x) => write(p, level!, single(x!)),
  "macro_log/4": (p, _loc, level, a, b) => write(p, level!, pair(a!, b!)),
  "macro_log/5": (p, _loc, level, f, args, _meta) =>
    write(p, level!, { kind: "format", format: f!, args: args! }),
  "log/2": (p, level, x) => write(p, level!, single(x!)),
  "log/3": (p, level, a, b) => write(p, level!, pair(a!, b!)),
  "log/4": (p, level, f, args, _meta) =>
    write(p, level!, { kind: "format", format: f!, args: args! }),
  ...Object.assign({}, ...LEVELS.map(logAt)),
  "compare_levels/2": (_p, a, b) => {
    const [x, y] = [severity(a!), severity(b!)];
    return x === y ? atom("eq") : x < y ? atom("gt") : atom("lt");
  },
  "get_primary_config/0": (p) => primaryConfig(p),
  "set_primary_config/2": (p, k, v) => setPrimary(p, k!, v!),
  "update_primary_config/1": (p, m) => {
    if (!(m instanceof MapTerm)) return badarg();
    const level = m.get(atom("level"));
    return level === undefined ? A.ok : setPrimary(p, atom("level"), level);
  },
  "get_format_depth/0": () => atom("unlimited"),
  "limit_term/1": (_p, t) => t!,
  // Process metadata: kept nowhere, since no handler would read it.
  "set_process_metadata/1": () => A.ok,
  "update_process_metadata/1": () => A.ok,
  "unset_process_metadata/0": () => A.ok,
  "get_process_metadata/0": () => A.undefined,
  // Handlers are the kernel application's; none can be added to this logger.
  "add_handler/3": () => A.ok,
  "remove_handler/1": () => A.ok,
  "get_handler_config/1": (_p, id) => [A.error, [atom("not_found"), id!]],
  "get_handler_ids/0": () => NIL,
});
