/** Loading the recorded real-erl expectations under fixtures/terms. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeExternalTerm } from "../../terms/etf.ts";
import type { Term } from "../../terms/term.ts";

const DIR = join(import.meta.dir, "..", "..", "fixtures", "terms");

/** Tab-separated rows of a fixture file (empty lines dropped). */
export function rows(file: string): string[][] {
  return readFileSync(join(DIR, file), "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.split("\t"));
}

/** Rows of terms_extra.expected whose first column is `kind`, without that column. */
export function extra(kind: string): string[][] {
  extraRows ??= rows("terms_extra.expected");
  return extraRows.filter((r) => r[0] === kind).map((r) => r.slice(1));
}
let extraRows: string[][] | undefined;

/** Undoes the fixtures' escaping of `\\`, `\n` and `\t`. */
export function unesc(s: string): string {
  return s.replace(/\\([\\nt])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : "\\"));
}

export const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, "hex"));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The term whose `term_to_binary` is `hex`. */
export const term = (hex: string): Term => decodeExternalTerm(fromHex(hex));

import { Atom } from "../../terms/atom.ts";
import { MapTerm } from "../../terms/map.ts";
import { FLATMAP_LIMIT } from "../../terms/map-order.ts";
import { Cons, ExportFun, Fun, Pid, Port } from "../../terms/term.ts";

/**
 * Whether `t` contains a map above 32 keys with a key whose OTP hash depends
 * on node-local numbering (atoms, pids, ports, funs). Such maps iterate in an
 * order we cannot reproduce (documented in docs/terms.md), so order-sensitive
 * checks skip them.
 */
export function hasUnorderableMap(t: Term): boolean {
  const stack: Term[] = [t];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x instanceof MapTerm) {
      if (x.size > FLATMAP_LIMIT && x.keys.some(nodeLocal)) return true;
      stack.push(...x.keys, ...x.values);
    } else if (Array.isArray(x)) stack.push(...x);
    else if (x instanceof Cons) stack.push(x.head, x.tail);
    else if (x instanceof Fun) stack.push(...x.env);
  }
  return false;
}

function nodeLocal(t: Term): boolean {
  const stack: Term[] = [t];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x instanceof Atom || x instanceof Pid || x instanceof Port || x instanceof ExportFun)
      return true;
    if (x instanceof Fun) return true;
    if (Array.isArray(x)) stack.push(...x);
    else if (x instanceof Cons) stack.push(x.head, x.tail);
    else if (x instanceof MapTerm) stack.push(...x.keys, ...x.values);
  }
  return false;
}
