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

/** A term's JSON value when it has no children (lists, tuples and maps have). */
function scalarJson(t: Term): unknown {
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
  return formatW(t);
}

/** The text of a map key in a JSON object. */
function keyText(k: Term): string {
  if (k instanceof BitString) return textOf(k) ?? formatW(k);
  return k instanceof Atom ? k.name : formatW(k);
}

/** An open JSON array or object: the values still to write (after `i`) and, for objects, their keys. */
interface OpenJson {
  readonly values: readonly Term[];
  readonly keys: readonly string[] | null;
  i: number;
}

/** Opens a container term, or returns null when `t` is a scalar (an improper list is one: its printed form). */
function openJson(t: Term): OpenJson | null {
  if (Array.isArray(t)) return { values: t, keys: null, i: 0 };
  if (t === NIL || t instanceof Cons) {
    const items = listToArray(t);
    return items === null ? null : { values: items, keys: null, i: 0 };
  }
  if (t instanceof MapTerm) {
    // A JS object decides key order and duplicates (integer-like keys first,
    // a repeated key keeps its first place and its last value), exactly as
    // JSON.stringify of an object built key by key would.
    const slot: Record<string, number> = {};
    for (let i = 0; i < t.size; i++) slot[keyText(t.keys[i]!)] = i;
    const keys = Object.keys(slot);
    return { values: keys.map((k) => t.values[slot[k]!]!), keys, i: 0 };
  }
  return null;
}

/**
 * The JSON text of any term: binaries become strings, lists and tuples arrays,
 * maps objects (keys as text), `true`/`false`/`null`/`undefined` map to JSON
 * literals, other atoms to their names; anything else to its printed form.
 * Written with an explicit stack: a term nested a million deep gives its
 * text (JSON.stringify of such a value would overflow the JS stack).
 */
export function termJsonText(root: Term): string {
  const out: string[] = [];
  const open: OpenJson[] = [];
  let t: Term = root;
  for (;;) {
    const c = openJson(t);
    if (c === null) out.push(JSON.stringify(scalarJson(t)));
    else {
      out.push(c.keys === null ? "[" : "{");
      open.push(c);
    }
    // Find the next value to write, closing finished containers.
    for (;;) {
      const top = open[open.length - 1];
      if (top === undefined) return out.join("");
      if (top.i < top.values.length) {
        if (top.i > 0) out.push(",");
        if (top.keys !== null) out.push(`${JSON.stringify(top.keys[top.i])}:`);
        t = top.values[top.i++]!;
        break;
      }
      out.push(top.keys === null ? "]" : "}");
      open.pop();
    }
  }
}

/**
 * Nesting the recursive JSON view may reach; deeper terms take the
 * explicit-stack writer ({@link termJsonText}). JSON.stringify of the value
 * recurses too, but handles this depth easily.
 */
const RECURSION_LIMIT = 500;
/** Thrown (never escaping this file) when a term is too deep for the recursive view. */
const TOO_DEEP: unique symbol = Symbol("too deep");

/** The recursive JSON view, the fast path for ordinary (shallow) terms. */
function shallowJson(t: Term, nest: number): unknown {
  if (Array.isArray(t) || t === NIL || t instanceof Cons || t instanceof MapTerm) {
    if (nest > RECURSION_LIMIT) throw TOO_DEEP;
    if (t instanceof MapTerm) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < t.size; i++)
        out[keyText(t.keys[i]!)] = shallowJson(t.values[i]!, nest + 1);
      return out;
    }
    const items = Array.isArray(t) ? t : listToArray(t);
    if (items === null) return formatW(t); // an improper list: its printed form
    return items.map((v) => shallowJson(v, nest + 1));
  }
  return scalarJson(t);
}

/**
 * A JSON value for any term, as {@link termJsonText} describes. A deep term's
 * value is parsed back from its text: JSON.parse builds deep values without
 * recursing.
 */
export function termToJson(t: Term): unknown {
  try {
    return shallowJson(t, 0);
  } catch (e) {
    if (e === TOO_DEEP) return JSON.parse(termJsonText(t));
    throw e;
  }
}

/**
 * The text a workflow or in-VM activity produced: a binary is taken as the
 * JSON text it usually is; any other term is converted as {@link termJsonText} says.
 */
export function resultText(t: Term): string {
  const text = textOf(t);
  if (text !== undefined) return text;
  try {
    return JSON.stringify(shallowJson(t, 0));
  } catch (e) {
    if (e === TOO_DEEP) return termJsonText(t);
    throw e;
  }
}
