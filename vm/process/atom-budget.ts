/**
 * Per-process-tree atom budgets. The atom table is global and never shrinks,
 * so code that turns data into atoms (`list_to_atom/1` in a loop) could fill
 * it for everyone. A VM created with `atomBudget` gives every process the host
 * spawns (a workflow's root process) a budget of new atoms that its
 * descendants share; creating one more raises `system_limit` in the process
 * that tried. Atoms that already exist are free: only growth of the table is
 * charged.
 */

import { type Atom, atom, atomCount, atomFits, existingAtom } from "../../terms/atom.ts";
import { systemLimit } from "../errors.ts";
import type { Process } from "./process.ts";

/** How many new atoms a process tree may still create. */
export class AtomBudget {
  constructor(
    /** The budget the tree started with. */
    readonly limit: number,
    /** New atoms it may still create. */
    public remaining = limit,
  ) {}
}

/**
 * Charges `count` atoms already added to the table (by a decoder that cannot
 * check first, e.g. `binary_to_term/1`); `system_limit` once over budget.
 */
export function chargeNewAtoms(p: Process, count: number): void {
  const b = p.atomBudget;
  if (b === null || count <= 0) return;
  b.remaining -= count;
  if (b.remaining < 0) {
    b.remaining = 0;
    systemLimit();
  }
}

/**
 * The atom named `name` on behalf of `p`: `system_limit` if the name is too
 * long, the table is full, or the atom is new and `p`'s tree has no budget left.
 */
export function atomFor(p: Process, name: string): Atom {
  if (!atomFits(name)) systemLimit();
  if (p.atomBudget !== null && existingAtom(name) === undefined) {
    if (p.atomBudget.remaining <= 0) systemLimit();
    p.atomBudget.remaining--;
  }
  return atom(name);
}

/** Runs `f` and charges `p` for every atom it added to the table. */
export function chargingAtoms<T>(p: Process, f: () => T): T {
  if (p.atomBudget === null) return f();
  const before = atomCount();
  const r = f();
  chargeNewAtoms(p, atomCount() - before);
  return r;
}
