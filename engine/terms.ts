/**
 * Conversions between VM terms and the engine's data: `{ok, Bin}` /
 * `{error, Bin}` results, text arguments, and a JSON view of arbitrary terms
 * (for workflow results that are not already JSON binaries).
 */

import {
  A,
  Atom,
  BitString,
  binaryFromString,
  binaryToString,
  Cons,
  Float,
  formatW,
  listToArray,
  MapTerm,
  NIL,
  type Term,
} from "../terms/index.ts";
import { jsonPayload, type Payload } from "./events/index.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `{ok, <<Text>>}`. */
export function okTerm(text: string): Term {
  return [A.ok, binaryFromString(text)];
}

/** `{error, <<Text>>}`. */
export function errorTerm(text: string): Term {
  return [A.error, binaryFromString(text)];
}

/** The UTF-8 text of a binary argument, or undefined for anything else. */
export function textOf(t: Term): string | undefined {
  if (t instanceof BitString && t.isBinary) return binaryToString(t) ?? undefined;
  return undefined;
}

/** Whether `text` parses as JSON. */
export function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A JSON payload from text the workflow handed over: kept byte-for-byte when it
 * is JSON already, otherwise stored as a JSON string.
 */
export function payloadFromText(text: string): Payload {
  if (isJsonText(text)) return { contentType: "application/json", bytes: encoder.encode(text) };
  return jsonPayload(text);
}

/** The text of a payload (its bytes as UTF-8). */
export function payloadText(p: Payload): string {
  return decoder.decode(p.bytes);
}

/**
 * A JSON value for any term: binaries become strings, lists and tuples arrays,
 * maps objects (keys as text), `true`/`false`/`null`/`undefined` map to JSON
 * literals, other atoms to their names; anything else to its printed form.
 */
export function termToJson(t: Term): unknown {
  if (typeof t === "number") return t;
  if (typeof t === "bigint") return t.toString();
  if (t instanceof Float) return t.value;
  if (t instanceof Atom) {
    if (t === A.true) return true;
    if (t === A.false) return false;
    if (t.name === "null" || t.name === "undefined" || t.name === "nil") return null;
    return t.name;
  }
  if (t instanceof BitString) return t.isBinary ? (binaryToString(t) ?? formatW(t)) : formatW(t);
  if (Array.isArray(t)) return t.map(termToJson);
  if (t === NIL || t instanceof Cons) {
    const items = listToArray(t);
    return items === null ? formatW(t) : items.map(termToJson);
  }
  if (t instanceof MapTerm) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < t.size; i++) {
      const k = t.keys[i]!;
      const key =
        k instanceof BitString
          ? (textOf(k) ?? formatW(k))
          : k instanceof Atom
            ? k.name
            : formatW(k);
      out[key] = termToJson(t.values[i]!);
    }
    return out;
  }
  return formatW(t);
}

/**
 * The text a workflow or in-VM activity produced: a binary is taken as the
 * JSON text it usually is; any other term is converted with {@link termToJson}.
 */
export function resultText(t: Term): string {
  const text = textOf(t);
  if (text !== undefined) return text;
  return JSON.stringify(termToJson(t)) ?? "null";
}
