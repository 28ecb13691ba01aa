/**
 * Code introspection: `erlang:loaded/0`, `code:all_loaded/0` and
 * `code:all_available/0`. Loaded modules are the bytecode modules in the VM
 * plus the modules implemented only by natives (reported as `preloaded`,
 * as OTP reports its own preloaded modules); available ones add the `.beam`
 * files on the code path. The code path lives in the Runtime's code server
 * and the native modules in the natives registry, neither of which a native
 * sees, so createRuntime registers both here.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { A, atom } from "../../terms/atom.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import type { Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";

type Machine = Process["vm"];

/** What the code natives know about a VM beyond its loaded modules. */
export interface CodeInfo {
  /** The directories its code server searches (a live list: later additions show). */
  readonly paths: readonly string[];
  /** Modules implemented (at least partly) by natives. */
  readonly nativeModules: readonly string[];
}

const infos = new WeakMap<Machine, CodeInfo>();

/** Tells the code natives about `vm`'s code path and native modules. */
export function registerCodeInfo(vm: Machine, info: CodeInfo): void {
  infos.set(vm, info);
}

/** Module name to the file it was loaded from, or null for a natives-only module. */
function loadedModules(vm: Machine): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [name, m] of vm.modules) out.set(name.name, m.beam.file);
  for (const mod of infos.get(vm)?.nativeModules ?? []) if (!out.has(mod)) out.set(mod, null);
  return out;
}

const PRELOADED = atom("preloaded");

/** A loaded module's file as OTP reports it: an absolute path, or `preloaded`. */
function fileTerm(file: string | null): Term {
  return file === null || file.startsWith("<") ? PRELOADED : stringToList(resolve(file));
}

export const codeInfoErlangNatives: NativeModule = defineNatives("erlang", {
  "loaded/0": (p) => listFromArray([...loadedModules(p.vm).keys()].map((m) => atom(m))),
});

export const codeInfoNatives: NativeModule = defineNatives("code", {
  "all_loaded/0": (p) =>
    listFromArray([...loadedModules(p.vm)].map(([m, f]): Term => [atom(m), fileTerm(f)])),
  "all_available/0": (p) => {
    const loaded = loadedModules(p.vm);
    const out: Term[] = [];
    const seen = new Set<string>();
    for (const dir of infos.get(p.vm)?.paths ?? []) {
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir).sort()) {
        if (!entry.endsWith(".beam")) continue;
        const mod = entry.slice(0, -".beam".length);
        if (seen.has(mod)) continue;
        seen.add(mod);
        out.push([
          stringToList(mod),
          stringToList(resolve(join(dir, entry))),
          loaded.has(mod) ? A.true : A.false,
        ]);
      }
    }
    for (const [mod, file] of loaded)
      if (!seen.has(mod)) out.push([stringToList(mod), fileTerm(file), A.true]);
    return listFromArray(out);
  },
});
