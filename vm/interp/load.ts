/**
 * Loading a decoded module into a VM: place its instructions in the code
 * area (labels and line markers take no slot), compile each into a handler
 * closure, and publish its exports and funs.
 */
import type { BeamModule, Import, Instr, Operand } from "../../loader/module.ts";
import { OP, OPCODES } from "../../loader/opcodes.ts";
import { type Atom, atom } from "../../terms/atom.ts";
import { stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import type { Handler } from "../code/code-area.ts";
import type { LoadedModule, LocalFunInfo } from "../code/loaded-module.ts";
import { ErlangError } from "../errors.ts";
import type { Machine } from "../machine.ts";
import { CompileError } from "./adapt.ts";
import type { CompileCtx } from "./context.ts";
import { fuseRange } from "./fuse.ts";
import { jitModule } from "./jit/index.ts";
import { COMPILERS } from "./ops/index.ts";

export type { LoadedModule } from "../code/loaded-module.ts";

const SKIPPED = new Set(["label", "line", "executable_line", "debug_line"]);

/**
 * Natives win over bytecode, as NIFs and BIFs do on BEAM: an exported function
 * that has a native (e.g. OTP's `reverse(_, _) -> erlang:nif_error(undef)`
 * stub in lists.beam) gets a body that tail-calls through its export entry,
 * so the module's own local calls reach the native too.
 */
function routeNativesOfModule(vm: Machine, beam: BeamModule): BeamModule {
  let imports: Import[] | null = null;
  let code: Instr[] | null = null;
  for (const f of beam.functions) {
    const isExported = beam.exports.some((e) => e.name === f.name && e.arity === f.arity);
    if (!isExported) continue;
    const entry = vm.exports.get(beam.name, f.name, f.arity);
    if (entry.native === null && entry.control === null) continue;
    imports ??= [...beam.imports];
    code ??= [...beam.code];
    const mfa: Import = { module: beam.name, name: f.name, arity: f.arity };
    imports.push(mfa);
    code[f.entry + 1] = {
      op: OP.call_ext_only,
      args: [
        { kind: "u", value: f.arity },
        { kind: "import", index: imports.length - 1, mfa },
      ],
    };
  }
  return imports && code ? { ...beam, imports, code } : beam;
}

/** Loads `beam` into `vm`, replacing any previous version's exports. */
export function loadModule(vm: Machine, original: BeamModule): LoadedModule {
  const beam = routeNativesOfModule(vm, original);
  const code = beam.code;
  const base = vm.code.size;
  const pcOf = new Int32Array(code.length + 1);
  let next = base;
  for (let i = 0; i < code.length; i++) {
    pcOf[i] = next;
    if (!SKIPPED.has(OPCODES[code[i]!.op]!.name)) next++;
  }
  pcOf[code.length] = next;
  const pcOfIndex = (i: number) => pcOf[i]!;

  const lineOf = (i: number): number => {
    const item = beam.lines?.items[beam.lineAt[i] ?? 0];
    return item ? item.line : 0;
  };
  const fileOfFunction = (start: number, end: number): string => {
    for (let i = start; i < end; i++) {
      const item = beam.lines?.items[beam.lineAt[i] ?? 0];
      if (item) return item.file;
    }
    return `${beam.name.name}.erl`;
  };
  for (const f of beam.functions) {
    vm.code.addFunction({
      module: beam.name,
      name: f.name,
      arity: f.arity,
      start: pcOf[f.start]!,
      end: pcOf[f.end]!,
      file: fileOfFunction(f.start, f.end),
    });
  }
  const funs: LocalFunInfo[] = beam.funs.map((f) => ({
    name: f.name,
    arity: f.arity,
    index: f.index,
    numFree: f.numFree,
    oldUniq: f.oldUniq,
    pc: pcOf[f.entry]!,
  }));
  const importEntries = beam.imports.map((m) => vm.exports.get(m.module, m.name, m.arity));

  const unsupported: string[] = [];
  let fnName = beam.name;
  let fnArity = 0;
  let fi = 0;
  for (let i = 0; i < code.length; i++) {
    const ins = code[i]!;
    const info = OPCODES[ins.op]!;
    if (SKIPPED.has(info.name)) continue;
    while (fi < beam.functions.length && beam.functions[fi]!.end <= i) fi++;
    const fn = beam.functions[fi];
    if (fn && fn.start <= i) {
      fnName = fn.name;
      fnArity = fn.arity;
    }
    const ctx: CompileCtx = {
      vm,
      module: beam.name,
      labelPc: (o: Operand) => {
        if (o.kind !== "f" || o.index < 0)
          throw new CompileError(`bad label operand in ${info.name}`);
        return pcOf[o.index]!;
      },
      pcOfIndex,
      importEntry: (idx) => importEntries[idx]!,
      funs,
      strings: beam.strings,
      pc: pcOf[i]!,
      fnName,
      fnArity,
      literal: (v: Term) => v,
    };
    const compiler = COMPILERS[ins.op];
    let h: Handler;
    if (compiler === undefined) {
      unsupported.push(info.name);
      h = unsupportedHandler(beam.name, info.name);
    } else {
      try {
        h = compiler(ctx, ins.args);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        unsupported.push(`${info.name}: ${why}`);
        h = unsupportedHandler(beam.name, `${info.name} (${why})`);
      }
    }
    const pc = vm.code.emit(h, lineOf(i));
    if (pc !== pcOf[i]) throw new Error(`internal: pc mismatch loading ${beam.name.name}`);
  }

  if (vm.tier === "jit") {
    const leaders = blockLeaders(beam, pcOf);
    jitModule({ vm, beam, pcOf, from: base, to: next, leaders, importEntries });
  } else if (vm.tier === "fused") {
    const site = `${beam.name.name}@${code.length}`;
    fuseRange(site, vm.code.handlers, base, next, blockLeaders(beam, pcOf));
  }

  for (const e of beam.exports) {
    const entry = vm.exports.get(beam.name, e.name, e.arity);
    // A native keeps the entry; the bytecode only reaches it (see routeNativesOfModule).
    if (entry.native === null && entry.control === null) entry.pc = pcOf[e.entry]!;
  }
  const loaded: LoadedModule = { name: beam.name, beam, funs, unsupported };
  vm.modules.set(beam.name, loaded);
  return loaded;
}

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

/** Where a fused block must start: every label, every function entry, every return address. */
function blockLeaders(beam: BeamModule, pcOf: Int32Array): Set<number> {
  const leaders = new Set<number>();
  for (let i = 0; i < beam.labelIndex.length; i++) {
    const idx = beam.labelIndex[i]!;
    if (idx >= 0) leaders.add(pcOf[idx]!);
  }
  for (const f of beam.functions) leaders.add(pcOf[f.start]!);
  for (let i = 0; i < beam.code.length; i++) {
    if (CALLS.has(OPCODES[beam.code[i]!.op]!.name)) leaders.add(pcOf[i]! + 1);
  }
  return leaders;
}

function unsupportedHandler(module: Atom, what: string): Handler {
  return () => {
    throw new ErlangError("error", [atom("unsupported_instruction"), module, stringToList(what)]);
  };
}
