/**
 * `aion asm FILE.S [-o FILE.beam] [--otp28]`: assembles an `erlc -S` style
 * listing into a .beam file with loader/asm (see docs/assembler.md).
 */
import { AsmError, assemble } from "../../loader/asm/index.ts";
import type { Command } from "../command.ts";

const USAGE = "usage: aion asm [--otp28] FILE.S [-o FILE.beam]";

export const command: Command = {
  summary: "assemble an erlc -S listing into a .beam file",
  usage: USAGE,
  async run(args) {
    const otp28 = args.includes("--otp28");
    const rest = args.filter((a) => a !== "--otp28");
    const o = rest.indexOf("-o");
    const out = o >= 0 ? rest[o + 1] : undefined;
    const inputs = o >= 0 ? rest.filter((_, i) => i !== o && i !== o + 1) : rest;
    const input = inputs[0];
    if (input === undefined || inputs.length !== 1 || (o >= 0 && out === undefined)) {
      console.error(USAGE);
      return 2;
    }
    let text: string;
    try {
      text = await Bun.file(input).text();
    } catch (e) {
      console.error(`aion asm: cannot read ${input}: ${(e as Error).message}`);
      return 1;
    }
    try {
      const bytes = assemble(text, { file: input, otp28 });
      await Bun.write(out ?? input.replace(/\.S$/, "").concat(".beam"), bytes);
      return 0;
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      console.error(String(e.message));
      return 1;
    }
  },
};
