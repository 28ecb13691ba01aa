/**
 * Node and system queries that need no scheduler state: `node/0,1`,
 * `system_info/1` (a fixed set of keys), `unique_integer/0,1` and
 * `display/1`.
 *
 * This VM presents itself as OTP 25 on a 64-bit, single-scheduler,
 * non-distributed node (`nonode@nohost`), matching the semantics it
 * implements (e.g. `-0.0 =:= 0.0`).
 */

import { A, ATOM_TABLE_LIMIT, atom, atomCount } from "../../terms/atom.ts";
import { stringToList } from "../../terms/list.ts";
import { Cons, NIL, Pid, Port, Ref, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { ioSink } from "../lib/io-sink.ts";
import { displayText } from "./display-format.ts";

const OTP_RELEASE = "25";
const ERTS_VERSION = "13.1.5";

const MONOTONIC = atom("monotonic");
const POSITIVE = atom("positive");

/** Keys with a constant answer. */
const CONSTANT_INFO = new Map<Term, () => Term>([
  [atom("otp_release"), () => stringToList(OTP_RELEASE)],
  [atom("version"), () => stringToList(ERTS_VERSION)],
  [
    atom("system_version"),
    () => stringToList(`Erlang/OTP ${OTP_RELEASE} [erts-${ERTS_VERSION}] [aion-bun] [64-bit]\n`),
  ],
  [atom("machine"), () => stringToList("BEAM")],
  [atom("wordsize"), () => 8],
  [atom("process_limit"), () => 262144],
  [atom("port_limit"), () => 65536],
  [atom("atom_limit"), () => ATOM_TABLE_LIMIT],
  [atom("ets_limit"), () => 8192],
  [atom("context_reductions"), () => 4000],
  [atom("schedulers"), () => 1],
  [atom("schedulers_online"), () => 1],
  [atom("logical_processors"), () => 1],
  [atom("logical_processors_available"), () => 1],
  [atom("dirty_cpu_schedulers"), () => 0],
  [atom("dirty_io_schedulers"), () => 0],
  [atom("thread_pool_size"), () => 0],
  [atom("smp_support"), () => A.true],
  [atom("threads"), () => A.true],
  [atom("debug_compiled"), () => A.false],
  [atom("endian"), () => atom("little")],
  [atom("build_type"), () => atom("opt")],
  [atom("emu_flavor"), () => atom("emu")],
  [atom("heap_type"), () => atom("private")],
  [atom("time_warp_mode"), () => atom("no_time_warp")],
  [atom("creation"), () => 0],
  [atom("atom_count"), () => atomCount()],
]);

const WORDSIZE = atom("wordsize");

function systemInfo(p: Process, key: Term): Term {
  const f = CONSTANT_INFO.get(key);
  if (f !== undefined) return f();
  if (key === atom("process_count")) return p.vm.processes.size;
  // {wordsize, internal | external}
  if (Array.isArray(key) && key.length === 2 && key[0] === WORDSIZE) {
    if (key[1] === atom("internal") || key[1] === atom("external")) return 8;
  }
  return badarg();
}

/**
 * One counter per VM serves every `unique_integer` variant: it is positive
 * and strictly increasing, which satisfies all option combinations (OTP's
 * plain variant may be negative, but nothing may rely on that). Per VM, not
 * per JS process, so two VMs in one process (engines, tests) never influence
 * each other's values. Kept beside the VM in a WeakMap: it dies with it.
 */
const uniqueCounters = new WeakMap<object, { n: number }>();

function nextUnique(p: Process): number {
  let c = uniqueCounters.get(p.vm);
  if (c === undefined) {
    c = { n: 0 };
    uniqueCounters.set(p.vm, c);
  }
  return ++c.n;
}

function uniqueInteger(p: Process, opts: Term): Term {
  while (opts instanceof Cons) {
    if (opts.head !== MONOTONIC && opts.head !== POSITIVE) badarg();
    opts = opts.tail;
  }
  if (opts !== NIL) badarg();
  return nextUnique(p);
}

function nodeOf(t: Term): Term {
  if (t instanceof Pid || t instanceof Ref || t instanceof Port) return t.node ?? A.nonode;
  return badarg();
}

/** `node/0,1`, `system_info/1`, `unique_integer/0,1` and `display/1`. */
export const systemNatives: NativeModule = defineNatives("erlang", {
  "node/0": () => A.nonode,
  "node/1": (_p, t) => nodeOf(t),
  "system_info/1": systemInfo,
  "unique_integer/0": (p) => nextUnique(p),
  "unique_integer/1": (p, o) => uniqueInteger(p, o),
  // Through the VM's io sink (standard output unless a host redirects it).
  "display/1": (p, t) => {
    ioSink(p.vm).stdout(`${displayText(t)}\n`);
    return A.true;
  },
});
