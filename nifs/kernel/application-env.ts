/**
 * The application environment of the minimal kernel: natives for the
 * `application_controller` functions that `application:get_env/set_env`
 * and OTP's behaviours reach (`error_logger:get_format_depth/0` reads
 * `kernel`'s env from `proc_lib` crash reports).
 *
 * On BEAM these read the controller's `ac_tab` ETS table and write it through
 * the controller process. The VM boots no application controller, so the env
 * lives in a per-VM JS map instead: reads and writes are immediate and need no
 * process, which is all `application:get_env/set_env` promise. No application
 * is ever started, so the pid-based lookups (`get_env/1`, `get_application/1`)
 * answer as for a process outside every application.
 *
 * Env defaults: an application counts as loaded once one of its modules is
 * loaded from the directory holding its `.app` (app-file.ts); its `{env, ...}`
 * defaults then join the map under whatever `set_env` already put there, the
 * first time anything touches that application's env afterwards.
 */

import { A, Atom, atom } from "../../terms/atom.ts";
import { listFromArray } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";
import { badarg, defineNatives, type Machine, type NativeModule } from "../../vm/index.ts";
import { termKey } from "../lib/term-key.ts";
import { loadedAppResource, loadedAppResources } from "./app-file.ts";

/** One application's env: key (by exact equality) to its key term and value. */
type AppEnv = Map<string, readonly [Term, Term]>;

const envs = new WeakMap<Machine, Map<Atom, AppEnv>>();

function appsOf(vm: Machine): Map<Atom, AppEnv> {
  let m = envs.get(vm);
  if (m === undefined) {
    m = new Map();
    envs.set(vm, m);
  }
  return m;
}

/** Per VM: applications whose defaults are in, and for the others the module count at the last look. */
interface DefaultsState {
  readonly loaded: Set<Atom>;
  readonly lookedAt: Map<Atom, number>;
}

const defaults = new WeakMap<Machine, DefaultsState>();

/**
 * Adds `app`'s `.app` env defaults once its code is loaded. Looks again only
 * when more modules have been loaded since the last miss, so a read in a loop
 * does not touch the file system.
 */
function ensureDefaults(vm: Machine, app: Atom): void {
  let st = defaults.get(vm);
  if (st === undefined) {
    st = { loaded: new Set(), lookedAt: new Map() };
    defaults.set(vm, st);
  }
  if (st.loaded.has(app) || st.lookedAt.get(app) === vm.modules.size) return;
  const res = loadedAppResource(vm, app);
  if (res === null) {
    st.lookedAt.set(app, vm.modules.size);
    return;
  }
  st.loaded.add(app);
  const apps = appsOf(vm);
  let env = apps.get(app);
  if (env === undefined) {
    env = new Map();
    apps.set(app, env);
  }
  for (const [k, v] of res.env) {
    const key = termKey(k);
    if (!env.has(key)) env.set(key, [k, v]);
  }
}

function appArg(t: Term): Atom {
  return t instanceof Atom ? t : badarg();
}

/** The application named by `t`, its `.app` defaults in place. */
function appOf(vm: Machine, t: Term): Atom {
  const a = appArg(t);
  ensureDefaults(vm, a);
  return a;
}

function getEnv(vm: Machine, app: Term, key: Term): Term {
  const found = appsOf(vm).get(appOf(vm, app))?.get(termKey(key));
  return found === undefined ? A.undefined : [A.ok, found[1]];
}

function allEnv(vm: Machine, app: Term): Term {
  const env = appsOf(vm).get(appOf(vm, app));
  if (env === undefined) return NIL;
  return listFromArray([...env.values()].map(([k, v]) => [k, v]));
}

function setEnv(vm: Machine, app: Term, key: Term, value: Term): Term {
  const apps = appsOf(vm);
  const a = appOf(vm, app);
  let env = apps.get(a);
  if (env === undefined) {
    env = new Map();
    apps.set(a, env);
  }
  env.set(termKey(key), [key, value]);
  return A.ok;
}

function unsetEnv(vm: Machine, app: Term, key: Term): Term {
  appsOf(vm).get(appOf(vm, app))?.delete(termKey(key));
  return A.ok;
}

/** `set_env([{App, [{Key, Val}]}], Opts)`: OTP validates the shape first and answers `{error, Msg}`. */
function setConfig(vm: Machine, config: Term): Term {
  const bad = (why: string): Term => [A.error, listFromArray([...why].map((c) => c.charCodeAt(0)))];
  const pairs: [Term, Term, Term][] = [];
  for (let l = config; l !== NIL; l = (l as Cons).tail) {
    if (!(l instanceof Cons)) return bad("configuration must be a list");
    const entry = l.head;
    if (!Array.isArray(entry) || entry.length !== 2 || !(entry[0] instanceof Atom))
      return bad("application: not an atom or not a pair");
    for (let e = entry[1]!; e !== NIL; e = (e as Cons).tail) {
      if (!(e instanceof Cons)) return bad("parameters must be a list");
      const kv = e.head;
      if (!Array.isArray(kv) || kv.length !== 2 || !(kv[0] instanceof Atom))
        return bad("invalid parameter");
      pairs.push([entry[0], kv[0], kv[1]!]);
    }
  }
  for (const [app, k, v] of pairs) setEnv(vm, app, k, v);
  return A.ok;
}

export const applicationControllerNatives: NativeModule = defineNatives("application_controller", {
  "get_env/2": (p, app, key) => getEnv(p.vm, app!, key!),
  "get_all_env/1": (p, app) => allEnv(p.vm, app!),
  "set_env/3": (p, app, key, value) => setEnv(p.vm, app!, key!, value!),
  "set_env/4": (p, app, key, value, _opts) => setEnv(p.vm, app!, key!, value!),
  "set_env/2": (p, config, _opts) => setConfig(p.vm, config!),
  "unset_env/2": (p, app, key) => unsetEnv(p.vm, app!, key!),
  "unset_env/3": (p, app, key, _opts) => unsetEnv(p.vm, app!, key!),
  // No application runs, so no process belongs to one.
  "get_pid_env/2": () => A.undefined,
  "get_pid_all_env/1": () => NIL,
  "get_pid_key/2": () => A.undefined,
  "get_key/2": () => A.undefined,
  "get_all_key/1": () => A.undefined,
  "get_application/1": () => A.undefined,
  "get_application_module/1": () => A.undefined,
  "which_applications/0": () => NIL,
  "which_applications/1": () => NIL,
  "loaded_applications/0": (p) =>
    listFromArray(loadedAppResources(p.vm).map((r): Term => [r.name, r.description, r.vsn])),
  "info/0": () =>
    listFromArray([
      [atom("loaded"), NIL],
      [atom("running"), NIL],
    ]),
});
