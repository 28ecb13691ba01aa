/**
 * The meta-schema check over a whole manifest: every workflow's input and
 * output schema, each problem named by its manifest field, so the package
 * command and the deploy layer can refuse a package with one clear message.
 */
import { formatSchemaProblem, type SchemaProblem, schemaProblems } from "./meta-schema.ts";

/** A meta-schema problem in one schema field of a manifest. */
export interface ManifestSchemaProblem extends SchemaProblem {
  /** The manifest field holding the schema: `input_schema`, `additional_workflows[1].output_schema`... */
  readonly field: string;
}

/** The schema-bearing part of a manifest (or of a manifest draft). */
export interface SchemaFields {
  readonly input_schema: unknown;
  readonly output_schema: unknown;
  readonly additional_workflows?: readonly {
    readonly input_schema: unknown;
    readonly output_schema: unknown;
  }[];
}

/** Every schema problem in `manifest`, in field order; empty when all schemas are valid. */
export function manifestSchemaProblems(manifest: SchemaFields): ManifestSchemaProblem[] {
  const fields: [string, unknown][] = [
    ["input_schema", manifest.input_schema],
    ["output_schema", manifest.output_schema],
  ];
  (manifest.additional_workflows ?? []).forEach((w, i) => {
    fields.push([`additional_workflows[${i}].input_schema`, w.input_schema]);
    fields.push([`additional_workflows[${i}].output_schema`, w.output_schema]);
  });
  return fields.flatMap(([field, schema]) => schemaProblems(schema).map((p) => ({ field, ...p })));
}

/**
 * The problems for a message, `; `-separated:
 * `input_schema: keyword "type" at #/type: unknown type "objekt" (...)`.
 */
export function describeSchemaProblems(problems: readonly ManifestSchemaProblem[]): string {
  return problems.map((p) => `${p.field}: ${formatSchemaProblem(p)}`).join("; ");
}
