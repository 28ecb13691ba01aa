/**
 * A small JSON Schema validator for workflow input, enough for the schemas
 * the SDK and authors write: `type`, `enum`, `const`, `$ref` (local
 * `#/definitions/...`, `#/$defs/...` or any local pointer), `allOf`, `anyOf`,
 * `oneOf`, `not`, and the number, string, array and object keywords in
 * ./keywords.ts. Unknown keywords are ignored, as the specification says.
 * A malformed schema does not throw: its problems come back as errors too.
 */
import { formatPath, isJsonObject, jsonEqual, jsonType, type PathStep } from "./json-path.ts";
import { arrayKeywords, numberKeywords, objectKeywords, stringKeywords } from "./keywords.ts";

/** One reason the value does not match, at a JSON path such as `$.items[0].sku`. */
export interface InputError {
  readonly path: string;
  /** The schema keyword that failed (`type`, `required`, `$ref`...). */
  readonly keyword: string;
  readonly message: string;
}

/** Deeper nesting than any real schema and input; a backstop against runaway recursion. */
const MAX_DEPTH = 512;
/**
 * Schema applications allowed per input node. A hostile package could ship a
 * schema whose `$ref`s fan out exponentially on one value (anyOf of anyOf of
 * ...); this bounds the work by the size of the input instead.
 */
const STEPS_PER_NODE = 256;
const MIN_STEPS = 100_000;

/** What keyword checkers get: where they are, and how to validate a child. */
export interface Scope {
  readonly path: readonly PathStep[];
  /** Reports a failure here, or at the child `step` if given. */
  error(keyword: string, message: string, step?: PathStep): void;
  /** Validates `value` (at `path` + `step`, if given) against `schema`, collecting errors. */
  child(schema: unknown, value: unknown, step?: PathStep): void;
  /** Whether `value` matches `schema`, without reporting anything. */
  matches(schema: unknown, value: unknown): boolean;
  /** A compiled `pattern`, or undefined (with a schema error reported) if it does not compile. */
  regex(pattern: unknown, keyword: string): RegExp | undefined;
}

/**
 * Checks `value` against the JSON Schema `schema`. Returns no errors when it
 * matches; otherwise every failure found, each naming the JSON path.
 */
export function validateInput(schema: unknown, value: unknown): InputError[] {
  const errors: InputError[] = [];
  const budget = Math.max(MIN_STEPS, STEPS_PER_NODE * countNodes(value));
  new Validator(schema, budget).run(schema, value, [], 0, errors);
  return errors;
}

class Validator {
  private readonly patterns = new Map<string, RegExp | null>();
  /** The `$ref` targets being applied, with the value each is applied to. */
  private readonly active: { schema: unknown; value: unknown }[] = [];
  private steps = 0;

  constructor(
    private readonly root: unknown,
    private readonly budget: number,
  ) {}

