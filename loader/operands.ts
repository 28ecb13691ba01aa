/**
 * Compact operands as instruction arguments: tag + value (compact.ts) turned
 * into typed {@link Operand}s, with atoms and literals resolved and every index
 * range-checked. Extended tags (`z`):
 *
 *   0  float       8 bytes of big-endian IEEE double follow
 *   1  list        a `u` count, then that many operands
 *   2  fr          a `u` float register number
 *   3  alloc list  a `u` count, then (`u` kind, `u` amount) pairs;
 *                  kinds 0 words, 1 floats, 2 funs
 *   4  literal     a `u` index into LitT
 *   5  typed reg   an x or y register operand, then a `u` Type chunk index
 *
 * Equal operands are often the same frozen object (untyped registers and small
 * `u`/integer values below 256 are interned globally, atoms and labels per
 * module), which keeps decoding cheap; nothing may mutate an operand.
 */
import { type Atom, normBig, type Term } from "../terms/index.ts";
import {
  CompactReader,
  TAG_A,
  TAG_F,
  TAG_H,
  TAG_I,
  TAG_U,
  TAG_X,
  TAG_Y,
  TAG_Z,
  tagName,
} from "./compact.ts";
import type { AtomOp, FReg, IntOp, ListOp, NilOp, Operand, UOp, XReg, YReg } from "./module.ts";
import type { Reader } from "./reader.ts";

/** Register numbers must stay below this (BEAM's MAX_REG). */
export const MAX_REG = 1024;
/** Lists nested deeper than this are refused (compilers nest at most once). */
export const MAX_LIST_DEPTH = 8;

/** What literal operands index: an array, or a table decoding on demand. */
export interface Literals {
  readonly length: number;
  at(i: number): Term | undefined;
}

/** A label operand whose `index` the code decoder fills in after the last label. */
export interface PendingLabel {
  readonly kind: "f";
  readonly label: number;
  index: number;
}

const NIL_OP: NilOp = Object.freeze({ kind: "nil" });
const X_CACHE: XReg[] = [];
const Y_CACHE: YReg[] = [];
const FR_CACHE: FReg[] = [];
const U_CACHE: UOp[] = [];
const I_CACHE: IntOp[] = [];

function cached<T>(cache: T[], n: number, make: (n: number) => T): T {
  if (n >= 256) return make(n);
  let op = cache[n];
  if (op === undefined) cache[n] = op = Object.freeze(make(n));
  return op;
}

// Module-level makers: an arrow per call would allocate even on a cache hit.
const makeU = (value: number): UOp => ({ kind: "u", value });
const makeI = (value: number): IntOp => ({ kind: "int", value });
const makeX = (n: number): XReg => ({ kind: "x", n, type: -1 });
const makeY = (n: number): YReg => ({ kind: "y", n, type: -1 });
const makeFr = (n: number): FReg => ({ kind: "fr", n });
const makeTypedX = (n: number, type: number): XReg => ({ kind: "x", n, type });
const makeTypedY = (n: number, type: number): YReg => ({ kind: "y", n, type });

/**
 * Typed registers (OTP 25+ types most operands) are shared per module too:
 * one frozen operand per register and type, `op` kept the first time.
 */
function typedReg<T extends XReg | YReg>(
  cache: Map<number, T>,
  n: number,
  type: number,
  make: (n: number, type: number) => T,
): T {
  const key = type * MAX_REG + n;
  let op = cache.get(key);
  if (op === undefined) cache.set(key, (op = Object.freeze(make(n, type))));
  return op;
}

/** Decodes instruction operands for one module. */
export class OperandDecoder {
  readonly cr: CompactReader;
  /** Label operands by label number, shared by every reference. */
  readonly labels: (PendingLabel | undefined)[];
  /** Reader position of each label's first reference, for "undefined label" errors. */
  readonly firstUse: Float64Array;
  private readonly atomOps: (AtomOp | undefined)[];
  private readonly typedX = new Map<number, XReg>();
  private readonly typedY = new Map<number, YReg>();

  constructor(
    readonly r: Reader,
    private readonly atoms: readonly Atom[],
    /** An array, or the loader's lazily decoded table (literals.ts). */
    private readonly literals: Literals,
    /** Labels are 1..labelCount-1 (0 means "no label"). */
    readonly labelCount: number,
    /** Valid type indices are 0..typeCount-1. */
    private readonly typeCount: number,
  ) {
    this.cr = new CompactReader(r);
    this.labels = new Array(labelCount);
    this.firstUse = new Float64Array(labelCount);
    this.atomOps = new Array(atoms.length + 1);
  }

