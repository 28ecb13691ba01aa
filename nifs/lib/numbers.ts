/**
 * Arithmetic on Erlang numbers for natives that sum or compare them
 * (`lists:sum/1`, `math`), with Erlang's int/float mixing and `badarith`.
 */
import { intAdd } from "../../terms/integer.ts";
import { Float, type Term } from "../../terms/term.ts";
import { badarith } from "./util.ts";

const isInt = (t: Term): t is number | bigint => typeof t === "number" || typeof t === "bigint";

/** `A + B` for any two numbers. */
export function addNumbers(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) return intAdd(a, b);
  const x = isInt(a) ? Number(a) : a instanceof Float ? a.value : badarith();
  const y = isInt(b) ? Number(b) : b instanceof Float ? b.value : badarith();
  const r = x + y;
  if (!Number.isFinite(r)) badarith();
  return new Float(r);
}

/** A number as a double (`badarith` if not a number). */
export function toDouble(t: Term): number {
  if (typeof t === "number") return t;
  if (typeof t === "bigint") return Number(t);
  if (t instanceof Float) return t.value;
  return badarith();
}
