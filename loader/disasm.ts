/**
 * A disassembler printing a loaded module in the layout of `erlc -S`:
 *
 *   {module, m}.  %% version = 0
 *   {exports, [...]}.
 *   {attributes, [...]}.
 *   {labels, N}.
 *   {function, Name, Arity, Entry}.
 *     {label,1}.
 *       {func_info,{atom,m},{atom,f},1}.
 *     ...
 *
 * Each instruction is printed on one line (`-S` wraps long ones); local calls
 * get `-S`'s `% name/arity` comment.
 */
import { formatAtom, formatPSingleLine, type Term } from "../terms/index.ts";
import { instructionTerm } from "./disasm-instr.ts";
import type { BeamModule, FunctionRef, Instr } from "./module.ts";
import { OP } from "./opcodes.ts";

export { instructionTerm };

/** One instruction as `-S` text, without the trailing `.`. */
export function formatInstruction(m: BeamModule, ins: Instr): string {
  return formatTerm(instructionTerm(m, ins));
}

/** A term as `-S` prints it (`~p` layout on one line). */
export function formatTerm(t: Term): string {
  return formatPSingleLine(t);
}

/** The whole module as `-S`-style text. */
export function disassemble(m: BeamModule): string {
  const out: string[] = [];
  out.push(`{module, ${formatAtom(m.name.name)}}.  %% version = ${m.codeHeader.format}`, "");
  const exports = [...m.exports]
    .sort(byNameArity)
    .map((e) => `{${formatAtom(e.name.name)},${e.arity}}`);
  out.push(`{exports, [${exports.join(",")}]}.`, "");
  out.push(`{attributes, ${formatTerm(m.attributes)}}.`, "");
  out.push(`{labels, ${m.codeHeader.labelCount}}.`, "");
  const fnAt = new Map<number, string>();
  for (const f of m.functions) fnAt.set(f.label, `${formatAtom(f.name.name)}/${f.arity}`);
  for (const f of m.functions) {
    out.push("", `{function, ${formatAtom(f.name.name)}, ${f.arity}, ${f.label}}.`);
    for (let i = f.start; i < f.end; i++) {
      const ins = m.code[i]!;
      const indent = ins.op === OP.label ? "  " : "    ";
      out.push(`${indent}${formatInstruction(m, ins)}.${callComment(ins, fnAt)}`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

function callComment(ins: Instr, fnAt: Map<number, string>): string {
  if (ins.op !== OP.call && ins.op !== OP.call_only && ins.op !== OP.call_last) return "";
  const target = ins.args[1];
  if (target?.kind !== "f") return "";
  const name = fnAt.get(target.label);
  return name === undefined ? "" : ` % ${name}`;
}

function byNameArity(a: FunctionRef, b: FunctionRef): number {
  if (a.name !== b.name) return a.name.name < b.name.name ? -1 : 1;
  return a.arity - b.arity;
}
