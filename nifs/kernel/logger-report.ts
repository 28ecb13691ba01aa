/**
 * `logger:format_report/1`: how a report event reads when nothing else says
 * (no `report_cb`, or `report_cb => fun logger:format_report/1`), as OTP 25's
 * logger_formatter prints it. The answer is `{Format, Args}` for io_lib:
 * a map becomes its key-value list; a report that flattens to printable text
 * is that text (`~ts`); otherwise one line per element, `    Tag: Value` for
 * `{Tag, Value}` pairs (the value with `~ts` when it flattens to printable
 * text, else `~tp`) and `    Term` for anything else. An improper list
 * anywhere is printed whole with `~tp`. Recorded from erl in
 * fixtures/otp/logger (`format_reports`).
 */
import { atom } from "../../terms/atom.ts";
import { listFromArray } from "../../terms/list.ts";
import { MapTerm } from "../../terms/map.ts";
import { mapListOrder } from "../../terms/map-order.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";

/** Thrown by {@link flatten} where `lists:flatten/1` would raise. */
class NotFlattenable extends Error {}

/** `lists:flatten/1`: the elements of a deep proper list, or NotFlattenable. */
function flatten(t: Term): Term[] {
  const out: Term[] = [];
  // Tails of the lists entered so far, innermost last: nesting costs no JS stack.
  const tails: Term[] = [];
  let l = t;
  for (;;) {
    while (l instanceof Cons) {
      const h = l.head;
      if (h instanceof Cons || h === NIL) {
        tails.push(l.tail);
        l = h;
        continue;
      }
      out.push(h);
      l = l.tail;
    }
    if (l !== NIL) throw new NotFlattenable();
    const next = tails.pop();
    if (next === undefined) return out;
    l = next;
  }
}

/** The characters `io_lib:printable_unicode_list/1` accepts. */
function printableUnicode(c: Term): boolean {
  if (typeof c !== "number") return false;
  return (
    (c >= 32 && c <= 126) ||
    (c >= 160 && c < 0xd800) ||
    (c > 0xdfff && c < 0xfffe) ||
    (c > 0xffff && c <= 0x10ffff) ||
    (c >= 8 && c <= 13) ||
    c === 27
  );
}

/** logger's `string_p1`: non-empty and printable. */
function printableText(flat: readonly Term[]): boolean {
  return flat.length > 0 && flat.every(printableUnicode);
}

/** logger's `string_p`: flattens, and the result is printable text. */
function isText(t: Term): boolean {
  try {
    return printableText(flatten(t));
  } catch (e) {
    if (e instanceof NotFlattenable) return false;
    throw e;
  }
}

function chars(s: string): Term {
  return listFromArray([...s].map((c) => c.codePointAt(0)!));
}

/** `logger:format_report(Report)`: `[Format, Args]` (the tuple's elements). */
export function formatReport(report: Term): [Term, Term] {
  const r = report instanceof MapTerm ? listFromArray(mapPairs(report)) : report;
  let flat: Term[];
  try {
    flat = flatten(r);
  } catch (e) {
    if (e instanceof NotFlattenable) return [chars("~tp"), listFromArray([r])];
    throw e;
  }
  if (flat.length === 0) return [chars("~tp"), listFromArray([NIL])];
  if (printableText(flat)) return [chars("~ts"), listFromArray([listFromArray(flat)])];
  const lines: string[] = [];
  const args: Term[] = [];
  for (let l = r; l instanceof Cons; l = l.tail) {
    const e = l.head;
    if (Array.isArray(e) && e.length === 2) {
      lines.push(`    ~tp: ~t${isText(e[1]!) ? "s" : "p"}`);
      args.push(e[0]!, e[1]!);
    } else {
      lines.push("    ~tp");
      args.push(e);
    }
  }
  return [chars(lines.join("\n")), listFromArray(args)];
}

/** A map's pairs as `maps:to_list/1` orders them. */
function mapPairs(m: MapTerm): Term[] {
  const out: Term[] = [];
  for (const i of Array.from(mapListOrder(m))) out.push([m.keys[i]!, m.values[i]!]);
  return out;
}

/** `logger:format_otp_report/1`: an error_logger-style `#{label, report}` formats its report. */
export function formatOtpReport(report: Term): [Term, Term] {
  if (report instanceof MapTerm) {
    const inner = report.get(atom("report"));
    if (report.get(atom("label")) !== undefined && inner !== undefined) return formatReport(inner);
  }
  return formatReport(report);
}
