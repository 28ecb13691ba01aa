/**
 * The JSON Schema keywords that apply to one type of value: numbers,
 * strings, arrays and objects. Each checker reports through a {@link Scope};
 * a keyword with a malformed value is reported as a schema error.
 */
import { isJsonObject, jsonEqual } from "./json-path.ts";
import type { Scope } from "./validate-input.ts";

type Schema = Readonly<Record<string, unknown>>;

/** A schema keyword that must hold a non-negative integer (lengths, counts). */
function count(schema: Schema, k: string, scope: Scope): number | undefined {
  const v = schema[k];
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  scope.error(k, `schema error: ${k} must be a non-negative integer`);
  return undefined;
}

/** A schema keyword that must hold a number. */
function num(schema: Schema, k: string, scope: Scope): number | undefined {
  const v = schema[k];
  if (v === undefined || typeof v === "boolean") return undefined;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  scope.error(k, `schema error: ${k} must be a number`);
  return undefined;
}

/** minimum, maximum, exclusiveMinimum/Maximum (number form, and draft-4 boolean form), multipleOf. */
export function numberKeywords(schema: Schema, v: number, scope: Scope): void {
  const min = num(schema, "minimum", scope);
  const max = num(schema, "maximum", scope);
  if (min !== undefined) {
    if (schema.exclusiveMinimum === true ? v <= min : v < min) {
      scope.error("minimum", `must be ${schema.exclusiveMinimum === true ? ">" : ">="} ${min}`);
    }
  }
  if (max !== undefined) {
    if (schema.exclusiveMaximum === true ? v >= max : v > max) {
      scope.error("maximum", `must be ${schema.exclusiveMaximum === true ? "<" : "<="} ${max}`);
    }
  }
  const xmin = num(schema, "exclusiveMinimum", scope);
  if (xmin !== undefined && v <= xmin) scope.error("exclusiveMinimum", `must be > ${xmin}`);
  const xmax = num(schema, "exclusiveMaximum", scope);
  if (xmax !== undefined && v >= xmax) scope.error("exclusiveMaximum", `must be < ${xmax}`);
  const step = num(schema, "multipleOf", scope);
  if (step !== undefined && step > 0) {
    const q = v / step;
    if (Math.abs(q - Math.round(q)) > 1e-9)
      scope.error("multipleOf", `must be a multiple of ${step}`);
  }
}

/** minLength/maxLength (in code points, as the specification counts) and pattern. */
export function stringKeywords(schema: Schema, v: string, scope: Scope): void {
  const min = count(schema, "minLength", scope);
  const max = count(schema, "maxLength", scope);
  if (min !== undefined || max !== undefined) {
    const n = [...v].length;
    if (min !== undefined && n < min)
      scope.error("minLength", `must be at least ${min} characters`);
    if (max !== undefined && n > max) scope.error("maxLength", `must be at most ${max} characters`);
  }
  if (schema.pattern !== undefined) {
    const re = scope.regex(schema.pattern, "pattern");
    if (re && !re.test(v))
      scope.error("pattern", `does not match pattern ${JSON.stringify(schema.pattern)}`);
  }
}

/** prefixItems, items (a schema, or the older tuple form with additionalItems), min/maxItems, uniqueItems. */
export function arrayKeywords(schema: Schema, v: readonly unknown[], scope: Scope): void {
  let tuple: readonly unknown[] = [];
  let rest: unknown;
  if (Array.isArray(schema.prefixItems)) {
    tuple = schema.prefixItems;
    rest = schema.items;
  } else if (Array.isArray(schema.items)) {
    tuple = schema.items;
    rest = schema.additionalItems;
  } else {
    rest = schema.items;
  }
  v.forEach((item, i) => {
    const s = i < tuple.length ? tuple[i] : rest;
    if (s !== undefined) scope.child(s, item, i);
  });
  const min = count(schema, "minItems", scope);
  const max = count(schema, "maxItems", scope);
  if (min !== undefined && v.length < min)
    scope.error("minItems", `must have at least ${min} items`);
  if (max !== undefined && v.length > max)
    scope.error("maxItems", `must have at most ${max} items`);
  if (schema.uniqueItems === true) {
    for (let i = 1; i < v.length; i++) {
      const j = v.slice(0, i).findIndex((x) => jsonEqual(x, v[i]));
      if (j >= 0) {
        scope.error("uniqueItems", `items ${j} and ${i} are equal`);
        break;
      }
    }
  }
}

/** properties, patternProperties, additionalProperties, required, min/maxProperties. */
export function objectKeywords(
  schema: Schema,
  v: Readonly<Record<string, unknown>>,
  scope: Scope,
): void {
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  const patterns = isJsonObject(schema.patternProperties)
    ? Object.entries(schema.patternProperties)
    : [];
  const compiled = patterns.map(([p, s]) => [scope.regex(p, "patternProperties"), s] as const);
  if (Array.isArray(schema.required)) {
    for (const k of schema.required) {
      if (typeof k === "string" && !Object.hasOwn(v, k)) {
        scope.error("required", `missing required property ${JSON.stringify(k)}`);
      }
    }
  }
  for (const [k, item] of Object.entries(v)) {
    let covered = false;
    if (Object.hasOwn(props, k)) {
      covered = true;
      scope.child(props[k], item, k);
    }
    for (const [re, s] of compiled) {
      if (re?.test(k)) {
        covered = true;
        scope.child(s, item, k);
      }
    }
    if (!covered && schema.additionalProperties !== undefined) {
      if (schema.additionalProperties === false) {
        scope.error("additionalProperties", "property is not allowed", k);
      } else {
        scope.child(schema.additionalProperties, item, k);
      }
    }
  }
  const n = Object.keys(v).length;
  const min = count(schema, "minProperties", scope);
  const max = count(schema, "maxProperties", scope);
  if (min !== undefined && n < min)
    scope.error("minProperties", `must have at least ${min} properties`);
  if (max !== undefined && n > max)
    scope.error("maxProperties", `must have at most ${max} properties`);
}
