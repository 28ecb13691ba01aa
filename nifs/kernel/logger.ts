/**
 * The logger of the minimal kernel: natives for `logger`'s API as OTP code
 * calls it (the `?LOG_*` macros expand to `logger:allow/2` then
 * `logger:macro_log/3,4,5`; `error_logger`'s functions call `logger:log/3`).
 *
 * BEAM's logger is a set of processes, ETS tables and handler modules started
 * by the kernel application. The VM starts none of that; instead every event
 * the primary level lets through is formatted here and written to the VM's
 * log (stderr under `aion run`), with the header of OTP's default handler
 * (`=ERROR REPORT==== date ===`). The message text is what OTP 25's
 * logger_formatter makes of the event under the default handler: strings and
 * formats through io_lib, reports through their `report_cb` (fun/1 or fun/2,
 * run as Erlang code by nifs/stdlib/aion_logger_format.erl) or
 * logger:format_report/1 (logger-report.ts), lazy message funs evaluated.
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { EMPTY_MAP, MapTerm, mapFromPairs } from "../../terms/map.ts";
import { formatP } from "../../terms/pretty.ts";
import { Cons, ExportFun, Fun, NIL, type Term } from "../../terms/term.ts";
import {
  badarg,
  defineNatives,
  ErlangError,
  erlangTimestamp,
  type Machine,
  type NativeFn,
  type NativeModule,
  type NativeResult,
  type Process,
  Trap,
} from "../../vm/index.ts";
import { fwrite } from "../lib/io-format/format.ts";
import { fclause } from "../lib/util.ts";
import { formatOtpReport, formatReport } from "./logger-report.ts";

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

/** OTP's `?IS_STRING`: a list or a binary. */
function isString(t: Term): boolean {
  return t instanceof Cons || t === NIL || t instanceof BitString;
}

/** OTP's `?IS_REPORT`: a map, or a list whose head is a tuple. */
function isReport(t: Term): boolean {
  return t instanceof MapTerm || (t instanceof Cons && Array.isArray(t.head));
}

const isFunction = (t: Term, arity: number): t is Fun | ExportFun =>
  (t instanceof Fun || t instanceof ExportFun) && t.arity === arity;

/** Formats `F` with `Args` as io_lib would, or OTP's `FORMAT ERROR` line when they do not fit. */
function formatText(format: Term, args: Term): string {
  try {
    return fwrite(format, args);
  } catch (e) {
    if (e instanceof ErlangError) return `FORMAT ERROR: ${formatP(format)} - ${formatP(args)}`;
    throw e;
  }
}

/** The body of one log event: `{string, S}`, `{report, R}`, `{Format, Args}` or a lazy `{Fun, FunArgs}`. */
type Message =
  | { kind: "string"; text: Term }
  | { kind: "report"; report: Term }
  | { kind: "format"; format: Term; args: Term }
  | { kind: "lazy"; fun: Term; funArgs: Term };

function stringList(s: string): Term {
  let l: Term = NIL;
  for (let i = s.length - 1; i >= 0; i--) l = new Cons(s.charCodeAt(i), l);
  return l;
}

const REPORT_CB = atom("report_cb");
const LOGGER = atom("logger");
const HELPER = atom("aion_logger_format");

/** Whether `cb` is one of logger's own report formatters, which run here without a process. */
function builtinReportCb(cb: Term): ((r: Term) => [Term, Term]) | null {
  if (cb instanceof ExportFun && cb.module === LOGGER && cb.arity === 1) {
    if (cb.name.name === "format_report") return formatReport;
    if (cb.name.name === "format_otp_report") return formatOtpReport;
  }
  return null;
}

const LOGGER_FORMATTER = atom("logger_formatter");
const TITLE = atom("title");
const ERROR_LOGGER = atom("error_logger");

/**
 * The legacy header's title, as logger_formatter picks it: the metadata's
 * `logger_formatter => #{title => T}` (proc_lib's "CRASH REPORT"), an
 * error_logger notice as "INFO REPORT" (its default notice header), else the level.
 */
function title(level: Term, meta: Term): string {
  if (meta instanceof MapTerm) {
    const mine = meta.get(LOGGER_FORMATTER);
    const t = mine instanceof MapTerm ? mine.get(TITLE) : undefined;
    if (t !== undefined) return formatText(stringList("~ts"), new Cons(t, NIL));
    if (level === atom("notice") && meta.get(ERROR_LOGGER) !== undefined) return "INFO REPORT";
  }
  return `${(level as Atom).name.toUpperCase()} REPORT`;
}

