/**
 * Code introspection: `erlang:loaded/0`, `code:all_loaded/0`,
 * `code:all_available/0` and `code:lib_dir/1,2` (which `epp` asks for
 * `-include_lib`). Loaded modules are the bytecode modules in the VM
 * plus the modules implemented only by natives (reported as `preloaded`,
 * as OTP reports its own preloaded modules); available ones add the `.beam`
 * files on the code path. The code path lives in the Runtime's code server
 * and the native modules in the natives registry, neither of which a native
 * sees, so createRuntime registers both here.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { A, Atom, atom } from "../../terms/atom.ts";
import { listFromArray, listToString, stringToList } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { fclause } from "../lib/util.ts";

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

/**
 * The directory of application `app` as OTP's code server finds it: the
 * parent of an `ebin` directory on the code path named `app` or `app-Vsn`
 * (the first on the path wins), or null.
 */
function libDir(vm: Machine, app: string): string | null {
  for (const dir of infos.get(vm)?.paths ?? []) {
    const full = resolve(dir);
    if (basename(full) !== "ebin") continue;
    const lib = dirname(full);
    const name = basename(lib);
    if (name === app || (name.startsWith(`${app}-`) && /^[0-9]/.test(name.slice(app.length + 1))))
      return lib;
  }
  return null;
}

/**
 * An application name as code:lib_dir/1 takes it: an atom or (kept by OTP
 * for backwards compatibility) a string; any other term matches no clause.
 */
function appName(t: Term): string | null {
  if (t instanceof Atom) return t.name;
  if (t !== NIL && !(t instanceof Cons)) fclause();
  return listToString(t);
}

const BAD_NAME: Term = [A.error, atom("bad_name")];

export const codeInfoNatives: NativeModule = defineNatives("code", {
  "lib_dir/1": (p, app) => {
    const name = appName(app);
    const dir = name === null ? null : libDir(p.vm, name);
    return dir === null ? BAD_NAME : stringToList(dir);
  },
  "lib_dir/2": (p, app, sub) => {
    // Both atoms only (OTP 25's clause guard), unlike lib_dir/1.
    if (!(app instanceof Atom) || !(sub instanceof Atom)) fclause();
    const dir = libDir(p.vm, app.name);
    return dir === null ? BAD_NAME : stringToList(join(dir, sub.name));
  },
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
