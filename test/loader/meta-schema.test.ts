/** The JSON Schema meta-schema check run on package schemas at `aion package` and deploy. */
import { expect, setDefaultTimeout, test } from "bun:test";
import { manifestSchemaProblems } from "../../loader/aion/schema/manifest-schemas.ts";
import { schemaProblems } from "../../loader/aion/schema/meta-schema.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const where = (s: unknown) => schemaProblems(s).map((p) => `${p.pointer} ${p.keyword}`);

test("valid schemas of every draft's shape pass", () => {
  for (const s of [
    true,
    false,
    {},
    { type: ["string", "null"], minLength: 1, pattern: "^a" },
    { type: "number", exclusiveMinimum: true, minimum: 0 }, // draft 4 boolean form
    { type: "number", exclusiveMinimum: 0, multipleOf: 0.5 },
    { type: "array", items: [{ type: "string" }], additionalItems: false }, // tuple form
    { prefixItems: [{}], items: { type: "integer" }, uniqueItems: true },
    { $defs: { a: { type: "string" } }, allOf: [{ $ref: "#/$defs/a" }] },
    { dependencies: { a: ["b"], c: { required: ["d"] } }, dependentRequired: { e: ["f"] } },
    { "x-vendor": { type: "not checked: unknown keywords are allowed" }, enum: [{ type: 1 }] },
  ]) {
    expect(schemaProblems(s)).toEqual([]);
  }
});

test("a bad type name is refused at its pointer, with the keyword named", () => {
  expect(schemaProblems({ type: "objekt" })).toEqual([
    {
      pointer: "#/type",
      keyword: "type",
      message:
        'unknown type "objekt" (expected one of null, boolean, object, array, number, integer, string)',
    },
  ]);
  expect(where({ properties: { "a/b": { type: ["string", "strin"] } } })).toEqual([
    "#/properties/a~1b/type type",
  ]);
});

test("wrongly shaped keyword values are found everywhere a schema can sit", () => {
  expect(
    where({
      required: "name",
      minLength: -1,
      maximum: "10",
      multipleOf: 0,
      anyOf: [],
      pattern: "(",
      uniqueItems: "yes",
      items: [{ type: 1 }],
      not: 5,
      patternProperties: { "[": {} },
      $defs: { x: { enum: 3 } },
      dependentRequired: { a: [1] },
    }),
  ).toEqual([
    "#/required required",
    "#/minLength minLength",
    "#/maximum maximum",
    "#/multipleOf multipleOf",
    "#/uniqueItems uniqueItems",
    "#/pattern pattern",
    "#/not not",
    "#/anyOf anyOf",
    "#/patternProperties/[ patternProperties",
    "#/$defs/x/enum enum",
    "#/items/0/type type",
    "#/dependentRequired/a dependentRequired",
  ]);
});

test("a whole manifest's problems name their field", () => {
  const problems = manifestSchemaProblems({
    input_schema: { type: "object" },
    output_schema: true,
    additional_workflows: [{ input_schema: true, output_schema: { type: "objekt" } }],
  });
  expect(problems.map((p) => `${p.field} ${p.pointer}`)).toEqual([
    "additional_workflows[0].output_schema #/type",
  ]);
});
