/**
 * Application resource files (`APP.app`) next to loaded code: where the
 * minimal kernel finds an application's env defaults. A real node reads an
 * application's `.app` when the application is loaded (at boot, or by
 * `application:load/1` from the application controller); the VM boots no
 * controller, so an application counts as loaded as soon as one of the
 * modules its `.app` lists is loaded from the directory that holds the
 * `.app` (the code server found the module there). docs/otp-compat.md has
 * the rule.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Atom } from "../../terms/atom.ts";
import { listToArray } from "../../terms/list.ts";
import { parseTerm } from "../../terms/parse.ts";
import type { Term } from "../../terms/term.ts";
import type { Machine } from "../../vm/index.ts";

/** What the kernel takes from an `.app` file. */
export interface AppResource {
  readonly name: Atom;
  /** `{description, ...}` and `{vsn, ...}` as written (strings), for `loaded_applications/0`. */
  readonly description: Term;
  readonly vsn: Term;
  /** The `{env, [{Key, Value}]}` defaults, in file order. */
  readonly env: readonly (readonly [Term, Term])[];
  readonly modules: ReadonlySet<Atom>;
}

/** Why an `.app` file could not be used: it is then ignored, as the log says. */
export class AppFileError extends Error {}

/** The value of `{Key, Value}` in an application's property list, or undefined. */
function prop(props: readonly Term[], key: string): Term | undefined {
  for (const p of props) {
    if (Array.isArray(p) && p.length === 2 && p[0] instanceof Atom && p[0].name === key) {
      return p[1];
    }
  }
  return undefined;
}

/** A list-valued property as an array (`[]` when absent), or null when it is not a list. */
function listProp(props: readonly Term[], key: string): Term[] | null {
  const v = prop(props, key);
  return v === undefined ? [] : listToArray(v);
}

/** Reads `{application, Name, Props}.` from `path`; throws AppFileError on anything else. */
export function readAppFile(path: string): AppResource {
  const text = readFileSync(path, "utf8")
    .split("\n")
    .map((l) => l.replace(/^\s*%.*$/, ""))
    .join("\n")
    .trim()
    .replace(/\.$/, "");
  let t: Term;
  try {
    t = parseTerm(text);
  } catch (e) {
    throw new AppFileError(`${path}: not a term: ${(e as Error).message}`);
  }
  if (!Array.isArray(t) || t.length !== 3 || !(t[0] instanceof Atom) || !(t[1] instanceof Atom))
    throw new AppFileError(`${path}: not {application, Name, Props}`);
  if (t[0].name !== "application") throw new AppFileError(`${path}: not {application, ...}`);
  const props = listToArray(t[2]!);
  if (props === null) throw new AppFileError(`${path}: properties are not a list`);
  const envList = listProp(props, "env");
  if (envList === null) throw new AppFileError(`${path}: env is not a list`);
  const env: (readonly [Term, Term])[] = [];
  for (const e of envList) {
    if (!Array.isArray(e) || e.length !== 2) throw new AppFileError(`${path}: bad env entry`);
    env.push([e[0]!, e[1]!]);
  }
  const modules = new Set<Atom>();
  for (const m of listProp(props, "modules") ?? []) {
    if (m instanceof Atom) modules.add(m);
  }
  return {
    name: t[1],
    description: prop(props, "description") ?? [],
    vsn: prop(props, "vsn") ?? [],
    env,
    modules,
  };
}

/** Parsed `.app` files by path (an install's files do not change while the VM runs). */
const parsed = new Map<string, AppResource | null>();

function cachedAppFile(path: string): AppResource | null {
  let r = parsed.get(path);
  if (r === undefined) {
    try {
      r = readAppFile(path);
    } catch (e) {
      if (!(e instanceof AppFileError)) throw e;
      r = null;
    }
    parsed.set(path, r);
  }
  return r;
}

/** The directories `vm`'s loaded modules came from. */
function codeDirs(vm: Machine): Set<string> {
  const dirs = new Set<string>();
  for (const m of vm.modules.values()) {
    const file = m.beam.file;
    if (file.endsWith(".beam")) dirs.add(dirname(file));
  }
  return dirs;
}

/** Whether one of the modules `res` lists is loaded in `vm` from `dir`. */
function usedFrom(vm: Machine, res: AppResource, dir: string): boolean {
  for (const mod of res.modules) {
    const loaded = vm.modules.get(mod);
    if (loaded !== undefined && dirname(loaded.beam.file) === dir) return true;
  }
  return false;
}

/**
 * The `.app` of application `app` if one of its listed modules is loaded in
 * `vm` from the directory holding it; null otherwise (not loaded yet, or no
 * such file). An unreadable `.app` counts as none.
 */
export function loadedAppResource(vm: Machine, app: Atom): AppResource | null {
  for (const dir of codeDirs(vm)) {
    const path = join(dir, `${app.name}.app`);
    if (!existsSync(path)) continue;
    const res = cachedAppFile(path);
    if (res !== null && res.name === app && usedFrom(vm, res, dir)) return res;
  }
  return null;
}

/** Every application whose `.app` sits beside loaded code and lists a module loaded from there. */
export function loadedAppResources(vm: Machine): AppResource[] {
  const out: AppResource[] = [];
  for (const dir of codeDirs(vm)) {
    for (const entry of readdirSync(dir)) {
      if (!entry.endsWith(".app")) continue;
      const res = cachedAppFile(join(dir, entry));
      if (res !== null && usedFrom(vm, res, dir)) out.push(res);
    }
  }
  return out;
}
