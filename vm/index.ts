/**
 * The VM's one door. Code outside `vm/` (nifs/, engine/, bin/, tests and
 * benchmarks) imports the VM only through this file, so what the rest of the
 * system may rely on is listed in one place; everything not exported here is
 * free to change. A layering test (test/layering.test.ts) enforces it.
 *
 * One line per export, grouped by who needs it. "Internal" marks exports that
 * exist for one client (named) and are not part of the embedding surface.
 */

export type { Clock, TimerHandle } from "./clock.ts"; // the injected time source
// Time: everything that waits goes through a Clock.
export { type HostTimers, hostDelay, ManualClock, SystemClock } from "./clock.ts"; // test clock, wall clock, and the wall clock's host timer rounding
export { DuplicateNativeError } from "./code/natives-registry.ts"; // a second registration of an MFA
export { erlangTimestamp } from "./crash.ts"; // the logger's report timestamp (nifs/kernel/logger.ts)
export { setVmDefaults, vmDefaults, vmDefaultsFromEnv } from "./defaults.ts"; // tier/JIT defaults, set by the edges (bin/, test setup)
export { badarg, badarith, ErlangError, HaltSignal, raiseTagged, systemLimit } from "./errors.ts"; // Erlang exceptions
export { applyTerms, invoke } from "./interp/apply.ts"; // call an Erlang function from a native
export { BsConstructError } from "./interp/bits/bs-error.ts"; // Internal: test/vm/binaries-errors.test.ts
export { readFloat, writeFloat } from "./interp/bits/float-bits.ts"; // Internal: test/vm/binaries-bits.test.ts
export { readInt, writeInt } from "./interp/bits/int-bits.ts"; // Internal: test/vm/binaries-bits.test.ts
export {
  ctxTerm,
  MatchContext,
  matchContextBitSize,
  matchContextByteSize,
} from "./interp/bits/match-context.ts"; // Internal: binary BIFs and test/vm/binaries*.test.ts
// Bit syntax helpers shared with the binary BIFs.
export { decoded, decodeUtf8 } from "./interp/bits/utf.ts"; // UTF-8 decoding as the bit syntax does it
// Instruction compilers and the JIT (tests and benchmarks).
export type { CompileCtx } from "./interp/context.ts"; // Internal: test/vm/binaries-harness.ts
export {
  appendOwners,
  clearsOwner,
  ownerAppendRegister,
} from "./interp/jit/append-owner.ts"; // Internal: test/vm/jit-append.test.ts
export { jitDebug, jitStats } from "./interp/jit/compile.ts"; // Internal: test/vm/jit.test.ts
export type { JitInstr } from "./interp/jit/emitter.ts"; // Internal: test/vm/jit-append.test.ts
export { loadModule } from "./interp/load.ts"; // pre-decoded module -> executable code
export { binaryOps } from "./interp/ops/binaries.ts"; // Internal: test/vm/binaries-harness.ts
export { reraise } from "./interp/ops/exceptions.ts"; // Internal: nifs/erlang/control.ts (erlang:raise/3)
export { COMPILERS, unknownOpNames } from "./interp/ops/index.ts"; // Internal: test/vm/opcodes.test.ts
export { sendMessage } from "./interp/send.ts"; // `!` with BEAM's semantics (names, dead pids)
export type { Machine, Tier } from "./machine.ts"; // what instructions, processes and natives see of a VM; execution tier
export type { NativeFn, NativeModule, NativeResult } from "./native.ts"; // native function shapes
// Natives (BIFs/NIFs) and the errors they raise.
export { defineNatives, Raise, SUSPEND, Trap } from "./native.ts"; // declare a native module; raise without throwing; park the caller; continue a long job
export {
  type AliasMode,
  activateAlias,
  deactivateAlias,
  demonitorAlias,
} from "./process/aliases.ts"; // process aliases (nifs/erlang/aliases.ts, monitor/3)
export { atomFor, chargingAtoms } from "./process/atom-budget.ts"; // atoms charged to a process tree's budget
export {
  heapSizeClass,
  MIN_HEAP_WORDS,
  PROCESS_OVERHEAD_BYTES,
  processHeapWords,
} from "./process/heap-size.ts"; // the heap estimate (words) behind max_heap_size and process_info
export type { MaxHeapSize } from "./process/max-heap.ts"; // a process's max_heap_size setting
export { maxHeapTerm, NO_MAX_HEAP, reserveHeap } from "./process/max-heap.ts"; // max_heap_size: term form, big-allocation check
export type { MonitorRecord } from "./process/process.ts"; // Internal: nifs/erlang/process.ts (demonitor/info)
export { Process } from "./process/process.ts"; // one Erlang process (registers, mailbox, links)
export type { Outcome, RuntimeOptions } from "./runtime.ts"; // how a process ended; runtime options
export { outcomeOf, Runtime } from "./runtime.ts"; // VM + code server + natives, ready to run MFAs
export type { ModuleRule, SandboxRules } from "./sandbox.ts"; // what a sandbox allows, per module
export { SandboxPolicy, sandboxReason } from "./sandbox.ts"; // the policy a VM enforces at link time
// Signals between processes.
export { deliverExitSignal, killProcess, ProcessKilled } from "./signals.ts"; // exit signals, kill
export { buildStacktrace } from "./stacktrace.ts"; // process_info(P, current_stacktrace)
// The machine and its processes.
export { VM } from "./vm.ts"; // a VM: load modules, spawn, run the scheduler
