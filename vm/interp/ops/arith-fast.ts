/**
 * Inline fast paths for the hottest arithmetic BIF instructions. `gc_bif2`
 * on `erlang:'+'/2` with two small integers adds in place; anything else
 * (bignums, floats, errors) falls through to the native BIF, which stays the
 * single definition of the semantics.
 */
import type { Handler } from "../../code/code-area.ts";
import type { ExportEntry } from "../../code/exports.ts";
import type { Reader, Writer } from "../operand.ts";

type SmallOp = (a: number, b: number) => number;

// Each returns NaN-free results only when exact; callers check safety.
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
  entry: ExportEntry,
  a: Reader,
  b: Reader,
  w: Writer,
  slow: Handler,
): Handler | null {
  if (entry.module.name !== "erlang" || entry.arity !== 2) return null;
  const op = SMALL_OPS[entry.name.name];
  if (op === undefined) return null;
  if (INT32_ONLY.has(entry.name.name)) {
    return (p, pc) => {
      const x = a(p);
      const y = b(p);
      if (typeof x === "number" && typeof y === "number" && (x | 0) === x && (y | 0) === y) {
        w(p, op(x, y));
        return pc + 1;
      }
      return slow(p, pc);
    };
  }
  return (p, pc) => {
    const x = a(p);
    const y = b(p);
    if (typeof x === "number" && typeof y === "number") {
      const r = op(x, y);
      if (Number.isSafeInteger(r)) {
        w(p, r === 0 ? 0 : r);
        return pc + 1;
      }
    }
    return slow(p, pc);
  };
}
