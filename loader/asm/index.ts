/**
 * The project's BEAM assembler: `erlc -S` listings (hand-written or not) to
 * .beam files. See docs/assembler.md.
 */
export { type AsmOptions, assemble } from "./assemble.ts";
export { AsmError } from "./errors.ts";
export { readListingForms, type SourceForm } from "./sreader.ts";
