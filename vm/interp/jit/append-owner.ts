/**
 * In-place appends: which appends of a generated function may grow their
 * accumulator's `BitString` instead of allocating a new one.
 *
 * `<<Acc/binary, ...>>` in a loop already writes into spare room of one
 * growing buffer (terms/binary.ts `appendGrow`), but every append still
 * allocates the 48-byte object that says where the new binary ends. On a
 * machine where fresh memory is dear (docs/jit.md) those objects are most of
 * an append loop's cold run: 100k appends touch ~1,200 fresh pages. BEAM's
 * compiler (OTP 26's `private_append`) proves the accumulator unshared and
 * lets the runtime extend it in place; OTP 25's code does not say, so the
 * generated function finds out for itself, at run time, per invocation:
 *
 * - An *owner append* is a `bs_create_bin` whose append base and destination
 *   are the same X register (`Acc` is overwritten by the result) and whose
 *   other segments do not read that register.
 * - The generated function keeps one local, `own`: the object the last owner
 *   append returned, which it allocated itself during this invocation and
 *   put in that register only. When an owner append's base is `own`, nothing
 *   else can see the object, so growing its `size` is invisible to the
 *   program; otherwise it allocates as before and the result becomes `own`.
 * - Before every instruction that could copy a reference out of an owner
 *   register (a move, building a term, a BIF argument, a call, a return, a
 *   send, anything not listed below), `own` is cleared. The check is an
 *   identity test on the object, so a register overwritten in between needs
 *   no clearing; only copies do.
 *
 * `own` is a local of one invocation of the generated function: leaving it
 * (a slow path, the end of the reductions, a deoptimisation, an exception)
 * forgets it, and the next invocation allocates afresh on its first append.
 * A tail call that stays in the function (a loop) keeps it.
 */
import type { Operand } from "../../../loader/module.ts";
import type { OpName } from "../../../loader/opcodes.ts";
import { atom } from "../../../terms/atom.ts";
import type { JitInstr } from "./emitter.ts";

const APPEND = atom("append");
const PRIVATE_APPEND = atom("private_append");

/** Whether a `bs_create_bin` segment's type operand says "append to this binary". */
export function isAppendSegment(type: Operand | undefined): boolean {
  return type?.kind === "atom" && (type.value === APPEND || type.value === PRIVATE_APPEND);
}

/**
 * How an instruction treats the owner registers when it is not an owner
 * append. `never`: it cannot copy a register's value anywhere (tests, jumps,
 * frames, reads of containers); `operands`: it reads registers only through
 * its operands, and copies only what those name. Instructions not listed
 * may read registers their operands do not name (calls, returns, sends,
 * receives, funs) and always clear `own`. Tail calls are `never`: the
 * templates compile them to a jump inside the function (or leave it), and
 * the arguments stay in their registers.
 */
const COPIES: Partial<Record<OpName, "never" | "operands">> = {
  label: "never",
  line: "never",
  executable_line: "never",
  debug_line: "never",
  jump: "never",
  select_val: "never",
  select_tuple_arity: "never",
  call_only: "never",
  call_last: "never",
  test_heap: "never",
  allocate: "never",
  allocate_heap: "never",
  allocate_zero: "never",
  allocate_heap_zero: "never",
  init: "never",
  init_yregs: "never",
  deallocate: "never",
  trim: "never",
  is_lt: "never",
  is_ge: "never",
  is_eq: "never",
  is_ne: "never",
  is_eq_exact: "never",
  is_ne_exact: "never",
  is_integer: "never",
  is_float: "never",
  is_number: "never",
  is_atom: "never",
  is_pid: "never",
  is_reference: "never",
  is_port: "never",
  is_nil: "never",
  is_binary: "never",
  is_bitstr: "never",
  is_list: "never",
  is_nonempty_list: "never",
  is_tuple: "never",
  is_map: "never",
  is_boolean: "never",
  is_function: "never",
  is_function2: "never",
  test_arity: "never",
  is_tagged_tuple: "never",
  get_list: "never",
  get_hd: "never",
  get_tl: "never",
  get_tuple_element: "never",
  bs_test_unit: "never",
  bs_test_tail2: "never",
  bs_skip_bits2: "never",
  bs_match_string: "never",
  bs_get_position: "never",
  bs_set_position: "never",
  move: "operands",
  swap: "operands",
  put_list: "operands",
  put_tuple2: "operands",
  put_map_assoc: "operands",
  put_map_exact: "operands",
  get_map_elements: "operands",
  update_record: "operands",
  bif0: "operands",
  bif1: "operands",
  bif2: "operands",
  bif3: "operands",
  gc_bif1: "operands",
  gc_bif2: "operands",
  gc_bif3: "operands",
  bs_create_bin: "operands",
  bs_start_match3: "operands",
  bs_start_match4: "operands",
  bs_get_integer2: "operands",
  bs_get_binary2: "operands",
  bs_get_tail: "operands",
  bs_match: "operands",
};

/** The X register an owner append grows, or -1 when `ins` is not one. */
export function ownerAppendRegister(ins: JitInstr): number {
  if (ins.name !== "bs_create_bin") return -1;
  const d = ins.args[4];
  const list = ins.args[5];
  if (d?.kind !== "x" || list?.kind !== "list") return -1;
  const [type, , , , base] = list.items;
  if (!isAppendSegment(type)) return -1;
  if (base?.kind !== "x" || base.n !== d.n) return -1;
  // A later segment reading the accumulator would see it grown.
  for (let i = 6; i < list.items.length; i++) if (readsX(list.items[i]!, d.n)) return -1;
  return d.n;
}

/** The registers some owner append of `instrs` grows. */
export function appendOwners(instrs: readonly JitInstr[]): Set<number> {
  const owners = new Set<number>();
  for (const ins of instrs) {
    const r = ownerAppendRegister(ins);
    if (r >= 0) owners.add(r);
  }
  return owners;
}

/** Whether `own` must be cleared before `ins` runs. */
export function clearsOwner(ins: JitInstr, owners: ReadonlySet<number>): boolean {
  if (ownerAppendRegister(ins) >= 0) return false;
  const copies = COPIES[ins.name as OpName];
  if (copies === "never") return false;
  if (copies === undefined) return true;
  for (const o of ins.args) for (const r of owners) if (readsX(o, r)) return true;
  return false;
}

function readsX(o: Operand, n: number): boolean {
  if (o.kind === "x") return o.n === n;
  if (o.kind === "list") return o.items.some((i) => readsX(i, n));
  return false;
}
