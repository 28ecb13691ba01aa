/**
 * One instruction as the term `erlc -S` prints for it.
 *
 * The compiler's assembler (beam_asm) rewrites a few assembly forms into
 * opcodes; this undoes those rewrites where the encoding keeps the
 * information: type tests print as `{test,Op,Fail,Args}` (or with Live and
 * Dst for the binary-matching tests that take them), BIF opcodes as
 * `{bif,...}`/`{gc_bif,...}`, float arithmetic as `{bif,fadd,...}`, fun-table
 * operands as the fun's `{f,Label}` with its index fields, string-table
 * offsets as `{string,Bytes}`, line indices as `[{location,File,Line}]`, and
 * binary field flags as `{field_flags,Bits}` (the bits, since the encoding
 * drops the names of default flags). docs/loader.md lists the differences
 * that remain.
 */
import { atom, listFromArray, NIL, type Term } from "../terms/index.ts";
import { locationTerm, operandTerm } from "./disasm-operand.ts";
import type { BeamModule, Instr, Operand } from "./module.ts";
import { OP, OPCODES, type OpName } from "./opcodes.ts";

/** Opcodes `-S` writes as `{test,Name,Fail,[Args]}`. */
const TESTS = new Set<OpName>([
  "is_lt",
  "is_ge",
  "is_eq",
  "is_ne",
  "is_eq_exact",
  "is_ne_exact",
  "is_integer",
  "is_float",
  "is_number",
  "is_atom",
  "is_pid",
  "is_reference",
  "is_port",
  "is_nil",
  "is_binary",
  "is_constant",
  "is_list",
  "is_nonempty_list",
  "is_tuple",
  "test_arity",
  "is_function",
  "is_boolean",
  "is_function2",
  "bs_skip_bits2",
  "bs_test_tail2",
  "is_bitstr",
  "bs_test_unit",
  "bs_match_string",
  "bs_skip_utf8",
  "bs_skip_utf16",
  "bs_skip_utf32",
  "is_map",
  "has_map_fields",
  "is_tagged_tuple",
]);

/** Tests written `{test,Name,Fail,Live,[Arg|Args],Dst}`, encoded Fail, Arg, Live, Args..., Dst. */
const LIVE_TESTS = new Set<OpName>([
  "bs_start_match2",
  "bs_start_match3",
  "bs_get_integer2",
  "bs_get_float2",
  "bs_get_binary2",
  "bs_get_utf8",
  "bs_get_utf16",
  "bs_get_utf32",
]);

/** Position of the binary field-flags operand. */
const FLAGS_ARG: Partial<Record<OpName, number>> = {
  bs_get_integer2: 5,
  bs_get_float2: 5,
  bs_get_binary2: 5,
  bs_skip_bits2: 4,
  bs_get_utf8: 3,
  bs_get_utf16: 3,
  bs_get_utf32: 3,
  bs_skip_utf8: 3,
  bs_skip_utf16: 3,
  bs_skip_utf32: 3,
  bs_put_integer: 3,
  bs_put_binary: 3,
  bs_put_float: 3,
  bs_put_utf8: 1,
  bs_put_utf16: 1,
  bs_put_utf32: 1,
  bs_init2: 4,
  bs_init_bits: 4,
  bs_append: 6,
  bs_private_append: 4,
};

const FLOAT_OPS = new Set<number>([OP.fadd, OP.fsub, OP.fmul, OP.fdiv, OP.fnegate]);

const A_TEST = atom("test");
const A_BIF = atom("bif");
const A_GC_BIF = atom("gc_bif");
const A_F = atom("f");
const A_X = atom("x");
const A_RAISE = atom("raise");
const A_FIELD_FLAGS = atom("field_flags");
const A_COMMANDS = atom("commands");

