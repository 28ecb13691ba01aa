/**
 * In-place appends (vm/interp/jit/append-owner.ts): which appends grow their
 * accumulator and where the generated code forgets it. What the programs
 * see is checked against real erl by the core_append_owner conformance
 * module (every place an accumulator's earlier value can be kept), which
 * jit.test.ts also runs with every function compiled on first entry and
 * with two-reduction slices.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Operand } from "../../loader/module.ts";
import { atom } from "../../terms/atom.ts";
import { appendOwners, clearsOwner, type JitInstr, ownerAppendRegister } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { erlLine, runWithSources } from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const MODULE = "core_append_owner";

/** Compiling every function on first entry: outcome and generated sources. */
const run = (fn: string) => {
  const r = runWithSources(MODULE, fn, 1);
  return { out: r.out, sources: r.sources.map(([, src]) => src) };
};
const fromErl = (fn: string): string => erlLine(MODULE, fn);

const x = (n: number): Operand => ({ kind: "x", n, type: -1 }) as Operand;
const a = (name: string): Operand => ({ kind: "atom", value: atom(name) }) as Operand;
const u = (value: number): Operand => ({ kind: "u", value }) as Operand;
const list = (...items: Operand[]): Operand => ({ kind: "list", items }) as Operand;
const ins = (name: string, ...args: Operand[]): JitInstr => ({ name, args, rel: 0 });
const f3 = { kind: "f", index: 3 } as Operand;
const nil = { kind: "nil" } as Operand;

/** `<<Base/binary, Field:8>>` into `dest`. */
function append(base: Operand, dest: Operand, field: Operand = x(5)): JitInstr {
  const segs = list(
    a("append"),
    u(1),
    u(8),
    nil,
    base,
    a("all"),
    a("integer"),
    u(2),
    u(1),
    nil,
    field,
    { kind: "int", value: 8 } as Operand,
  );
  return ins("bs_create_bin", { kind: "f", index: 0 } as Operand, u(0), u(1), u(8), dest, segs);
}

describe("in-place appends: which appends own their accumulator", () => {
  test("an append into its own base register owns it; into another register, or reading itself, does not", () => {
    expect(ownerAppendRegister(append(x(1), x(1)))).toBe(1);
    expect(ownerAppendRegister(append(x(1), x(2)))).toBe(-1);
    expect(ownerAppendRegister(append(x(1), x(1), x(1)))).toBe(-1);
    expect([...appendOwners([append(x(1), x(1)), append(x(2), x(3)), append(x(4), x(4))])]).toEqual(
      [1, 4],
    );
  });

  test("copies out of an owner register clear it; tests, jumps, loops and other registers do not", () => {
    const owners = new Set([1]);
    expect(clearsOwner(ins("move", x(1), x(0)), owners)).toBe(true);
    expect(clearsOwner(ins("put_list", x(1), x(2), x(3)), owners)).toBe(true);
    expect(clearsOwner(ins("put_tuple2", x(0), list(x(2), x(1))), owners)).toBe(true);
    expect(clearsOwner(ins("move", x(2), x(0)), owners)).toBe(false);
    expect(clearsOwner(ins("is_binary", f3, x(1)), owners)).toBe(false);
    expect(clearsOwner(ins("call_only", u(2), f3), owners)).toBe(false);
    // Reads registers its operands do not name.
    expect(clearsOwner(ins("call", u(2), f3), owners)).toBe(true);
    expect(clearsOwner(ins("return"), owners)).toBe(true);
    expect(clearsOwner(ins("send"), owners)).toBe(true);
    expect(clearsOwner(append(x(1), x(1)), owners)).toBe(false);
    expect(clearsOwner(append(x(1), x(2)), owners)).toBe(true);
  });
});

describe("in-place appends in generated code", () => {
  test("the accumulator loop grows its own binary and forgets it before handing it out", () => {
    const { out, sources } = run("t_loop");
    expect(out).toBe(fromErl("t_loop"));
    // build/2: one direct function, the append loop of the module.
    const build = sources.find((s) => s.includes(" direct") && s.includes("=== own"));
    expect(build).toBeDefined();
    expect(build).toContain("o.size = bsz + tot;");
    expect(build).toContain("own = o;");
    // The base case copies the accumulator to X0 and returns it: both forget it first.
    expect(build).toMatch(/own = null;\nx0 = x1;\nown = null;\nreturn x0;/);
  });

  test("a function without an owner append declares no owner", () => {
    const { sources } = run("t_self_field");
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(s).not.toMatch(/\bown\b/);
  });
});
