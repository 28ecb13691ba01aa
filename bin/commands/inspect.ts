/**
 * `aion inspect FILE.beam`: what a .beam file holds — its chunks, attributes,
 * compile info, imports, exports, funs — followed by the disassembly.
 */
import { disassemble, LoadError, loadBeam } from "../../loader/index.ts";
import type { BeamModule } from "../../loader/module.ts";
import { formatAtom, formatPSingleLine } from "../../terms/index.ts";
import { expectPositionals } from "../cli/args.ts";
import { plainCommand } from "../cli/plain-command.ts";

const USAGE = `usage: aion inspect [--no-disasm] FILE.beam...

Shows each .beam file's chunks, attributes, compile info, imports, exports
and funs, then its disassembly (unless --no-disasm).`;

/** The report for one module, as text. */
export function describeModule(m: BeamModule, withDisasm = true): string {
  const out: string[] = [];
  const fa = (name: string, arity: number) => `${formatAtom(name)}/${arity}`;
  out.push(`module ${formatAtom(m.name.name)} (${m.file})`, "", "chunks:");
  for (const c of m.chunks)
    out.push(
      `  ${JSON.stringify(c.id).slice(1, -1).padEnd(6)} ${String(c.size).padStart(8)} bytes at ${c.offset}`,
    );
  const h = m.codeHeader;
  out.push(
    "",
    `code: instruction set ${h.format}, max opcode ${h.maxOpcode}, ${h.labelCount} labels, ` +
      `${h.functionCount} functions, ${m.code.length} instructions`,
    `atoms: ${m.atoms.length}, literals: ${m.literals.length}, string table: ${m.strings.length} bytes`,
  );
  if (m.lines)
    out.push(`lines: ${m.lines.items.length - 1} locations in ${m.lines.files.length} file(s)`);
  if (m.types) out.push(`types: ${m.types.count} (version ${m.types.version})`);
  out.push(
    "",
    `attributes: ${formatPSingleLine(m.attributes)}`,
    `compile info: ${formatPSingleLine(m.compileInfo)}`,
  );
  out.push("", `imports (${m.imports.length}):`);
  for (const i of m.imports) out.push(`  ${formatAtom(i.module.name)}:${fa(i.name.name, i.arity)}`);
  out.push("", `exports (${m.exports.length}):`);
  for (const e of m.exports) out.push(`  ${fa(e.name.name, e.arity).padEnd(32)} label ${e.label}`);
  if (m.funs.length > 0) {
    out.push("", `funs (${m.funs.length}):`);
    for (const f of m.funs) {
      out.push(
        `  ${String(f.index).padStart(3)} ${fa(f.name.name, f.arity).padEnd(32)} label ${f.label}, ${f.numFree} free`,
      );
    }
  }
  if (withDisasm) out.push("", "disassembly:", "", disassemble(m));
  return out.join("\n");
}

export const command = plainCommand(
  "inspect",
  "show a .beam file's chunks, tables and disassembly",
  USAGE,
  { "no-disasm": "flag" },
  async (p) => {
    const files = expectPositionals(p, 1, Number.POSITIVE_INFINITY, ["FILE.beam"]);
    const withDisasm = !p.flags.has("no-disasm");
    let status = 0;
    for (const file of files) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await Bun.file(file).arrayBuffer());
      } catch (e) {
        console.error(`aion inspect: cannot read ${file}: ${(e as Error).message}`);
        status = 1;
        continue;
      }
      try {
        console.log(describeModule(loadBeam(bytes, file), withDisasm));
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
        console.error(String(e));
        status = 1;
      }
    }
    return status;
  },
);
