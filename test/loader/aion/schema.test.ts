/** validateInput: each keyword, paths in errors, $ref, and malformed schemas. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { type InputError, validateInput } from "../../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

/** `path keyword` pairs, for compact assertions. */
function fails(schema: unknown, value: unknown): string[] {
  return validateInput(schema, value).map((e: InputError) => `${e.path} ${e.keyword}`);
}

describe("validateInput", () => {
  test("boolean and empty schemas", () => {
    expect(fails(true, 1)).toEqual([]);
    expect(fails({}, { a: [1] })).toEqual([]);
    expect(fails(false, 1)).toEqual(["$ false"]);
  });

  test("type", () => {
    expect(fails({ type: "integer" }, 3)).toEqual([]);
    expect(fails({ type: "integer" }, 3.5)).toEqual(["$ type"]);
    expect(fails({ type: "number" }, 3)).toEqual([]);
    expect(fails({ type: ["string", "null"] }, null)).toEqual([]);
    expect(fails({ type: "object" }, [])).toEqual(["$ type"]);
    expect(fails({ type: "array" }, {})).toEqual(["$ type"]);
    expect(validateInput({ type: "string" }, 5)[0]!.message).toBe("expected string, got integer");
    expect(fails({ type: "string" }, undefined)).toEqual(["$ type"]);
  });

  test("enum and const compare JSON structurally", () => {
    expect(fails({ enum: ["a", { b: [1] }] }, { b: [1] })).toEqual([]);
    expect(fails({ enum: ["a"] }, "b")).toEqual(["$ enum"]);
    expect(fails({ const: { x: 1, y: 2 } }, { y: 2, x: 1 })).toEqual([]);
    expect(fails({ const: [1, 2] }, [2, 1])).toEqual(["$ const"]);
    expect(fails({ const: null }, 0)).toEqual(["$ const"]);
  });

  test("numbers", () => {
    const s = { minimum: 1, maximum: 10 };
    expect(fails(s, 1)).toEqual([]);
    expect(fails(s, 0)).toEqual(["$ minimum"]);
    expect(fails(s, 11)).toEqual(["$ maximum"]);
    expect(fails({ exclusiveMinimum: 1 }, 1)).toEqual(["$ exclusiveMinimum"]);
    expect(fails({ exclusiveMaximum: 1 }, 0.5)).toEqual([]);
    expect(fails({ minimum: 1, exclusiveMinimum: true }, 1)).toEqual(["$ minimum"]);
    expect(fails({ multipleOf: 0.1 }, 0.3)).toEqual([]);
    expect(fails({ multipleOf: 2 }, 3)).toEqual(["$ multipleOf"]);
    expect(fails({ minimum: 5 }, "text")).toEqual([]);
  });

  test("strings count code points", () => {
    expect(fails({ minLength: 2 }, "😀")).toEqual(["$ minLength"]);
    expect(fails({ maxLength: 1 }, "😀")).toEqual([]);
    expect(fails({ pattern: "^[a-z]+$" }, "abc")).toEqual([]);
    expect(fails({ pattern: "^[a-z]+$" }, "aBc")).toEqual(["$ pattern"]);
    expect(fails({ pattern: "b" }, "abc")).toEqual([]); // unanchored, as specified
  });

  test("arrays: items, tuples, counts, uniqueness", () => {
    expect(fails({ items: { type: "integer" } }, [1, "x", 3, 4.5])).toEqual([
      "$[1] type",
      "$[3] type",
    ]);
    const tuple = { prefixItems: [{ type: "string" }], items: { type: "integer" } };
    expect(fails(tuple, ["a", 1, 2])).toEqual([]);
    expect(fails(tuple, [1, "a"])).toEqual(["$[0] type", "$[1] type"]);
    const old = { items: [{ type: "string" }], additionalItems: false };
    expect(fails(old, ["a", 1])).toEqual(["$[1] false"]);
    expect(fails({ minItems: 2, maxItems: 3 }, [1])).toEqual(["$ minItems"]);
    expect(fails({ minItems: 2, maxItems: 3 }, [1, 2, 3, 4])).toEqual(["$ maxItems"]);
    expect(fails({ uniqueItems: true }, [{ a: 1 }, { a: 1 }])).toEqual(["$ uniqueItems"]);
  });

  test("objects: properties, required, additionalProperties, patternProperties", () => {
    const s = {
      type: "object",
      required: ["name", "age"],
      properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
      patternProperties: { "^x-": { type: "boolean" } },
      additionalProperties: false,
    };
    expect(fails(s, { name: "a", age: 3, "x-flag": true })).toEqual([]);
    expect(fails(s, { age: -1, extra: 1, "x-flag": 1 })).toEqual([
      "$ required",
      "$.age minimum",
      "$.extra additionalProperties",
      '$["x-flag"] type',
    ]);
    expect(validateInput(s, { age: 1 })[0]!.message).toBe('missing required property "name"');
    expect(fails({ additionalProperties: { type: "string" } }, { a: "x", b: 2 })).toEqual([
      "$.b type",
    ]);
    expect(fails({ minProperties: 1 }, {})).toEqual(["$ minProperties"]);
    expect(fails({ maxProperties: 1 }, { a: 1, b: 2 })).toEqual(["$ maxProperties"]);
  });

  test("paths through nested objects and arrays", () => {
    const s = {
      properties: {
        order: {
          properties: {
            items: { items: { properties: { "unit price": { type: "number" } } } },
          },
        },
      },
    };
    const v = { order: { items: [{}, { "unit price": "9.99" }] } };
    expect(fails(s, v)).toEqual(['$.order.items[1]["unit price"] type']);
  });

  test("combinators", () => {
    const anyOf = { anyOf: [{ type: "string" }, { type: "integer" }] };
    expect(fails(anyOf, 1)).toEqual([]);
    expect(fails(anyOf, null)).toEqual(["$ anyOf"]);
    const oneOf = { oneOf: [{ type: "number" }, { type: "integer" }] };
    expect(fails(oneOf, 1.5)).toEqual([]);
    expect(fails(oneOf, 1)).toEqual(["$ oneOf"]);
    expect(validateInput(oneOf, 1)[0]!.message).toBe(
      "matches 2 of the oneOf schemas (exactly one required)",
    );
    expect(fails({ allOf: [{ minimum: 1 }, { maximum: 2 }] }, 3)).toEqual(["$ maximum"]);
    expect(fails({ not: { type: "null" } }, null)).toEqual(["$ not"]);
  });

  test("$ref to definitions, $defs, the root, and escaped pointers", () => {
    const s = {
      $defs: { pos: { type: "integer", minimum: 1 } },
      definitions: { "a/b": { type: "string" }, "c~d": { const: 1 } },
      properties: {
        n: { $ref: "#/$defs/pos" },
        s: { $ref: "#/definitions/a~1b" },
        c: { $ref: "#/definitions/c~0d" },
        child: { $ref: "#" },
      },
    };
    expect(fails(s, { n: 1, s: "x", c: 1, child: { n: 2 } })).toEqual([]);
    expect(fails(s, { n: 0, s: 1, c: 2, child: { n: "x" } })).toEqual([
      "$.n minimum",
      "$.s type",
      "$.c const",
      "$.child.n type",
    ]);
  });

  test("recursive schemas validate recursive data", () => {
    const tree = {
      $defs: {
        node: {
          type: "object",
          required: ["v"],
          properties: { v: { type: "integer" }, kids: { items: { $ref: "#/$defs/node" } } },
        },
      },
      $ref: "#/$defs/node",
    };
    expect(fails(tree, { v: 1, kids: [{ v: 2, kids: [{ v: 3 }] }] })).toEqual([]);
    expect(fails(tree, { v: 1, kids: [{ v: 2, kids: [{}] }] })).toEqual([
      "$.kids[0].kids[0] required",
    ]);
  });

  test("malformed schemas are reported, never thrown", () => {
    expect(fails({ $ref: "#" }, 1)).toEqual(["$ $ref"]); // would loop forever
    expect(fails({ anyOf: [{ $ref: "#" }, { $ref: "#" }] }, 1)).toEqual(["$ anyOf"]);
    expect(fails({ $ref: "#/nope" }, 1)).toEqual(["$ $ref"]);
    expect(fails({ $ref: "other.json#/x" }, 1)).toEqual(["$ $ref"]);
    expect(fails({ $ref: "#/%E0%A4%A" }, 1)).toEqual(["$ $ref"]);
    expect(fails({ pattern: "(" }, "x")).toEqual(["$ pattern"]);
    expect(fails({ type: "strnig" }, "x")).toEqual(["$ type"]);
    expect(fails({ anyOf: [] }, 1)).toEqual(["$ anyOf"]);
    expect(fails({ enum: "a" }, "a")).toEqual(["$ enum"]);
    expect(fails({ minLength: -1 }, "a")).toEqual(["$ minLength"]);
    expect(fails({ properties: { a: 5 } }, { a: 1 })).toEqual(["$.a schema"]);
    expect(fails(null, 1)).toEqual(["$ schema"]);
  });

  test("exponentially fanning schemas are cut off by a work budget", () => {
    const defs: Record<string, unknown> = { d40: { type: "string" } };
    for (let i = 0; i < 40; i++) {
      defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
    }
    // 2^40 paths: without the budget this would never end (the test's timeout
    // would fail it); with it, the validator gives up and says why.
    const errs = fails({ $defs: defs, $ref: "#/$defs/d0" }, 1);
    expect(errs).toContain("$ schema");
  });

  test("unknown keywords are ignored", () => {
    expect(fails({ format: "email", title: "x", description: "y" }, "not an email")).toEqual([]);
  });
});