function emit(p: Process, level: Term, meta: Term, text: string): Term {
  const header = `=${title(level, meta)}==== ${erlangTimestamp(p.vm.clock.wallNow())} ===`;
  p.vm.logReport(`${header}\n${text}\n`);
  return A.ok;
}

/**
 * Logs one event. Text and formats are formatted here; a report goes through
 * its `report_cb` (metadata), logger:format_report/1 by default. Funs other
 * than logger's own (a report_cb, a lazy message) must run as Erlang code, so
 * the call continues in aion_logger_format (nifs/stdlib), which logs the text
 * they give back through logger:log/4.
 */
function write(p: Process, level: Term, msg: () => Message, meta: Term): NativeResult {
  if (!allow(p, level)) return A.ok;
  const m = msg();
  switch (m.kind) {
    case "string":
      return emit(p, level, meta, formatText(stringList("~ts"), new Cons(m.text, NIL)));
    case "format":
      return emit(p, level, meta, formatText(m.format, m.args));
    case "lazy":
      return new Trap(HELPER, atom("lazy"), [level, m.fun, m.funArgs, meta]);
    case "report": {
      const cb = meta instanceof MapTerm ? meta.get(REPORT_CB) : undefined;
      const own = cb === undefined ? formatReport : builtinReportCb(cb);
      if (own !== null) {
        const [format, args] = own(m.report);
        return emit(p, level, meta, formatText(format, args));
      }
      if (isFunction(cb!, 1) || isFunction(cb!, 2))
        return new Trap(HELPER, atom("report"), [level, m.report, cb!, meta]);
      const [format, args] = formatReport(m.report);
      return emit(p, level, meta, formatText(format, args));
    }
  }
}

/*
 * Messages are read only once the level lets the event through: as in OTP,
 * a malformed message at a filtered level is no error, and at a logged one
 * it is the `function_clause` of OTP's logger:do_log_allowed/5.
 */

/** `StringOrReport`: what logger:log/2 and log/3 with metadata take. */
const single = (x: Term) => (): Message => {
  if (isReport(x)) return { kind: "report", report: x };
  if (isString(x)) return { kind: "string", text: x };
  return fclause();
};

/** `FunOrFormat, Args`: a lazy fun of arity 1, or a format (an atom format reads as its name). */
const pair = (a: Term, b: Term) => (): Message => {
  if (isFunction(a, 1)) return { kind: "lazy", fun: a, funArgs: b };
  if ((isString(a) || a instanceof Atom) && (b instanceof Cons || b === NIL))
    return { kind: "format", format: a instanceof Atom ? stringList(a.name) : a, args: b };
  return fclause();
};

/** `log(Level, A, B)`: metadata when `B` is a map and `A` is no fun, else `FunOrFormat, Args`. */
function logThree(p: Process, level: Term, a: Term, b: Term): NativeResult {
  if (b instanceof MapTerm && !(a instanceof Fun || a instanceof ExportFun))
    return write(p, level, single(a), b);
  return write(p, level, pair(a, b), EMPTY_MAP);
}

const logAt = (level: string): Record<string, NativeFn> => ({
  [`${level}/1`]: (p, x) => write(p, atom(level), single(x!), EMPTY_MAP),
  [`${level}/2`]: (p, a, b) => logThree(p, atom(level), a!, b!),
  [`${level}/3`]: (p, f, args, meta) => write(p, atom(level), pair(f!, args!), meta!),
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
  "macro_log/3": (p, _loc, level, x) => write(p, level!, single(x!), EMPTY_MAP),
  "macro_log/4": (p, _loc, level, a, b) => logThree(p, level!, a!, b!),
  "macro_log/5": (p, _loc, level, f, args, meta) => write(p, level!, pair(f!, args!), meta!),
  "log/2": (p, level, x) => write(p, level!, single(x!), EMPTY_MAP),
  "log/3": (p, level, a, b) => logThree(p, level!, a!, b!),
  "log/4": (p, level, f, args, meta) => write(p, level!, pair(f!, args!), meta!),
  "format_report/1": (_p, r) => formatReport(r!),
  "format_otp_report/1": (_p, r) => formatOtpReport(r!),
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
