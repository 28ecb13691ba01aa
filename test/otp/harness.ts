/**
 * Replaying fixtures/otp/otp_cases.expected (recorded from real erl by
 * scripts/otp-compat/record.sh) on a runtime: each case runs as
 * `otp_funs:run(Norm, M, F, Args)` (fixtures/otp/otp_funs.erl), the same
 * wrapper erl ran, so both sides normalise results with the same code.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { Atom, atom } from "../../terms/atom.ts";
import { decodeExternalTerm } from "../../terms/etf.ts";
import { formatW } from "../../terms/format.ts";
import { listFromArray, listToArray } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";

export const FIXTURES = join(import.meta.dir, "../../fixtures/otp");

/** The OTP modules whose real `.beam` replaces our library in the OTP runtime. */
export const OTP_MODULES: readonly string[] = [
  "lists",
  "string",
  "io_lib",
  "io_lib_format",
  "io_lib_pretty",
  "unicode_util",
  "proplists",
  "orddict",
  "queue",
  "sets",
  "maps",
  "gb_trees",
];

/** The installed OTP's stdlib `ebin`, or null (then the suite skips). */
export function otpStdlibEbin(root = "/usr/lib/erlang/lib"): string | null {
  if (!existsSync(root)) return null;
  const dir = readdirSync(root)
    .filter((d) => d.startsWith("stdlib-"))
    .sort()
    .at(-1);
  if (dir === undefined) return null;
  const ebin = join(root, dir, "ebin");
  return existsSync(join(ebin, "lists.beam")) ? ebin : null;
}

export interface Case {
  /** 1-based line in the .expected file; names the case in known-difference lists. */
  line: number;
  mod: string;
  fun: string;
  norm: string;
  args: Term[];
  kind: string;
  raw: string;
  normalised: string;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function loadCases(file = join(FIXTURES, "otp_cases.expected")): Case[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l, i) => {
      const [mod, fun, norm, hex, kind, raw, normalised] = l.split("\t");
      return {
        line: i + 1,
        mod: mod!,
        fun: fun!,
        norm: norm!,
        args: listToArray(decodeExternalTerm(hexBytes(hex!)))!,
        kind: kind!,
        raw: raw ?? "",
        normalised: normalised ?? "",
      };
    });
}

/** A case's name in test output and in known-difference lists. */
export function caseName(c: Case): string {
  return `${c.line} ${c.mod}:${c.fun}(${c.args.map(formatW).join(", ")})`.slice(0, 150);
}

export interface Got {
  kind: string;
  raw: string;
  normalised: string;
}

/** Runs one case as erl did. VM-level failures (timeouts, crashes of the wrapper) show as their own kinds. */
export function runCase(rt: Runtime, c: Case): Got {
  const args = [atom(c.norm), atom(c.mod), atom(c.fun), listFromArray(c.args)];
  const o = rt.callSync("otp_funs", "run", args, 2_000_000);
  if (o.kind === "timeout") return { kind: "timeout", raw: "", normalised: "" };
  if (o.kind === "exception") {
    const text = `${o.cls}:${formatW(o.reason)}`;
    return { kind: "wrapper-crashed", raw: text, normalised: text };
  }
  const v = o.value;
  if (Array.isArray(v) && v.length === 3 && v[0] === atom("value")) {
    return { kind: "value", raw: formatW(v[1]!), normalised: formatW(v[2]!) };
  }
  if (Array.isArray(v) && v.length === 2 && v[0] instanceof Atom) {
    const text = formatW(v[1]!);
    return { kind: v[0].name, raw: text, normalised: text };
  }
  return { kind: "bad-wrapper-result", raw: formatW(v), normalised: formatW(v) };
}

/** OTP's real library modules on our VM (BIFs stay native, as on BEAM). */
export function otpRuntime(ebin: string): Runtime {
  return createRuntime({
    clock: new ManualClock(),
    log: () => {},
    paths: [FIXTURES],
    otpPaths: [ebin],
    preferOtp: OTP_MODULES,
  });
}

/** Our own library (natives and nifs/stdlib) with nothing from OTP. */
export function ourRuntime(): Runtime {
  return createRuntime({ clock: new ManualClock(), log: () => {}, paths: [FIXTURES] });
}