/** The -S term for `ins` (an atom for operand-less instructions). */
export function instructionTerm(m: BeamModule, ins: Instr): Term {
  const info = OPCODES[ins.op]!;
  const name = atom(info.name);
  const raw = ins.args;
  const t = (a: Operand) => operandTerm(m, a);
  const args: Term[] = raw.map(t);
  const flags = FLAGS_ARG[info.name];
  if (flags !== undefined && raw[flags]?.kind === "u") args[flags] = [A_FIELD_FLAGS, args[flags]!];
  const list = (xs: Term[]) => listFromArray(xs);

  if (TESTS.has(info.name)) {
    if (info.name === "has_map_fields" && raw[2]?.kind === "list") {
      return [A_TEST, name, args[0]!, args[1]!, args[2]!];
    }
    return [A_TEST, name, args[0]!, list(args.slice(1))];
  }
  if (LIVE_TESTS.has(info.name)) {
    const [fail, first, live, ...rest] = args;
    const dst = rest.pop()!;
    return [A_TEST, name, fail!, live!, list([first!, ...rest]), dst];
  }
  if (FLOAT_OPS.has(ins.op)) {
    const dst = args.pop()!;
    const [fail, ...ops] = args;
    return [A_BIF, name, fail!, list(ops), dst];
  }
  switch (ins.op) {
    case OP.bif0:
      return [A_BIF, bifName(raw[0]!), [A_F, 0], NIL, args[1]!];
    case OP.bif1:
    case OP.bif2:
    case OP.bif3:
      return [A_BIF, bifName(raw[1]!), args[0]!, list(args.slice(2, -1)), args.at(-1)!];
    case OP.gc_bif1:
    case OP.gc_bif2:
    case OP.gc_bif3:
      return [
        A_GC_BIF,
        bifName(raw[2]!),
        args[0]!,
        args[1]!,
        list(args.slice(3, -1)),
        args.at(-1)!,
      ];
    case OP.raise:
      // -S writes {bif,raise,{f,0},[Class,Reason],{x,0}}; the opcode keeps only the sources.
      return [A_BIF, A_RAISE, [A_F, 0], list(args), [A_X, 0]];
    case OP.bs_add:
      return [name, args[0]!, list([args[1]!, args[2]!, args[3]!]), args[4]!];
    case OP.make_fun2:
    case OP.make_fun3: {
      const f = raw[0]!;
      if (f.kind !== "lambda") break;
      const head: Term[] = [name, args[0]!, f.fun.index, f.fun.oldUniq];
      if (ins.op === OP.make_fun2) return [...head, f.fun.numFree];
      return [...head, ...args.slice(1)];
    }
    case OP.bs_match: {
      const cmds = raw[2]?.kind === "list" ? bsMatchCommands(m, raw[2].items) : null;
      if (cmds !== null) return [name, args[0]!, args[1]!, [A_COMMANDS, cmds]];
      break;
    }
    case OP.line:
      return [name, lineArg(m, raw[0]!)];
    case OP.executable_line:
      return [name, lineArg(m, raw[0]!), args[1]!];
    case OP.debug_line:
      return [name, args[0]!, lineArg(m, raw[1]!), args[2]!, args[3]!];
  }
  return args.length === 0 ? name : [name, ...args];
}

/** Operands after each bs_match command name (genop.tab's bs_match/3). */
const BS_MATCH_ARITY: Record<string, number> = {
  ensure_at_least: 2,
  ensure_exactly: 1,
  binary: 5,
  integer: 5,
  skip: 1,
  get_tail: 3,
  "=:=": 3,
};

/**
 * bs_match's flat command list regrouped as `-S` writes it, e.g.
 * `[{ensure_at_least,8,1},{integer,2,{literal,[]},8,1,{x,1}}]`; null if the
 * list does not parse as commands (then the raw list is printed).
 */
function bsMatchCommands(m: BeamModule, items: readonly Operand[]): Term | null {
  const out: Term[] = [];
  for (let i = 0; i < items.length; ) {
    const head = items[i]!;
    const n = head.kind === "atom" ? BS_MATCH_ARITY[head.value.name] : undefined;
    if (head.kind !== "atom" || n === undefined || i + 1 + n > items.length) return null;
    out.push([head.value, ...items.slice(i + 1, i + 1 + n).map((a) => operandTerm(m, a))]);
    i += 1 + n;
  }
  return listFromArray(out);
}

function bifName(a: Operand): Term {
  return a.kind === "import" ? a.mfa.name : atom("?");
}

function lineArg(m: BeamModule, a: Operand): Term {
  return a.kind === "u" ? locationTerm(m, a.value) : NIL;
}
