/**
 * The export table: one entry per `{M, F, A}` ever referred to. Call sites hold
 * the entry itself, so loading a module later (or a native registered later)
 * is picked up by every caller without relinking, like BEAM's export entries.
 */

import { type Atom, atom } from "../../terms/atom.ts";
import type { ControlFn, NativeFn } from "../native.ts";

export class ExportEntry {
  /** Entry instruction index when implemented in bytecode, else -1. */
  pc = -1;
  native: NativeFn | null = null;
  control: ControlFn | null = null;
  /** Set when the VM's sandbox put a refusal in `native` (see vm/sandbox.ts). */
  refused = false;
  constructor(
    readonly module: Atom,
    readonly name: Atom,
    readonly arity: number,
  ) {}
  get isDefined(): boolean {
    return this.pc >= 0 || this.native !== null || this.control !== null;
  }
}

export class ExportTable {
  private entries = new Map<string, ExportEntry>();
  /** Runs once on each new entry (the sandbox refuses denied MFAs here, at link time). */
  onCreate: ((e: ExportEntry) => void) | null = null;

  /** The entry for M:F/A, created empty if unknown. */
  get(module: Atom, name: Atom, arity: number): ExportEntry {
    const key = `${module.name}\0${name.name}\0${arity}`;
    let e = this.entries.get(key);
    if (e === undefined) {
      e = new ExportEntry(module, name, arity);
      this.entries.set(key, e);
      this.onCreate?.(e);
    }
    return e;
  }

  lookup(module: string, name: string, arity: number): ExportEntry {
    return this.get(atom(module), atom(name), arity);
  }

  /** Entries of one module (for `module_info(exports)` of natives). */
  ofModule(module: Atom): ExportEntry[] {
    return [...this.entries.values()].filter((e) => e.module === module && e.isDefined);
  }
}
