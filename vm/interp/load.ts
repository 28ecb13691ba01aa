/**
 * Loading a decoded module into a VM: place its instructions in the code
 * area (labels and line markers take no slot) and publish its exports and
 * funs. Each function's instructions become handler closures on its first
 * use (module-code.ts), installed the way the VM's tier wants.
 */
import { type CodeView, codeView } from "../../loader/lazy-code.ts";
import type { BeamModule, Import, Instr } from "../../loader/module.ts";
import { OP } from "../../loader/opcodes.ts";
import type { LoadedModule, LocalFunInfo } from "../code/loaded-module.ts";
import type { Machine } from "../machine.ts";
import { fuseRange } from "./fuse.ts";
import { jitInstaller } from "./jit/index.ts";
import { ModuleCode, SKIPPED_OP } from "./module-code.ts";

export type { LoadedModule } from "../code/loaded-module.ts";

/** A module's code with some instructions replaced (see {@link routeNatives}). */
class PatchedView implements CodeView {
  constructor(
    private readonly base: CodeView,
    private readonly patches: ReadonlyMap<number, Instr>,
  ) {}
  get length(): number {
    return this.base.length;
  }
  op(i: number): number {
    return this.patches.get(i)?.op ?? this.base.op(i);
  }
  instr(i: number): Instr {
    return this.patches.get(i) ?? this.base.instr(i);
  }
}

/**
 * Natives win over bytecode, as NIFs and BIFs do on BEAM: an exported function
 * that has a native (e.g. OTP's `reverse(_, _) -> erlang:nif_error(undef)`
 * stub in lists.beam) gets a body that tail-calls through its export entry,
 * so the module's own local calls reach the native too. The replaced
 * instruction is patched over the module's code view rather than copied into
 * a new code array, which would decode the whole module.
 */
function routeNatives(
  vm: Machine,
  beam: BeamModule,
  view: CodeView,
): { view: CodeView; imports: readonly Import[] } {
  const imports = [...beam.imports];
  const patches = new Map<number, Instr>();
  for (const f of beam.functions) {
    const isExported = beam.exports.some((e) => e.name === f.name && e.arity === f.arity);
    if (!isExported) continue;
    const entry = vm.exports.get(beam.name, f.name, f.arity);
    if (entry.native === null && entry.control === null) continue;
    const mfa: Import = { module: beam.name, name: f.name, arity: f.arity };
    imports.push(mfa);
    patches.set(f.entry + 1, {
      op: OP.call_ext_only,
      args: [
        { kind: "u", value: f.arity },
        { kind: "import", index: imports.length - 1, mfa },
      ],
    });
  }
  return { view: patches.size > 0 ? new PatchedView(view, patches) : view, imports };
}

/** Loads `beam` into `vm`, replacing any previous version's exports. */
export function loadModule(vm: Machine, beam: BeamModule): LoadedModule {
  const { view, imports } = routeNatives(vm, beam, codeView(beam));
  const n = view.length;
  const base = vm.code.size;
  const pcOf = new Int32Array(n + 1);
  let next = base;
  for (let i = 0; i < n; i++) {
    pcOf[i] = next;
    if (!SKIPPED_OP[view.op(i)]) next++;
  }
  pcOf[n] = next;

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
  const importEntries = imports.map((m) => vm.exports.get(m.module, m.name, m.arity));

  // Closures are made per function on first use (module-code.ts); until
  // then each pc holds its function's compile-on-first-use handler.
  const closures = new ModuleCode(vm, beam, view, pcOf, base, importEntries, funs);
  // The units cover the module's pcs in order, each starting out as its lazy handler.
  const code = vm.code;
  for (const unit of closures.units) {
    if (code.size !== unit.start)
      throw new Error(`internal: pc mismatch loading ${beam.name.name}`);
    code.extend(unit.end - unit.start, closures.lazyHandler(unit.index));
  }
  if (code.size !== next) throw new Error(`internal: pc mismatch loading ${beam.name.name}`);
  for (let i = 0; i < n; i++) if (pcOf[i + 1] !== pcOf[i]) code.setLine(pcOf[i]!, lineOf(i));
  if (vm.tier === "jit") {
    closures.installer = jitInstaller(vm, beam, view, pcOf, base, next, importEntries);
  } else if (vm.tier === "fused") {
    const site = `${beam.name.name}@${n}`;
    closures.installer = (c, unit) => {
      c.copyOwn(unit);
      fuseRange(site, vm.code.handlers, unit.start, unit.end, c.leaders(unit), base);
    };
  }

  for (const e of beam.exports) {
    const entry = vm.exports.get(beam.name, e.name, e.arity);
    // A native keeps the entry; the bytecode only reaches it (see routeNativesOfModule).
    if (entry.native === null && entry.control === null) entry.pc = pcOf[e.entry]!;
  }
  const loaded: LoadedModule = {
    name: beam.name,
    beam,
    funs,
    // Asking for the compile problems compiles the whole module.
    get unsupported() {
      closures.compileAll();
      return closures.unsupported;
    },
  };
  vm.modules.set(beam.name, loaded);
  return loaded;
}