  /** Reads one operand. */
  read(depth = 0): Operand {
    const cr = this.cr;
    cr.next();
    switch (cr.tag) {
      case TAG_U: {
        const v = cr.safeValue("u operand");
        return cached(U_CACHE, v, makeU);
      }
      case TAG_I: {
        if (cr.big !== null) return { kind: "int", value: normBig(cr.big) };
        const v = cr.value;
        if (v < 0) return { kind: "int", value: v };
        return cached(I_CACHE, v, makeI);
      }
      case TAG_A:
        return this.atomOp(cr.safeValue("atom index"));
      case TAG_X:
        return this.xReg(this.regNumber("x"), -1);
      case TAG_Y:
        return this.yReg(this.regNumber("y"), -1);
      case TAG_F:
        return this.label(cr.safeValue("label"));
      case TAG_H:
        return { kind: "char", value: cr.safeValue("character") };
      case TAG_Z:
        return this.extended(cr.value, depth);
    }
    throw this.r.error("unreachable tag", cr.at);
  }

  /** The shared operand for label `n`, checking the range. */
  label(n: number): PendingLabel {
    const at = this.cr.at;
    if (n >= this.labelCount) {
      throw this.r.error(`label ${n} out of range (label count ${this.labelCount})`, at);
    }
    let op = this.labels[n];
    if (op === undefined) {
      this.labels[n] = op = { kind: "f", label: n, index: -1 };
      this.firstUse[n] = at;
    }
    return op;
  }

  private atomOp(i: number): AtomOp | NilOp {
    if (i === 0) return NIL_OP;
    if (i > this.atoms.length) {
      throw this.r.error(`atom index ${i} out of range 1..${this.atoms.length}`, this.cr.at);
    }
    let op = this.atomOps[i];
    if (op === undefined)
      this.atomOps[i] = op = Object.freeze({ kind: "atom", value: this.atoms[i - 1]! });
    return op;
  }

  private regNumber(what: string): number {
    const n = this.cr.safeValue(`${what} register`);
    if (n >= MAX_REG) throw this.r.error(`${what} register ${n} >= ${MAX_REG}`, this.cr.at);
    return n;
  }

  private xReg(n: number, type: number): XReg {
    if (type < 0) return cached(X_CACHE, n, makeX);
    return typedReg(this.typedX, n, type, makeTypedX);
  }

  private yReg(n: number, type: number): YReg {
    if (type < 0) return cached(Y_CACHE, n, makeY);
    return typedReg(this.typedY, n, type, makeTypedY);
  }

  private extended(ext: number, depth: number): Operand {
    const cr = this.cr;
    const r = this.r;
    const at = cr.at;
    switch (ext) {
      case 0:
        return { kind: "float", value: r.f64("float operand") };
      case 1: {
        if (depth >= MAX_LIST_DEPTH) throw r.error("lists nested too deeply", at);
        const n = cr.nextU("list length");
        r.checkCount(n, 1, "list element");
        const items: Operand[] = new Array(n);
        for (let i = 0; i < n; i++) items[i] = this.read(depth + 1);
        const list: ListOp = { kind: "list", items };
        return list;
      }
      case 2: {
        const n = cr.nextU("float register");
        if (n >= MAX_REG) throw r.error(`float register ${n} >= ${MAX_REG}`, at);
        return cached(FR_CACHE, n, makeFr);
      }
      case 3:
        return this.allocList();
      case 4: {
        const i = cr.nextU("literal index");
        if (i >= this.literals.length) {
          throw r.error(`literal index ${i} out of range (${this.literals.length} literals)`, at);
        }
        return { kind: "literal", index: i, value: this.literals.at(i)! };
      }
      case 5: {
        cr.next();
        const tag = cr.tag;
        if (tag !== TAG_X && tag !== TAG_Y) {
          throw r.error(`typed register: expected x or y, got ${tagName(tag)}`, cr.at);
        }
        const n = this.regNumber(tag === TAG_X ? "x" : "y");
        const type = cr.nextU("type index");
        if (type >= this.typeCount) {
          throw r.error(`type index ${type} out of range (${this.typeCount} types)`, cr.at);
        }
        return tag === TAG_X ? this.xReg(n, type) : this.yReg(n, type);
      }
    }
    throw r.error(`unknown extended tag ${ext}`, at);
  }

  private allocList(): Operand {
    const cr = this.cr;
    const r = this.r;
    const n = cr.nextU("allocation list length");
    r.checkCount(n, 2, "allocation");
    let words = 0;
    let floats = 0;
    let funs = 0;
    for (let i = 0; i < n; i++) {
      const kind = cr.nextU("allocation kind");
      const amount = cr.nextU("allocation amount");
      if (kind === 0) words += amount;
      else if (kind === 1) floats += amount;
      else if (kind === 2) funs += amount;
      else throw r.error(`unknown allocation kind ${kind}`, cr.at);
    }
    return { kind: "alloc", words, floats, funs };
  }
}
