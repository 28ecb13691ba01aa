/**
 * BIFs that raise, transfer control, or describe code: error/exit/throw,
 * apply, make_ref, halt, module_info and fun_info.
 */

import { A, Atom, atom, bool } from "../../terms/atom.ts";
import { listFromArray, listToArray } from "../../terms/list.ts";
import { ExportFun, Fun, NIL, type Term } from "../../terms/term.ts";
import {
  applyTerms,
  badarg,
  defineNatives,
  ErlangError,
  HaltSignal,
  type Process,
  Raise,
  reraise,
} from "../../vm/index.ts";

/** `erlang:error/exit/throw`: the caller's own exception, returned (see `Raise`), not thrown. */
function raise(cls: "error" | "exit" | "throw", reason: Term, args: Term[] | null = null): Raise {
  const e = new ErlangError(cls, reason);
  e.fromErlangCode = true;
  if (args !== null) e.currentArgs = args;
  return new Raise(e);
}

const AT = {
  module: atom("module"),
  exports: atom("exports"),
  functions: atom("functions"),
  attributes: atom("attributes"),
  compile: atom("compile"),
  md5: atom("md5"),
  nifs: atom("nifs"),
  native: atom("native"),
  arity: atom("arity"),
  name: atom("name"),
  env: atom("env"),
  type: atom("type"),
  local: atom("local"),
  external: atom("external"),
  index: atom("index"),
  new_index: atom("new_index"),
  uniq: atom("uniq"),
  new_uniq: atom("new_uniq"),
  pid: atom("pid"),
  module_info: atom("module_info"),
  error_info: atom("error_info"),
} as const;

function moduleInfo(p: Process, m: Term, key: Term | null): Term {
  if (!(m instanceof Atom)) badarg();
  const loaded = p.vm.modules.get(m);
  if (!loaded) badarg();
  const beam = loaded.beam;
  const item = (k: Term): Term => {
    switch (k) {
      case AT.module:
        return m;
      case AT.exports:
        return listFromArray(beam.exports.map((e) => [e.name, e.arity]));
      case AT.functions:
        return listFromArray(beam.functions.map((f) => [f.name, f.arity]));
      case AT.attributes:
        return beam.attributes;
      case AT.compile:
        return beam.compileInfo;
      case AT.md5:
        return A.undefined;
      case AT.nifs:
        return NIL;
      case AT.native:
        return A.false;
      default:
        return badarg();
    }
  };
  if (key !== null) return item(key);
  const keys = [AT.module, AT.exports, AT.attributes, AT.compile, AT.md5];
  return listFromArray(keys.map((k) => [k, item(k)]));
}

function funInfo(f: Term, key: Term): Term {
  if (f instanceof ExportFun) {
    switch (key) {
      case AT.module:
        return [key, f.module];
      case AT.name:
        return [key, f.name];
      case AT.arity:
        return [key, f.arity];
      case AT.env:
        return [key, NIL];
      case AT.type:
        return [key, AT.external];
      case AT.pid:
      case AT.index:
      case AT.new_index:
      case AT.uniq:
      case AT.new_uniq:
        return [key, A.undefined];
    }
    return badarg();
  }
  if (!(f instanceof Fun)) badarg();
  switch (key) {
    case AT.module:
      return [key, f.module];
    case AT.name:
      return [key, f.name];
    case AT.arity:
      return [key, f.arity];
    case AT.env:
      return [key, listFromArray(f.env)];
    case AT.type:
      return [key, AT.local];
    case AT.pid:
      return [key, f.pid ?? A.undefined];
    case AT.index:
    case AT.new_index:
      return [key, f.index];
    case AT.uniq:
    case AT.new_uniq:
      return [key, f.uniq];
  }
  return badarg();
}

/** A stack trace raise/3 accepts: a proper list of {M,F,A,Loc} or {Fun,A,Loc} frames. */
function validStack(t: Term): boolean {
  const frames = listToArray(t);
  if (frames === null) return false;
  return frames.every((f) => Array.isArray(f) && (f.length === 4 || f.length === 3));
}

const FUN_INFO_KEYS = [
  AT.pid,
  AT.module,
  AT.new_index,
  AT.new_uniq,
  AT.index,
  AT.uniq,
  AT.name,
  AT.arity,
  AT.env,
  AT.type,
];

export const controlNatives = defineNatives(
  "erlang",
  {
    "error/1": (_p, r) => raise("error", r!),
    "error/2": (_p, r, args) => raise("error", r!, listToArray(args!) ?? null),
    "error/3": (_p, r, args, opts) => {
      const e = new ErlangError("error", r!);
      e.fromErlangCode = true;
      e.currentArgs = listToArray(args!) ?? null;
      for (const o of listToArray(opts!) ?? []) {
        if (Array.isArray(o) && o.length === 2 && o[0] === AT.error_info) e.extraLocation.push(o);
      }
      return new Raise(e);
    },
    "exit/1": (_p, r) => raise("exit", r!),
    "throw/1": (_p, r) => raise("throw", r!),
    "raise/3": (_p, cls, reason, stack) => {
      // With a bad class or stack, raise/3 returns badarg instead of raising.
      const e = reraise(cls!, reason!, stack!);
      if (e === null || !validStack(stack!)) return A.badarg;
      return new Raise(e);
    },
    "nif_error/1": (_p, r) => raise("error", r!),
    "nif_error/2": (_p, r) => raise("error", r!),
    "make_ref/0": (p) => p.vm.makeRef(),
    "halt/0": () => {
      throw new HaltSignal(0);
    },
    "halt/1": (_p, s) => {
      throw new HaltSignal(typeof s === "number" ? s : 1);
    },
    "halt/2": (_p, s) => {
      throw new HaltSignal(typeof s === "number" ? s : 1);
    },
    "get_module_info/1": (p, m) => moduleInfo(p, m!, null),
    "get_module_info/2": (p, m, k) => moduleInfo(p, m!, k!),
    "function_exported/3": (p, m, f, a) => {
      if (!(m instanceof Atom) || !(f instanceof Atom) || typeof a !== "number") badarg();
      return bool(p.vm.exports.get(m, f, a).isDefined);
    },
    "module_loaded/1": (p, m) => {
      if (!(m instanceof Atom)) badarg();
      return bool(p.vm.modules.has(m));
    },
    "fun_info/2": (_p, f, k) => funInfo(f!, k!),
    "fun_info/1": (_p, f) => {
      if (!(f instanceof Fun || f instanceof ExportFun)) badarg();
      return listFromArray(
        FUN_INFO_KEYS.map((k) => funInfo(f, k)).filter(
          (t) => (t as Term[])[1] !== A.undefined || f instanceof Fun,
        ),
      );
    },
    "yield/0": () => A.true,
  },
  {
    "apply/2": (p, [f, args], ret) => applyTerms(p, f!, null, args!, ret),
    "apply/3": (p, [m, f, args], ret) => applyTerms(p, m!, f!, args!, ret),
    "hibernate/3": (p, [m, f, args]) => {
      p.stack.length = 0;
      p.ret.length = 0;
      p.ret.push(0);
      return applyTerms(p, m!, f!, args!, -1);
    },
  },
);
