/**
 * The shape of an instruction compiler: given the module context and the
 * instruction's decoded operands, build the handler closure.
 */
import type { Operand } from "../../../loader/module.ts";
import type { Handler } from "../../code/code-area.ts";
import type { CompileCtx } from "../context.ts";

export type OpCompiler = (ctx: CompileCtx, args: readonly Operand[]) => Handler;

/** Instruction compilers by opcode name (names from loader/opcodes.ts). */
export type OpTable = Record<string, OpCompiler>;
