/**
 * JSON text of a response body that may hold arbitrarily deep values.
 *
 * `JSON.stringify` recurses and throws a RangeError somewhere past ~10,000
 * levels of nesting, and a workflow may return a term a million levels deep
 * (the engine stores it fine: engine/terms.ts writes it without recursion).
 * So the fast path is `JSON.stringify`, and a RangeError falls back to an
 * explicit-stack writer with the same output for plain data (objects,
 * arrays, strings, numbers, booleans, null; `undefined` and functions are
 * dropped from objects and become null in arrays, as JSON.stringify does).
 */

/** `JSON.stringify(value)` for plain data of any depth. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return deepJsonText(value);
  }
}

type Item = { readonly text: string } | { readonly value: unknown };

function scalar(v: unknown): string | undefined {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    case "object":
      return undefined;
    default:
      return "null";
  }
}

const skipped = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";

/** The explicit-stack writer: a stack of texts to emit and values to expand, last first. */
export function deepJsonText(root: unknown): string {
  const out: string[] = [];
  const stack: Item[] = [{ value: root }];
  for (;;) {
    const item = stack.pop();
    if (item === undefined) return out.join("");
    if ("text" in item) {
      out.push(item.text);
      continue;
    }
    const v = item.value;
    const s = scalar(v);
    if (s !== undefined) {
      out.push(s);
      continue;
    }
    if (Array.isArray(v)) {
      out.push("[");
      stack.push({ text: "]" });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: skipped(v[i]) ? null : v[i] });
        if (i > 0) stack.push({ text: "," });
      }
      continue;
    }
    const o = v as Record<string, unknown>;
    const entries = Object.keys(o).filter((k) => !skipped(o[k]));
    out.push("{");
    stack.push({ text: "}" });
    for (let i = entries.length - 1; i >= 0; i--) {
      const k = entries[i]!;
      stack.push({ value: o[k] }, { text: `${JSON.stringify(k)}:` });
      if (i > 0) stack.push({ text: "," });
    }
  }
}
