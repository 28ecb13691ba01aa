/** JSON paths for error messages (`$.order.items[2]`) and JSON value helpers. */

/** One step into a JSON value: a property name or an array index. */
export type PathStep = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$` followed by `.name`, `["odd name"]` or `[index]` steps. */
export function formatPath(path: readonly PathStep[]): string {
  let out = "$";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else out += IDENT.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** The JSON Schema type name of a value, or `"invalid"` for values JSON cannot hold. */
export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "boolean":
    case "string":
      return typeof v;
    case "number":
      if (!Number.isFinite(v)) return "invalid";
      return Number.isInteger(v) ? "integer" : "number";
    case "object":
      return "object";
    default:
      return "invalid";
  }
}

/** Whether a value is a JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Structural JSON equality: key order does not matter, 1 equals 1.0. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
