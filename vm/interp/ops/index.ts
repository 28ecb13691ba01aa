/**
 * Every instruction compiler, keyed by the opcode names of loader/opcodes.ts.
 * `checkOpTable` ties the two together so a name typo cannot go unnoticed.
 */
import { OPCODES } from "../../../loader/opcodes.ts";
import { binaryOps } from "./binaries.ts";
import { callOps } from "./calls.ts";
import { exceptionOps } from "./exceptions.ts";
import { floatOps } from "./floats.ts";
import { mapOps } from "./maps.ts";
import { moveOps } from "./moves.ts";
import { receiveOps } from "./receive.ts";
import { testOps } from "./tests.ts";
import type { OpCompiler, OpTable } from "./types.ts";

const ALL: OpTable = {
  ...moveOps,
  ...callOps,
  ...testOps,
  ...exceptionOps,
  ...receiveOps,
  ...floatOps,
  ...mapOps,
  ...binaryOps,
};

/** Compilers indexed by opcode number (undefined: not executable). */
export const COMPILERS: readonly (OpCompiler | undefined)[] = OPCODES.map((info) =>
  info ? ALL[info.name] : undefined,
);

/** Names in the compiler table that are not opcodes (must be empty). */
export function unknownOpNames(): string[] {
  const names = new Set(OPCODES.filter((o) => o).map((o) => o!.name as string));
  return Object.keys(ALL).filter((n) => !names.has(n));
}
