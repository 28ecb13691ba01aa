/**
 * The BEAM file loader: `loadBeam` turns .beam bytes into a {@link BeamModule}
 * of pre-decoded instructions; `disassemble` prints one like `erlc -S`.
 * See docs/loader.md.
 */
export { disassemble, formatInstruction, formatTerm, instructionTerm } from "./disasm.ts";
export { LoadError } from "./errors.ts";
export { type CodeView, codeView } from "./lazy-code.ts";
export { type LoadOptions, loadBeam } from "./load.ts";
export type * from "./module.ts";
export { MAX_OPCODE, OP, OPCODES, type OpcodeInfo, type OpName, opcodeInfo } from "./opcodes.ts";
