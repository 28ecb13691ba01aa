/**
 * Inline fast paths for the hottest arithmetic BIF instructions. `gc_bif2`
 * on `erlang:'+'/2` with two small integers adds in place; anything else
 * (bignums, floats, errors) falls through to the native BIF, which stays the
 * single definition of the semantics.
 *
 * Operand access is specialised at load time (register vs constant), since
 * `N - 1` with N in an X register is by far the most common shape.
 */
import type { Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import type { Machine } from "../../machine.ts";
import { type Dst, reader, type Src, writer } from "../operand.ts";

type SmallOp = (a: number, b: number) => number;

const SMALL_OPS: Record<string, SmallOp> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  band: (a, b) => a & b,
  bor: (a, b) => a | b,
  bxor: (a, b) => a ^ b,
};

const INT32_ONLY = new Set(["band", "bor", "bxor"]);

/**
 * A fast handler for `entry` when it is one of the inlined erlang BIFs, else
 * null. `slow` is the generic handler used whenever the fast path declines.
 */
export function fastArith2(
  vm: Machine,
  entry: ExportEntry,
  as: Src,
  bs: Src,
  d: Dst,
  slow: Handler,
): Handler | null {
  if (entry.module.name !== "erlang" || entry.arity !== 2) return null;
  const name = entry.name.name;
  const op = SMALL_OPS[name];
  if (op === undefined) return null;
  const x = vm.x;
  if (INT32_ONLY.has(name)) {
    const a = reader(vm, as);
    const b = reader(vm, bs);
    const w = writer(vm, d);
    return (p, pc) => {
      const l = a(p);
      const r = b(p);
      if (typeof l === "number" && typeof r === "number" && (l | 0) === l && (r | 0) === r) {
        w(p, op(l, r));
        return pc + 1;
      }
      return slow(p, pc);
    };
  }
  // X register op small constant into an X register: `N - 1`, `Acc + 1`.
  if (as.k === "x" && bs.k === "c" && typeof bs.v === "number" && d.k === "x") {
    const an = as.n;
    const c = bs.v;
    const dn = d.n;
    if (name === "+") {
      return (p, pc) => {
        const l = x[an];
        if (typeof l === "number") {
          const r = l + c;
          if (r <= Number.MAX_SAFE_INTEGER && r >= Number.MIN_SAFE_INTEGER) {
            x[dn] = r;
            return pc + 1;
          }
        }
        return slow(p, pc);
      };
    }
    if (name === "-") {
      return (p, pc) => {
        const l = x[an];
        if (typeof l === "number") {
          const r = l - c;
          if (r <= Number.MAX_SAFE_INTEGER && r >= Number.MIN_SAFE_INTEGER) {
            x[dn] = r;
            return pc + 1;
          }
        }
        return slow(p, pc);
      };
    }
  }
  const a = reader(vm, as);
  const b = reader(vm, bs);
  const w = writer(vm, d);
  return (p, pc) => {
    const l = a(p);
    const r = b(p);
    if (typeof l === "number" && typeof r === "number") {
      const v = op(l, r);
      if (Number.isSafeInteger(v)) {
        w(p, v === 0 ? 0 : v);
        return pc + 1;
      }
    }
    return slow(p, pc);
  };
}
