/**
 * Checking a schema itself against the JSON Schema meta-schema (the keyword
 * rules drafts 4 to 2020-12 agree on), before it is shipped or deployed. The
 * input validator (./validate-input.ts) only finds a malformed keyword when
 * some input reaches it, so a typo such as `"type": "objekt"` would otherwise
 * surface as a refused start long after the deploy; here it refuses the
 * package up front. As in the meta-schema, unknown keywords are allowed, and
 * the values of `enum`, `const`, `default` and `examples` are data, never
 * schemas.
 */

import { isJsonObject } from "./json-path.ts";
import { formatPointer } from "./json-pointer.ts";

/** One way a schema breaks the meta-schema. */
export interface SchemaProblem {
  /** JSON Pointer (as a URI fragment) of the offending keyword, e.g. `#/properties/age/type`. */
  readonly pointer: string;
  /** The keyword at fault (`type`, `required`, ...). */
  readonly keyword: string;
  readonly message: string;
}

const TYPES = ["null", "boolean", "object", "array", "number", "integer", "string"];

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = [
  "additionalItems",
  "additionalProperties",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "contentSchema",
];
/** Keywords whose value is a non-empty array of schemas. */
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf"];
/** Keywords whose value is an object of schemas. */
const SCHEMA_MAP_KEYWORDS = [
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
];
/** Keywords whose value is a non-negative integer. */
const COUNT_KEYWORDS = [
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minContains",
  "maxContains",
];
/** Keywords whose value is a string. */
const STRING_KEYWORDS = [
  "$ref",
  "$id",
  "id",
  "$schema",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$comment",
  "title",
  "description",
  "format",
  "contentEncoding",
  "contentMediaType",
];
const BOOLEAN_KEYWORDS = ["uniqueItems", "readOnly", "writeOnly", "deprecated"];

/** Deeper than any real schema; a backstop against hostile nesting. */
const MAX_DEPTH = 256;

/** Every way `schema` breaks the meta-schema; empty when it is a valid schema. */
export function schemaProblems(schema: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  check(schema, [], 0, out);
  return out;
}

/** One problem for a message: `keyword "type" at #/type: unknown type "objekt" (...)`. */
export function formatSchemaProblem(p: SchemaProblem): string {
  return `keyword "${p.keyword}" at ${p.pointer}: ${p.message}`;
}

type Path = readonly (string | number)[];

