/**
 * Where the pre-OTP 25 construction sequence writes: `bs_init2`,
 * `bs_init_bits`, `bs_append` and `bs_private_append` open a buffer and the
 * `bs_put_*` instructions that follow fill it at an advancing bit position.
 * Like `VM.tupleUnderConstruction` for `put_tuple`/`put`, the sequence runs
 * without a call or a reschedule in between, so one state per VM suffices.
 */
import type { Machine } from "../../machine.ts";

export class BuildState {
  buf: Uint8Array = new Uint8Array(0);
  /** Absolute bit position of the next put. */
  pos = 0;
}

const states = new WeakMap<Machine, BuildState>();

/** The VM's build state, created on first use (fetched at load time, not per instruction). */
export function buildState(vm: Machine): BuildState {
  let s = states.get(vm);
  if (s === undefined) {
    s = new BuildState();
    states.set(vm, s);
  }
  return s;
}
