/**
 * Assembly forms to generic instructions: the rewrites beam_asm's `make_op/2`
 * applies before encoding. Most forms are already `{Name,Operands...}` of a
 * generic opcode; these are not:
 *
 *   {line,Locs}                      line with a Line-chunk index
 *   {executable_line,Locs,N}         (OTP 27) likewise
 *   {debug_line,Kind,Locs,N,Live[,Info]}  (OTP 28) likewise; Info is not encoded
 *   {bif,Name,Fail,Args,Dst}         bif0/bif1/bif2/bif3 with an import, or
 *                                    fadd/fsub/fmul/fdiv/fnegate, or raise
 *   {gc_bif,Name,Fail,Live,Args,Dst} gc_bif1/2/3 with an import
 *   {test,Op,Fail,Args}              Op with Fail then Args
 *   {test,Op,Fail,Src,{list,L}}      Op Fail Src {list,L}  (has_map_fields)
 *   {test,Op,Fail,Live,[A|As],Dst}   Op Fail A Live As... Dst (bs_start_match3...)
 *   {bs_add,Fail,[A,B,Unit],Dst}     bs_add Fail A B Unit Dst
 *   {make_fun2,{f,L},_,_,NumFree}    make_fun2 with a fun-table index
 *   {make_fun3,{f,L},_,_,Dst,Env}    make_fun3 with a fun-table index
 *   {call_fun2,{f,L},Arity,Fun}      call_fun2 with a fun-table index
 *   {kill,Y}                         init Y
 *   {'%',_}                          nothing (an annotation)
 *   Name (an atom)                   an instruction without operands
 */
import { Atom, atom, type Term } from "../../terms/index.ts";
import type { OpName } from "../opcodes.ts";
import type { AsmDict, FunctionEntry } from "./dict.ts";
import { OperandError } from "./operands.ts";
import { atomName, charList, isTagged, properList, smallNat } from "./terms.ts";

/** A generic instruction by name, with operand forms still to encode. */
export interface Lowered {
  readonly name: string;
  readonly args: Term[];
}

/** What the rewrites need besides the tables. */
export interface LowerContext {
  readonly dict: AsmDict;
  /** Functions by entry label, for fun-table rows. */
  readonly functionAt: ReadonlyMap<number, FunctionEntry>;
}

const FLOAT_BIFS = new Set(["fadd", "fsub", "fmul", "fdiv", "fnegate"]);

function bad(msg: string): never {
  throw new OperandError(msg);
}

function list(t: Term, what: string): Term[] {
  return properList(t) ?? bad(`${what} must be a proper list`);
}

/** The first `{location,File,Line}` of a location list, or null for none. */
export function location(t: Term): { file: string; line: number } | null {
  for (const item of list(t, "a location list")) {
    if (!isTagged(item, "location", 3)) continue;
    const file = charList(item[1]!);
    const line = smallNat(item[2]!);
    if (file === null || line === null) bad('a location is {location,"File",Line}');
    return { file, line };
  }
  return null;
}

/** The fun-table index for the fun at `{f,L}`, with `numFree` free variables. */
function lambda(ctx: LowerContext, f: Term, numFree: number): number {
  const label = isTagged(f, "f", 2) ? smallNat(f[1]!) : null;
  if (label === null) bad("a fun is named by {f,Label}");
  if (!ctx.functionAt.has(label)) bad(`no function has entry label ${label}`);
  if (numFree < 0) bad("a fun cannot have a negative number of free variables");
  return ctx.dict.lambda(label, numFree);
}

function bif(t: Term[]): Lowered {
  const [, nameT, fail, argsT, dst] = t;
  const name = atomName(nameT!) ?? bad("a BIF name must be an atom");
  const args = list(argsT!, "BIF arguments");
  if (args.length === 0)
    return { name: "bif0", args: [[atom("extfunc"), atom("erlang"), nameT!, 0], dst!] };
  if (name === "raise" && args.length === 2) return { name: "raise", args };
  if (FLOAT_BIFS.has(name)) return { name, args: [fail!, ...args, dst!] };
  if (args.length > 3) bad(`a BIF takes at most 3 arguments, not ${args.length}`);
  const ext: Term = [atom("extfunc"), atom("erlang"), nameT!, args.length];
  return { name: `bif${args.length}`, args: [fail!, ext, ...args, dst!] };
}