function check(schema: unknown, path: Path, depth: number, out: SchemaProblem[]): void {
  const fail = (keyword: string, message: string, at: Path = [...path, keyword]) =>
    out.push({ pointer: formatPointer(at), keyword, message });
  if (typeof schema === "boolean") return;
  if (!isJsonObject(schema)) {
    out.push({
      pointer: formatPointer(path),
      keyword: String(path[path.length - 1] ?? "schema"),
      message: `a schema must be an object or true/false, got ${describe(schema)}`,
    });
    return;
  }
  if (depth > MAX_DEPTH) {
    fail("schema", "schema nested too deeply", path);
    return;
  }
  const sub = (s: unknown, ...steps: (string | number)[]) =>
    check(s, [...path, ...steps], depth + 1, out);

  if (schema.type !== undefined) typeKeyword(schema.type, fail);
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) {
    fail("enum", `must be an array, got ${describe(schema.enum)}`);
  }
  if (schema.required !== undefined) stringList(schema.required, "required", fail);
  if (schema.examples !== undefined && !Array.isArray(schema.examples)) {
    fail("examples", `must be an array, got ${describe(schema.examples)}`);
  }
  for (const k of COUNT_KEYWORDS) {
    const v = schema[k];
    if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= 0)) {
      fail(k, `must be a non-negative integer, got ${describe(v)}`);
    }
  }
  for (const k of ["minimum", "maximum"]) {
    const v = schema[k];
    if (v !== undefined && !isFiniteNumber(v)) fail(k, `must be a number, got ${describe(v)}`);
  }
  for (const k of ["exclusiveMinimum", "exclusiveMaximum"]) {
    // Draft 4 spells these as booleans modifying minimum/maximum; later drafts as numbers.
    const v = schema[k];
    if (v !== undefined && typeof v !== "boolean" && !isFiniteNumber(v)) {
      fail(k, `must be a number (or, in draft 4, a boolean), got ${describe(v)}`);
    }
  }
  if (schema.multipleOf !== undefined) {
    const v = schema.multipleOf;
    if (!isFiniteNumber(v) || v <= 0)
      fail("multipleOf", `must be a number > 0, got ${describe(v)}`);
  }
  for (const k of STRING_KEYWORDS) {
    const v = schema[k];
    if (v !== undefined && typeof v !== "string") fail(k, `must be a string, got ${describe(v)}`);
  }
  for (const k of BOOLEAN_KEYWORDS) {
    const v = schema[k];
    if (v !== undefined && typeof v !== "boolean")
      fail(k, `must be true or false, got ${describe(v)}`);
  }
  if (typeof schema.pattern === "string") regex(schema.pattern, "pattern", fail);

  for (const k of SCHEMA_KEYWORDS) if (schema[k] !== undefined) sub(schema[k], k);
  for (const k of SCHEMA_LIST_KEYWORDS) {
    const v = schema[k];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length === 0)
      fail(k, `must be a non-empty array of schemas, got ${describe(v)}`);
    else
      v.forEach((s, i) => {
        sub(s, k, i);
      });
  }
  for (const k of SCHEMA_MAP_KEYWORDS) {
    const v = schema[k];
    if (v === undefined) continue;
    if (!isJsonObject(v)) {
      fail(k, `must be an object of schemas, got ${describe(v)}`);
      continue;
    }
    for (const [name, s] of Object.entries(v)) {
      if (k === "patternProperties") regex(name, k, (kw, m) => fail(kw, m, [...path, k, name]));
      sub(s, k, name);
    }
  }
  if (schema.items !== undefined) {
    // A schema, or (before 2020-12) the tuple form: an array of schemas.
    if (Array.isArray(schema.items))
      schema.items.forEach((s, i) => {
        sub(s, "items", i);
      });
    else sub(schema.items, "items");
  }
  if (schema.prefixItems !== undefined) {
    if (!Array.isArray(schema.prefixItems)) {
      fail("prefixItems", `must be an array of schemas, got ${describe(schema.prefixItems)}`);
    } else
      schema.prefixItems.forEach((s, i) => {
        sub(s, "prefixItems", i);
      });
  }
  if (schema.dependencies !== undefined) {
    // Draft 4-7: each entry is a schema or a list of property names.
    if (!isJsonObject(schema.dependencies)) {
      fail("dependencies", `must be an object, got ${describe(schema.dependencies)}`);
    } else {
      for (const [name, d] of Object.entries(schema.dependencies)) {
        if (Array.isArray(d)) {
          stringList(d, "dependencies", (kw, m) => fail(kw, m, [...path, "dependencies", name]));
        } else sub(d, "dependencies", name);
      }
    }
  }
  if (schema.dependentRequired !== undefined) {
    if (!isJsonObject(schema.dependentRequired)) {
      fail("dependentRequired", `must be an object, got ${describe(schema.dependentRequired)}`);
    } else {
      for (const [name, d] of Object.entries(schema.dependentRequired)) {
        stringList(d, "dependentRequired", (kw, m) =>
          fail(kw, m, [...path, "dependentRequired", name]),
        );
      }
    }
  }
}

type Fail = (keyword: string, message: string) => void;

function typeKeyword(t: unknown, fail: Fail): void {
  const names = Array.isArray(t) ? t : [t];
  if (Array.isArray(t) && t.length === 0) {
    fail("type", "must name at least one type");
    return;
  }
  for (const n of names) {
    if (typeof n !== "string" || !TYPES.includes(n)) {
      fail("type", `unknown type ${JSON.stringify(n)} (expected one of ${TYPES.join(", ")})`);
      return;
    }
  }
  if (new Set(names).size !== names.length) fail("type", "names a type twice");
}

/** An array of unique strings (`required`, property lists). */
function stringList(v: unknown, keyword: string, fail: Fail): void {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    fail(keyword, `must be an array of strings, got ${describe(v)}`);
  } else if (new Set(v).size !== v.length) {
    fail(keyword, "lists a name twice");
  }
}

function regex(pattern: string, keyword: string, fail: Fail): void {
  try {
    new RegExp(pattern, "u");
  } catch {
    fail(keyword, `${JSON.stringify(pattern)} is not a valid regular expression`);
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** A short description of a JSON value for messages. */
function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
