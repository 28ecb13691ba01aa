/**
 * OTP 25's own compiler on the VM over the recorded corpus
 * (fixtures/otp/compiler, by scripts/fixtures/otp-compiler.sh): each
 * module's preprocessed forms go through `compile:forms/2` with the options
 * erl used, and the `.beam` bytes must hash to what erl produced.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { otpEbins } from "../../nifs/kernel/installs.ts";
import { atom } from "../../terms/atom.ts";
import { BitString } from "../../terms/binary.ts";
import { decodeExternalTerm } from "../../terms/etf.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray } from "../../terms/list.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";

export const CORPUS = join(import.meta.dir, "../../fixtures/otp/compiler");

export interface CorpusEntry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export function readCorpus(): CorpusEntry[] {
  return readFileSync(join(CORPUS, "expected.tsv"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [name, size, sha256] = l.split("\t");
      return { name: name!, size: Number(size), sha256: sha256! };
    });
}

/** OTP's stdlib, kernel and compiler `ebin`s, or null without an OTP install. */
export const compilerEbins = (): string[] | null => otpEbins(["stdlib", "kernel", "compiler"]);

export function compilerRuntime(ebins: readonly string[]): Runtime {
  return createRuntime({ clock: new ManualClock(), log: () => {}, otpPaths: ebins });
}

/** `size sha256` of the VM's `compile:forms/2` output, or a description of what went wrong. */
export function compileOnVm(rt: Runtime, name: string): string {
  const forms = decodeExternalTerm(new Uint8Array(readFileSync(join(CORPUS, `${name}.forms`))));
  const opts = listFromArray(["binary", "deterministic", "return_errors"].map((o) => atom(o)));
  const o = rt.callSync("compile", "forms", [forms, opts], 100_000_000);
  if (o.kind === "timeout") return "timeout";
  if (o.kind === "exception") return `${o.cls}: ${formatW(o.reason).slice(0, 2000)}`;
  const v = o.value;
  if (Array.isArray(v) && v.length === 3 && v[2] instanceof BitString) {
    const bytes = v[2].bytes();
    return `${bytes.length} ${createHash("sha256").update(bytes).digest("hex")}`;
  }
  return `not {ok, Mod, Beam}: ${formatW(v).slice(0, 2000)}`;
}
