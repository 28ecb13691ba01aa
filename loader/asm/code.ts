/**
 * The Code chunk's instruction stream: each function's forms lowered to
 * generic instructions, checked against the opcode table (name and operand
 * count), and encoded as the opcode byte followed by its compact operands.
 * Labels are checked here too — each defined once, within the `{labels,N}`
 * count, and every `{f,L}` naming a defined label — so a bad listing fails
 * with the form at fault rather than as a loader error later.
 */
import { formatPSingleLine, type Term } from "../../terms/index.ts";
import { OP, OPCODES } from "../opcodes.ts";
import type { AsmDict, FunctionEntry } from "./dict.ts";
import { AsmError } from "./errors.ts";
import { isOpName, type LowerContext, lower } from "./instructions.ts";
import type { Listing } from "./listing.ts";
import { encodeOperand, OperandError } from "./operands.ts";
import { isTagged, smallNat } from "./terms.ts";

/** Where a form came from, for errors. */
interface At {
  readonly line: number;
  readonly term: Term;
}

/**
 * Encodes all functions; `onLoad` names the function (arity 0) that gets the
 * `on_load` instruction after its entry label, as beam_asm inserts it.
 */
export function encodeCode(
  listing: Listing,
  dict: AsmDict,
  file: string,
  onLoad: string | null,
): Uint8Array {
  const fail: (msg: string, at?: At) => never = (msg, at) => {
    throw new AsmError(msg, file, at?.line ?? 0, at ? formatPSingleLine(at.term) : "");
  };
  const functionAt = new Map<number, FunctionEntry>();
  for (const f of listing.functions) functionAt.set(f.entry, f);
  const ctx: LowerContext = { dict, functionAt };
  const exported = new Set(listing.exports.map((e) => `${e.name}/${e.arity}`));
  const defined = new Map<number, At>();
  const uses: [number, At][] = [];
  const out: number[] = [];

  const emit = (name: string, args: readonly Term[], at: At): void => {
    if (!isOpName(name, OP)) fail(`unknown instruction ${name}`, at);
    const info = OPCODES[OP[name]]!;
    if (args.length !== info.arity)
      fail(`${name} takes ${info.arity} operand(s), not ${args.length}`, at);
    dict.opcode(info.number);
    out.push(info.number);
    try {
      for (const a of args) out.push(...encodeOperand(dict, a));
    } catch (e) {
      if (e instanceof OperandError) fail(e.message, at);
      throw e;
    }
    for (const l of dict.labelUses) uses.push([l, at]);
    dict.labelUses = [];
  };

  for (const fn of listing.functions) {
    dict.function(fn, exported.has(`${fn.name}/${fn.arity}`));
    for (const form of fn.body) {
      const at: At = form;
      let lowered: ReturnType<typeof lower>;
      try {
        lowered = lower(ctx, form.term);
      } catch (e) {
        if (e instanceof OperandError) fail(e.message, at);
        throw e;
      }
      if (lowered === null) continue;
      if (isTagged(form.term, "label", 2)) {
        const n = smallNat(form.term[1]!);
        if (n === null || n === 0 || n >= listing.labelCount)
          fail(
            `label must be in 1..${listing.labelCount - 1} ({labels, ${listing.labelCount}})`,
            at,
          );
        if (defined.has(n))
          fail(`label ${n} is defined twice (first at line ${defined.get(n)!.line})`, at);
        defined.set(n, at);
        emit(lowered.name, lowered.args, at);
        if (n === fn.entry && onLoad === fn.name && fn.arity === 0) emit("on_load", [], at);
        continue;
      }
      emit(lowered.name, lowered.args, at);
    }
  }
  emit("int_code_end", [], { line: 0, term: [] });

  for (const fn of listing.functions) {
    if (!defined.has(fn.entry))
      fail(`entry label ${fn.entry} of ${fn.name}/${fn.arity} is not defined`, {
        line: fn.line,
        term: [],
      });
  }
  for (const [l, at] of uses) if (l !== 0 && !defined.has(l)) fail(`label ${l} is not defined`, at);
  return Uint8Array.from(out);
}
