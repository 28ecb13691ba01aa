/**
 * A loaded module's instruction closures, compiled one function at a time
 * on first use. Loading only places the module (pcs, lines, exports): every
 * pc of a function starts out as that function's one "compile me" handler,
 * which compiles the function's instructions into closures, lets the tier
 * install them (plain, fused or behind JIT stubs) and runs the instruction
 * it was called for. Big modules are mostly code a program never reaches
 * (OTP's compiler loads ~60 modules for a few functions of each), so making
 * a closure per instruction up front was about a third of a cold compile.
 *
 * Any pc of a function can trigger the compile (its entry, a `func_info`
 * jump, a resumed pc), so how the function is first reached does not matter.
 */
import type { CodeView } from "../../loader/lazy-code.ts";
import type { BeamModule, Instr, Operand } from "../../loader/module.ts";
import { OPCODES } from "../../loader/opcodes.ts";
import { type Atom, atom } from "../../terms/atom.ts";
import { stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import type { Handler } from "../code/code-area.ts";
import type { ExportEntry } from "../code/exports.ts";
import type { LocalFunInfo } from "../code/loaded-module.ts";
import { ErlangError } from "../errors.ts";
import type { Machine } from "../machine.ts";
import { CompileError } from "./adapt.ts";
import type { CompileCtx } from "./context.ts";
import { COMPILERS } from "./ops/index.ts";

/** Opcodes that take no pc (see interp/load.ts). */
export const SKIPPED = new Set(["label", "line", "executable_line", "debug_line"]);

/** Instructions after which execution may resume later (their next pc is a return address). */
const CALLS = new Set([
  "call",
  "call_last",
  "call_only",
  "call_ext",
  "call_ext_last",
  "call_ext_only",
  "call_fun",
  "call_fun2",
  "apply",
  "apply_last",
]);

/** A compile unit: a function, or code between functions; code indices [from, to). */
export interface CodeUnit {
  /** Its index in {@link ModuleCode.units}. */
  readonly index: number;
  readonly from: number;
  readonly to: number;
  /** Its pcs [start, end). */
  readonly start: number;
  readonly end: number;
  readonly fnName: Atom;
  readonly fnArity: number;
  /** A real function (the JIT compiles only those). */
  readonly isFunction: boolean;
  /** The pc calls enter it at (its entry label); `start` for a gap between functions. */
  readonly entry: number;
}

/** Puts a freshly compiled unit's closures (`code.own`) into the code area. */
export type UnitInstaller = (code: ModuleCode, unit: CodeUnit) => void;

export class ModuleCode {
  /** Each pc's closure (index pc - base): the unit's lazy handler until it is compiled. */
  readonly own: Handler[];
  readonly units: CodeUnit[] = [];
  /** Instruction compile problems found so far (all of them after {@link compileAll}). */
  readonly unsupported: string[] = [];
  private readonly compiled: Uint8Array;
  private readonly lazy: Handler[] = [];
  /** Set by the tier before anything runs. */
  installer: UnitInstaller = (code, unit) => code.copyOwn(unit);

  constructor(
    readonly vm: Machine,
    readonly beam: BeamModule,
    /** The module's instructions, decoded by the loader on first read (a function at a time). */
    readonly view: CodeView,
    readonly pcOf: Int32Array,
    /** The module's first pc. */
    readonly base: number,
    readonly importEntries: readonly ExportEntry[],
    readonly funs: readonly LocalFunInfo[],
  ) {
    const n = view.length;
    const last = pcOf[n]!;
    this.own = new Array<Handler>(last - base);
    let at = 0;
    for (const f of beam.functions) {
      if (f.start > at) this.addUnit(at, f.start, beam.name, 0, false);
      this.addUnit(f.start, f.end, f.name, f.arity, true, pcOf[f.entry]!);
      at = f.end;
    }
    if (at < n) this.addUnit(at, n, beam.name, 0, false);
    this.compiled = new Uint8Array(this.units.length);
  }

  private addUnit(
    from: number,
    to: number,
    fnName: Atom,
    fnArity: number,
    isFunction: boolean,
    entry = -1,
  ) {
    const start = this.pcOf[from]!;
    const end = this.pcOf[to]!;
    if (end === start) return;
    const u = this.units.length;
    const unit: CodeUnit = {
      index: u,
      from,
      to,
      start,
      end,
      fnName,
      fnArity,
      isFunction,
      entry: entry < 0 ? start : entry,
    };
    this.units.push(unit);
    const own = this.own;
    const base = this.base;
    const lazy: Handler = (p, pc) => {
      this.compileUnit(u);
      return own[pc - base]!(p, pc);
    };
    this.lazy.push(lazy);
    own.fill(lazy, start - base, end - base);
  }

  /** The handler every pc of unit `u` has until it is compiled. */
  lazyHandler(u: number): Handler {
    return this.lazy[u]!;
  }

  /** Compiles unit `u` (once) and installs it. */
  compileUnit(u: number): void {
    if (this.compiled[u] !== 0) return;
    this.compiled[u] = 1;
    const unit = this.units[u]!;
    const { beam, view, pcOf, own, base } = this;
    // One context for the whole unit: compilers read it while compiling and
    // keep none of its per-instruction fields (pc, opName) in their closures.
    const ctx = new UnitCtx(this, unit, unit.start, "");
    for (let i = unit.from; i < unit.to; i++) {
      if (SKIPPED_OP[view.op(i)]) continue;
      let ins: Instr;
      try {
        ins = view.instr(i);
      } catch (e) {
        // A malformed function (a lazily decoded module) fails where it is
        // called, with the loader's LoadError, every time it is called.
        this.unsupported.push(String(e));
        own.fill(
          () => {
            throw e;
          },
          unit.start - base,
          unit.end - base,
        );
        this.copyOwn(unit);
        return;
      }
      const info = OPCODES[ins.op]!;
      ctx.pc = pcOf[i]!;
      ctx.opName = info.name;
      const compiler = COMPILERS[ins.op];
      let h: Handler;
      if (compiler === undefined) {
        this.unsupported.push(info.name);
        h = unsupportedHandler(beam.name, info.name);
      } else {
        try {
          h = compiler(ctx, ins.args);
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          this.unsupported.push(`${info.name}: ${why}`);
          h = unsupportedHandler(beam.name, `${info.name} (${why})`);
        }
      }
      own[pcOf[i]! - base] = h;
    }
    this.installer(this, unit);
  }

  /** Compiles every unit (for callers that want every compile problem now). */
  compileAll(): void {
    for (let u = 0; u < this.units.length; u++) this.compileUnit(u);
  }

  /**
   * Puts the unit's plain closures in the code area wherever its lazy handler
   * still is (a tier may already have put something of its own at some pcs).
   */
  copyOwn(unit: CodeUnit): void {
    const handlers = this.vm.code.handlers;
    const { own, base } = this;
    const lazy = this.lazy[unit.index];
    for (let pc = unit.start; pc < unit.end; pc++) {
      if (handlers[pc] === lazy) handlers[pc] = own[pc - base]!;
    }
  }

  /** Where blocks must start within a unit: labels, its first pc, return addresses. */
  leaders(unit: CodeUnit): Set<number> {
    const { view, pcOf } = this;
    const leaders = new Set<number>([unit.start]);
    for (let i = unit.from; i < unit.to; i++) {
      const op = view.op(i);
      if (op === LABEL_OP) leaders.add(pcOf[i]!);
      else if (CALL_OP[op]) leaders.add(pcOf[i]! + 1);
    }
    for (const l of leaders) if (l >= unit.end) leaders.delete(l);
    return leaders;
  }
}

/** Opcodes that take no pc, by number. */
const LABEL_OP = OPCODES.findIndex((o) => o?.name === "label");
/** Opcodes after which a block starts (a return lands there), by number. */
const CALL_OP: readonly boolean[] = OPCODES.map((o) => o !== undefined && CALLS.has(o.name));

export const SKIPPED_OP: readonly boolean[] = OPCODES.map(
  (o) => o !== undefined && SKIPPED.has(o.name),
);

/** What an instruction compiler sees of its module (one per instruction, methods shared). */
class UnitCtx implements CompileCtx {
  readonly vm: Machine;
  readonly module: Atom;
  readonly funs: readonly LocalFunInfo[];
  readonly strings: Uint8Array;
  readonly fnName: Atom;
  readonly fnArity: number;

  constructor(
    private readonly code: ModuleCode,
    unit: CodeUnit,
    public pc: number,
    public opName: string,
  ) {
    this.vm = code.vm;
    this.module = code.beam.name;
    this.funs = code.funs;
    this.strings = code.beam.strings;
    this.fnName = unit.fnName;
    this.fnArity = unit.fnArity;
  }

  labelPc(o: Operand): number {
    if (o.kind !== "f" || o.index < 0)
      throw new CompileError(`bad label operand in ${this.opName}`);
    return this.code.pcOf[o.index]!;
  }

  pcOfIndex(i: number): number {
    return this.code.pcOf[i]!;
  }

  importEntry(index: number): ExportEntry {
    return this.code.importEntries[index]!;
  }

  literal(v: Term): Term {
    return v;
  }
}

function unsupportedHandler(module: Atom, what: string): Handler {
  return () => {
    throw new ErlangError("error", [atom("unsupported_instruction"), module, stringToList(what)]);
  };
}
