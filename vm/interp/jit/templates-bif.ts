/**
 * Templates for BIF instructions (`bif0..2`, `gc_bif1..2`) on the hottest
 * erlang BIFs: a fast path for small integers (or the obvious type) inline,
 * and the instruction's closure (which calls the native in the export entry,
 * the single definition of the semantics) whenever the fast path declines:
 * bignum results, floats, wrong types, errors.
 */
import type { Operand } from "../../../loader/module.ts";
import type { Emitter, JitInstr } from "./emitter.ts";
import type { Template } from "./templates.ts";

/**
 * A fast path: given operand expressions, `[condition, result]`, or a
 * statement-producing function for the multi-step ones. Results must be
 * valid terms (safe integers, never -0).
 */
type Fast = (a: string, b: string) => { pre?: string; cond: string; value: string };

const MAX = "9007199254740991";
/** A small-integer literal operand (as `Emitter.srcTmp` writes them: `7`, `(-7)`). */
const literal = (a: string): number | null => {
  const m = /^\(?(-?\d+)\)?$/.exec(a);
  return m === null ? null : Number(m[1]);
};
/**
 * A check on operand `a`: `expr` in the generated code, or, when `a` is a
 * literal, decided here by `holds` (smaller code is parsed, run cold and
 * optimised sooner).
 */
const check = (a: string, expr: string, holds: (v: number) => boolean): string => {
  const v = literal(a);
  return v === null ? expr : holds(v) ? "true" : "false";
};
const isNum = (a: string) => check(a, `typeof ${a} === "number"`, () => true);
/** Both operands are small integers (as a condition; literals decided here). */
export const bothNumbers = (a: string, b: string) => all(isNum(a), isNum(b));
const int32 = (a: string) => check(a, `(${a} | 0) === ${a}`, (v) => (v | 0) === v);
const nonZero = (b: string) => check(b, `${b} !== 0`, (v) => v !== 0);
/** A shift count of 0..31. */
const shift = (b: string) => check(b, `${b} >= 0 && ${b} < 32`, (v) => v >= 0 && v < 32);
/** The conjunction of `conds`, leaving out the ones known to be true. */
const all = (...conds: string[]) => conds.filter((c) => c !== "true").join(" && ") || "true";

/**
 * Arithmetic whose result is range-checked into a temporary `r`. Adding or
 * subtracting a literal moves a small integer one way only, so one bound is
 * checked. `r` is only ever a number JS computed from two numbers, and a
 * result that fits in 32 bits skips the bounds: a constant such as an
 * infinity for "not a number" merged into `r` (and through it into the
 * destination register) made JSC's optimising tier keep the registers as
 * doubles, and comparing with a bound that is no 32-bit integer is a slow
 * path in its baseline tier (docs/jit.md, tenth round).
 */
const ranged =
  (op: string): Fast =>
  (a, b) => {
    const la = literal(a);
    const lb = literal(b);
    const sign = op === "-" ? -1 : 1;
    // The direction the literal moves the other operand, 0 when unknown.
    const dir =
      op === "*"
        ? 0
        : lb !== null
          ? Math.sign(sign * lb)
          : op === "+" && la !== null
            ? Math.sign(la)
            : 0;
    const bound =
      dir > 0 ? `r <= ${MAX}` : dir < 0 ? `r >= -${MAX}` : `(r <= ${MAX} && r >= -${MAX})`;
    return {
      pre: "let r = 0;",
      cond: all(bothNumbers(a, b), inRange(`${a} ${op} ${b}`, bound)),
      value: op === "*" ? "r + 0" : "r",
    };
  };

/** `r = expr` holds a safe integer: a 32-bit one, or one within `bound`. */
const inRange = (expr: string, bound: string) => `(((r = ${expr}) | 0) === r || ${bound})`;

const bitwise =
  (op: string): Fast =>
  (a, b) => ({
    cond: all(bothNumbers(a, b), int32(a), int32(b)),
    value: `${a} ${op} ${b}`,
  });

const compare =
  (op: string): Fast =>
  (a, b) => ({ cond: bothNumbers(a, b), value: `${a} ${op} ${b} ? A_TRUE : A_FALSE` });

/** `==` and `=:=`: identical terms are equal; two different small ints are not. */
const equal =
  (negate: boolean): Fast =>
  (a, b) => ({
    cond: `${a} === ${b} || ${bothNumbers(a, b)}`,
    value: `${a} === ${b} ? ${negate ? "A_FALSE" : "A_TRUE"} : ${negate ? "A_TRUE" : "A_FALSE"}`,
  });

