/**
 * A module as it lives in a VM, and its local funs: the result of loading
 * (interp/load.ts), kept beside the code area it was placed in. Here, not in
 * interp/, so the machine's contract (machine.ts) can name loaded modules
 * without depending on the instruction compilers.
 */
import type { BeamModule } from "../../loader/module.ts";
import type { Atom } from "../../terms/atom.ts";

/** A local fun of a loaded module (FunT entry) and where its body starts. */
export interface LocalFunInfo {
  readonly name: Atom;
  readonly arity: number;
  readonly index: number;
  readonly numFree: number;
  readonly oldUniq: number;
  /** Entry pc, known once the module's labels are placed. */
  pc: number;
}

/** A module as it lives in a VM. */
export interface LoadedModule {
  readonly name: Atom;
  readonly beam: BeamModule;
  readonly funs: readonly LocalFunInfo[];
  /** Instruction compile problems (unsupported opcodes), if any. */
  readonly unsupported: readonly string[];
}
