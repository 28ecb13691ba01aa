/**
 * `aion asm FILE.S [-o FILE.beam] [--otp28]`: assembles an `erlc -S` style
 * listing into a .beam file with loader/asm (see docs/assembler.md).
 */
import { AsmError, assemble } from "../../loader/asm/index.ts";
import { expectPositionals } from "../cli/args.ts";
import { plainCommand } from "../cli/plain-command.ts";

const USAGE = `usage: aion asm [--otp28] FILE.S [-o FILE.beam]

Assembles an 'erlc -S' listing into a .beam file (default: FILE.beam next to
FILE.S). --otp28 writes the OTP 28 instruction set.`;

export const command = plainCommand(
  "asm",
  "assemble an erlc -S listing into a .beam file",
  USAGE,
  { otp28: "flag", output: { kind: "value", short: "o" } },
  async (p) => {
    const [input] = expectPositionals(p, 1, 1, ["FILE.S"]);
    const out = p.values.get("output");
    let text: string;
    try {
      text = await Bun.file(input!).text();
    } catch (e) {
      console.error(`aion asm: cannot read ${input}: ${(e as Error).message}`);
      return 1;
    }
    try {
      const bytes = assemble(text, { file: input!, otp28: p.flags.has("otp28") });
      await Bun.write(out ?? input!.replace(/\.S$/, "").concat(".beam"), bytes);
      return 0;
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      console.error(String(e.message));
      return 1;
    }
  },
);
