/**
 * Binary construction and matching against real Erlang: the fixtures
 * fixtures/vm/bin_*.erl run on our VM must give what OTP 25 recorded in
 * bin_*.expected. bin_construct exercises `bs_create_bin`, bin_match the
 * OTP 25 matching family, bin_old (compiled with `r24`) the pre-OTP 25
 * construction instructions. Finer checks live in binaries-*.test.ts.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { bool } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { formatW } from "../../terms/format.ts";
import { listLength } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import {
  defineNatives,
  ManualClock,
  type MatchContext,
  matchContextBitSize,
  matchContextByteSize,
  type NativeFn,
  type Runtime,
  unknownOpNames,
} from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const DIR = join(import.meta.dir, "../../fixtures/vm");

/**
 * BIFs the fixtures use, registered only where the runtime lacks them (the
 * erlang natives are written in parallel); small-integer versions suffice.
 */
const small =
  (f: (a: number, b: number) => number): NativeFn =>
  (_p, a, b) =>
    f(a as number, b as number);
const FALLBACKS: Record<string, NativeFn> = {
  "bit_size/1": (_p, b) =>
    b instanceof BitString ? b.size : matchContextBitSize(b as unknown as MatchContext),
  "byte_size/1": (_p, b) =>
    b instanceof BitString ? b.byteSize : matchContextByteSize(b as unknown as MatchContext),
  "is_binary/1": (_p, b) => bool(b instanceof BitString && b.isBinary),
  "is_bitstring/1": (_p, b) => bool(b instanceof BitString),
  "length/1": (_p, l) => listLength(l),
  "+/2": small((a, b) => a + b),
  "-/2": small((a, b) => a - b),
  "*/2": small((a, b) => a * b),
  "bsr/2": small((a, b) => Math.floor(a / 2 ** b)),
  "band/2": small((a, b) => a & b),
};

function runtime(): Runtime {
  const rt = createRuntime({ clock: new ManualClock(), paths: [DIR], log: () => {} });
  const missing: Record<string, NativeFn> = {};
  for (const [key, fn] of Object.entries(FALLBACKS)) {
    const [name, arity] = key.split("/");
    if (!rt.vm.exports.lookup("erlang", name!, Number(arity)).isDefined) missing[key] = fn;
  }
  rt.vm.registerNatives(defineNatives("erlang", missing));
  return rt;
}

function outcomeLine(rt: Runtime, module: string, fn: string, args: Term[] = []): string {
  const o = rt.callSync(module, fn, args, 5_000_000);
  if (o.kind === "value") return `value\t${formatW(o.value)}`;
  if (o.kind === "timeout") return "timeout\t";
  return `${o.cls}\t${formatW(o.reason)}`;
}

for (const module of ["bin_construct", "bin_match", "bin_old"]) {
  describe(`fixture ${module}`, () => {
    const rt = runtime();
    const loaded = rt.code.loadFile(join(DIR, `${module}.beam`));
    test("loads without unsupported instructions", () => {
      expect(loaded.unsupported).toEqual([]);
    });
    const lines = readFileSync(join(DIR, `${module}.expected`), "utf8")
      .split("\n")
      .filter(Boolean);
    for (const line of lines) {
      const [fn, ...rest] = line.split("\t");
      test(fn!, () => {
        expect(outcomeLine(rt, module, fn!)).toBe(rest.join("\t"));
      });
    }
  });
}

test("100k <<Acc/binary, X>> appends complete (in-place growth)", () => {
  const rt = runtime();
  rt.code.loadFile(join(DIR, "bin_construct.beam"));
  const o = rt.callSync(
    "bin_construct",
    "append_loop",
    [100_000, binaryFromBytes(new Uint8Array(0))],
    50_000_000,
  );
  expect(o.kind).toBe("value");
  const b = (o as { value: Term }).value as BitString;
  expect(b.size).toBe(800_000);
  expect(b.byteAt(0)).toBe(100_000 & 255);
  expect(b.byteAt(99_999)).toBe(1);
});

test("every binary op name is a real opcode", () => {
  expect(unknownOpNames()).toEqual([]);
});