  run(
    schema: unknown,
    value: unknown,
    path: readonly PathStep[],
    depth: number,
    out: InputError[],
  ): void {
    const scope = this.scope(path, depth, out);
    if (++this.steps > this.budget) {
      if (this.steps === this.budget + 1) scope.error("schema", "schema too costly to evaluate");
      return;
    }
    if (depth > MAX_DEPTH) {
      scope.error("schema", "schema or input nested too deeply");
      return;
    }
    if (schema === true) return;
    if (schema === false) {
      scope.error("false", "no value is allowed here");
      return;
    }
    if (!isJsonObject(schema)) {
      scope.error("schema", "schema must be an object or a boolean");
      return;
    }
    if (schema.$ref !== undefined) this.ref(schema.$ref, value, scope);
    typeKeyword(schema, value, scope);
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum)) scope.error("enum", "schema error: enum must be an array");
      else if (!schema.enum.some((e) => jsonEqual(e, value))) {
        scope.error("enum", `must be one of ${JSON.stringify(schema.enum)}`);
      }
    }
    if (schema.const !== undefined && !jsonEqual(schema.const, value)) {
      scope.error("const", `must equal ${JSON.stringify(schema.const)}`);
    }
    combinators(schema, value, scope);
    if (typeof value === "number") numberKeywords(schema, value, scope);
    else if (typeof value === "string") stringKeywords(schema, value, scope);
    else if (Array.isArray(value)) arrayKeywords(schema, value, scope);
    else if (isJsonObject(value)) objectKeywords(schema, value, scope);
  }

  private scope(path: readonly PathStep[], depth: number, out: InputError[]): Scope {
    return {
      path,
      error: (keyword, message, step) => {
        out.push({
          path: formatPath(step === undefined ? path : [...path, step]),
          keyword,
          message,
        });
      },
      child: (schema, value, step) => {
        this.run(schema, value, step === undefined ? path : [...path, step], depth + 1, out);
      },
      matches: (schema, value) => {
        const sink: InputError[] = [];
        this.run(schema, value, path, depth + 1, sink);
        return sink.length === 0;
      },
      regex: (pattern, keyword) => this.regex(pattern, keyword, path, out),
    };
  }

  private ref(ref: unknown, value: unknown, scope: Scope): void {
    if (typeof ref !== "string" || !ref.startsWith("#")) {
      scope.error(
        "$ref",
        `only local references ("#/...") are supported, got ${JSON.stringify(ref)}`,
      );
      return;
    }
    let target: unknown = this.root;
    const pointer = ref.slice(1);
    if (pointer !== "") {
      if (!pointer.startsWith("/")) {
        scope.error("$ref", `cannot resolve ${ref}`);
        return;
      }
      for (const raw of pointer.slice(1).split("/")) {
        const key = unescapePointer(raw);
        if (key === undefined || !hasKey(target, key)) {
          scope.error("$ref", `cannot resolve ${ref}`);
          return;
        }
        target = (target as Record<string, unknown>)[key];
      }
    }
    // Applying a schema to a value while already applying it to that same
    // value can only loop forever ({"$ref": "#"}); refs that step into the
    // value (recursive data) always meet a different value.
    if (this.active.some((a) => a.schema === target && a.value === value)) {
      scope.error("$ref", `${ref} refers back to itself without a value to step into`);
      return;
    }
    this.active.push({ schema: target, value });
    scope.child(target, value);
    this.active.pop();
  }

  private regex(
    pattern: unknown,
    keyword: string,
    path: readonly PathStep[],
    out: InputError[],
  ): RegExp | undefined {
    if (typeof pattern !== "string") {
      out.push({
        path: formatPath(path),
        keyword,
        message: `schema error: ${keyword} must be a string`,
      });
      return undefined;
    }
    let re = this.patterns.get(pattern);
    if (re === undefined) {
      try {
        re = new RegExp(pattern, "u");
      } catch {
        re = null;
      }
      this.patterns.set(pattern, re);
    }
    if (re === null) {
      out.push({
        path: formatPath(path),
        keyword,
        message: `schema error: invalid regular expression ${JSON.stringify(pattern)}`,
      });
      return undefined;
    }
    return re;
  }
}

const TYPES = new Set(["null", "boolean", "object", "array", "number", "integer", "string"]);

function typeKeyword(
  schema: Readonly<Record<string, unknown>>,
  value: unknown,
  scope: Scope,
): void {
  const t = schema.type;
  if (t === undefined) return;
  const wanted = Array.isArray(t) ? t : [t];
  if (!wanted.every((w) => typeof w === "string" && TYPES.has(w))) {
    scope.error("type", `schema error: unknown type ${JSON.stringify(t)}`);
    return;
  }
  const actual = jsonType(value);
  const ok = wanted.some((w) => w === actual || (w === "number" && actual === "integer"));
  if (!ok) scope.error("type", `expected ${wanted.join(" or ")}, got ${actual}`);
}

function combinators(
  schema: Readonly<Record<string, unknown>>,
  value: unknown,
  scope: Scope,
): void {
  const list = (k: string): readonly unknown[] | undefined => {
    const v = schema[k];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.length > 0) return v;
    scope.error(k, `schema error: ${k} must be a non-empty array`);
    return undefined;
  };
  for (const s of list("allOf") ?? []) scope.child(s, value);
  const anyOf = list("anyOf");
  if (anyOf && !anyOf.some((s) => scope.matches(s, value))) {
    scope.error("anyOf", `matches none of the ${anyOf.length} anyOf schemas`);
  }
  const oneOf = list("oneOf");
  if (oneOf) {
    const n = oneOf.filter((s) => scope.matches(s, value)).length;
    if (n !== 1) scope.error("oneOf", `matches ${n} of the oneOf schemas (exactly one required)`);
  }
  if (schema.not !== undefined && scope.matches(schema.not, value)) {
    scope.error("not", "must not match the 'not' schema");
  }
}

/** One JSON Pointer token, URI-decoded (refs are URI fragments) then `~1`/`~0`-unescaped. */
function unescapePointer(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
  } catch {
    return undefined;
  }
}

function hasKey(target: unknown, key: string): boolean {
  return (isJsonObject(target) || Array.isArray(target)) && Object.hasOwn(target, key);
}

/** How many values `v` holds, itself included (bounded work: stops counting at a million). */
function countNodes(v: unknown): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length > 0 && n < 1_000_000) {
    const x = stack.pop();
    n++;
    if (Array.isArray(x)) stack.push(...x);
    else if (isJsonObject(x)) stack.push(...Object.values(x));
  }
  return n;
}
