/**
 * Finds and loads `.beam` files: explicit loads, and autoload of a module the
 * first time code calls into it, searching the code path in order.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadBeam } from "../loader/load.ts";
import { type Atom, atom } from "../terms/atom.ts";
import { type LoadedModule, loadModule } from "./interp/load.ts";
import type { VM } from "./vm.ts";

export class CodeServer {
  readonly paths: string[] = [];

  constructor(readonly vm: VM) {
    vm.moduleLoader = (name) => this.autoload(name);
  }

  /** Adds directories to the end of the code path. */
  addPaths(...dirs: string[]): void {
    for (const d of dirs) if (!this.paths.includes(d)) this.paths.push(d);
  }

  /**
   * Loads a `.beam` file's bytes. Throws the loader's LoadError on bad input;
   * instructions are decoded per function on first use, so a malformed
   * function (bad structure aside, which fails here) raises its LoadError
   * when it is first called.
   */
  loadBytes(bytes: Uint8Array, fileName: string): LoadedModule {
    return loadModule(this.vm, loadBeam(bytes, fileName, { lazy: true }));
  }

  loadFile(path: string): LoadedModule {
    return this.loadBytes(new Uint8Array(readFileSync(path)), path);
  }

  /** Loads every `.beam` under `dir` (recursively). Returns the modules loaded. */
  loadDir(dir: string): LoadedModule[] {
    const out: LoadedModule[] = [];
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) out.push(...this.loadDir(path));
      else if (entry.endsWith(".beam")) out.push(this.loadFile(path));
    }
    return out;
  }

  /**
   * Loads module `name` from the code path unless it is loaded already, as
   * `code:ensure_loaded/1` does. True when it is loaded afterwards. For
   * preloading what a program will use, so loading happens before it runs.
   */
  ensureLoaded(name: string | Atom): boolean {
    const a = typeof name === "string" ? atom(name) : name;
    return this.vm.modules.has(a) || this.autoload(a);
  }

  private autoload(name: Atom): boolean {
    if (this.vm.modules.has(name)) return false;
    for (const dir of this.paths) {
      const path = join(dir, `${name.name}.beam`);
      if (existsSync(path)) {
        this.loadFile(path);
        return true;
      }
    }
    return false;
  }
}