const BINARY: Record<string, Fast> = {
  "+": ranged("+"),
  "-": ranged("-"),
  "*": ranged("*"),
  band: bitwise("&"),
  bor: bitwise("|"),
  bxor: bitwise("^"),
  bsr: (a, b) => ({
    cond: all(bothNumbers(a, b), int32(a), shift(b)),
    value: `${a} >> ${b}`,
  }),
  bsl: (a, b) => ({
    pre: "let r = 0;",
    cond: all(
      bothNumbers(a, b),
      int32(a),
      shift(b),
      inRange(`${a} * 2 ** ${b}`, `(r <= ${MAX} && r >= -${MAX})`),
    ),
    value: "r",
  }),
  div: (a, b) => ({
    cond: all(bothNumbers(a, b), int32(a), int32(b), nonZero(b)),
    value: `Math.trunc(${a} / ${b}) + 0`,
  }),
  rem: (a, b) => ({ cond: all(bothNumbers(a, b), nonZero(b)), value: `(${a} % ${b}) + 0` }),
  "<": compare("<"),
  ">": compare(">"),
  "=<": compare("<="),
  ">=": compare(">="),
  "==": equal(false),
  "/=": equal(true),
  "=:=": equal(false),
  "=/=": equal(true),
  element: (a, b) => ({
    cond: `typeof ${a} === "number" && Array.isArray(${b}) && ${a} >= 1 && ${a} <= ${b}.length`,
    value: `${b}[${a} - 1]`,
  }),
};

const UNARY: Record<string, Fast> = {
  "-": (a) => ({ cond: `typeof ${a} === "number"`, value: `0 - ${a}` }),
  tuple_size: (a) => ({ cond: `Array.isArray(${a})`, value: `${a}.length` }),
  byte_size: (a) => ({ cond: `${a} instanceof BitString`, value: `(${a}.size + 7) >>> 3` }),
  bit_size: (a) => ({ cond: `${a} instanceof BitString`, value: `${a}.size` }),
  map_size: (a) => ({ cond: `${a} instanceof MapTerm`, value: `${a}.keys.length` }),
  abs: (a) => ({ cond: `typeof ${a} === "number"`, value: `Math.abs(${a})` }),
  hd: (a) => ({ cond: `${a} instanceof Cons`, value: `${a}.head` }),
  tl: (a) => ({ cond: `${a} instanceof Cons`, value: `${a}.tail` }),
  not: (a) => ({
    cond: `${a} === A_TRUE || ${a} === A_FALSE`,
    value: `${a} === A_TRUE ? A_FALSE : A_TRUE`,
  }),
  length: (a) => ({
    pre: `let n = 0, l = ${a}; while (l instanceof Cons) { n++; l = l.tail; }`,
    cond: "l === NIL",
    value: "n",
  }),
};

/** Emits `fast` for the instruction's operands, with the closure as slow path. */
function emitFast(e: Emitter, ins: JitInstr, fast: Fast, srcs: Operand[], d: Operand) {
  if (!e.isReg(d)) return null;
  const vs: string[] = [];
  for (const s of srcs) {
    const v = e.srcTmp(s);
    if (v === null) return null;
    vs.push(v);
  }
  const f = fast(vs[0]!, vs[1] ?? "");
  // A block of its own scopes the fast path's temporaries (`r`, `n`, `l`);
  // the slow path leaves before the destination is written.
  e.emit(`{ ${f.pre ?? ""} if (!(${f.cond})) { ${e.leaveCode(ins)} }`);
  e.dst(d, f.value);
  e.emit("}");
  return true;
}

function erlangBif(imp: Operand | undefined, arity: number): string | null {
  if (imp?.kind !== "import") return null;
  const { module, name } = imp.mfa;
  return module.name === "erlang" && imp.mfa.arity === arity ? name.name : null;
}

export const bifTemplates: Record<string, Template> = {
  bif1(e, ins) {
    const [, imp, a, d] = ins.args;
    const f = UNARY[erlangBif(imp, 1) ?? ""];
    return f ? emitFast(e, ins, f, [a!], d!) : null;
  },
  bif2(e, ins) {
    const [, imp, a, b, d] = ins.args;
    const f = BINARY[erlangBif(imp, 2) ?? ""];
    return f ? emitFast(e, ins, f, [a!, b!], d!) : null;
  },
  gc_bif1(e, ins) {
    const [, , imp, a, d] = ins.args;
    const f = UNARY[erlangBif(imp, 1) ?? ""];
    return f ? emitFast(e, ins, f, [a!], d!) : null;
  },
  gc_bif2(e, ins) {
    const [, , imp, a, b, d] = ins.args;
    const f = BINARY[erlangBif(imp, 2) ?? ""];
    return f ? emitFast(e, ins, f, [a!, b!], d!) : null;
  },
};