function gcBif(t: Term[]): Lowered {
  const [, nameT, fail, live, argsT, dst] = t;
  if (atomName(nameT!) === null) bad("a BIF name must be an atom");
  const args = list(argsT!, "BIF arguments");
  if (args.length < 1 || args.length > 3) bad(`gc_bif takes 1 to 3 arguments, not ${args.length}`);
  const ext: Term = [atom("extfunc"), atom("erlang"), nameT!, args.length];
  return { name: `gc_bif${args.length}`, args: [fail!, live!, ext, ...args, dst!] };
}

function test(t: Term[]): Lowered {
  const name = atomName(t[1]!) ?? bad("a test name must be an atom");
  if (t.length === 4) return { name, args: [t[2]!, ...list(t[3]!, "test arguments")] };
  if (t.length === 5 && isTagged(t[4]!, "list", 2)) return { name, args: [t[2]!, t[3]!, t[4]!] };
  if (t.length === 6) {
    const [first, ...rest] = list(t[4]!, "test arguments");
    if (first === undefined) bad("this test needs at least one argument");
    return { name, args: [t[2]!, first, t[3]!, ...rest, t[5]!] };
  }
  return bad(
    "a test is {test,Op,Fail,Args}, {test,Op,Fail,Src,{list,L}} or {test,Op,Fail,Live,Args,Dst}",
  );
}

/** Rewrites one form; null for forms that encode nothing. */
export function lower(ctx: LowerContext, form: Term): Lowered | null {
  if (form instanceof Atom) return { name: form.name, args: [] };
  if (!Array.isArray(form) || form.length === 0 || !(form[0] instanceof Atom))
    return bad("an instruction is an atom or a tuple starting with its name");
  const t = form;
  const head = form[0].name;
  const dict = ctx.dict;
  switch (`${head}/${t.length}`) {
    case "%/2":
      return null;
    case "line/2":
      return { name: "line", args: [dict.line(location(t[1]!))] };
    case "executable_line/3":
      return { name: "executable_line", args: [dict.line(location(t[1]!), false), t[2]!] };
    case "debug_line/5":
    case "debug_line/6":
      return { name: "debug_line", args: [t[1]!, dict.line(location(t[2]!), false), t[3]!, t[4]!] };
    case "bif/5":
      return bif(t);
    case "gc_bif/6":
      return gcBif(t);
    case "test/4":
    case "test/5":
    case "test/6":
      return test(t);
    case "bs_add/4": {
      const srcs = list(t[2]!, "bs_add sources");
      if (srcs.length !== 3) bad("bs_add takes [Src1,Src2,Unit]");
      return { name: "bs_add", args: [t[1]!, ...srcs, t[3]!] };
    }
    case "make_fun2/5":
      return {
        name: "make_fun2",
        args: [lambda(ctx, t[1]!, smallNat(t[4]!) ?? bad("NumFree must be an integer"))],
      };
    case "make_fun3/6": {
      const env = isTagged(t[5]!, "list", 2)
        ? list(t[5][1]!, "fun environment")
        : bad("make_fun3's environment is {list,[...]}");
      return { name: "make_fun3", args: [lambda(ctx, t[1]!, env.length), t[4]!, t[5]!] };
    }
    case "call_fun2/4": {
      if (!isTagged(t[1]!, "f", 2)) break;
      const label = smallNat(t[1][1]!) ?? -1;
      const target = ctx.functionAt.get(label) ?? bad(`no function has entry label ${label}`);
      const arity = smallNat(t[2]!) ?? bad("call_fun2's arity must be an integer");
      return { name: "call_fun2", args: [lambda(ctx, t[1]!, target.arity - arity), t[2]!, t[3]!] };
    }
    case "kill/2":
      return { name: "init", args: [t[1]!] };
  }
  return { name: head, args: t.slice(1) };
}

/** Type guard used by the encoder after checking the opcode table. */
export function isOpName(name: string, table: Readonly<Record<string, number>>): name is OpName {
  return Object.hasOwn(table, name);
}
