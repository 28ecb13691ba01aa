/**
 * Renaming the modules of a decoded `.beam` so a package version can be
 * loaded next to other versions of the same modules: every place where a
 * module atom of the package names a module is mapped to its versioned atom.
 *
 * What is renamed: the module's own name (so `?MODULE`, funs and `func_info`
 * resolve to the versioned copy), import-table modules (and the resolved
 * import operands that carry them), every atom operand and every atom inside
 * a literal (deeply, including the module of `fun M:F/A` literals) equal to a
 * mapped name — which covers `apply`/`spawn` with a literal module atom.
 *
 * What is not: function names (the second `func_info` operand, export,
 * local and fun tables), atoms not in the mapping (library modules, natives,
 * `aion_flow_ffi`), and the Attr/CInf chunks (metadata only).
 */
import type { BeamModule, Import, Instr, Operand } from "../../loader/module.ts";
import { OP } from "../../loader/opcodes.ts";
import { Atom, Cons, ExportFun, MapTerm, mapFromPairs, NIL, type Term } from "../../terms/index.ts";

/** Logical module atom → deployed (versioned) module atom. */
export type ModuleMapping = ReadonlyMap<Atom, Atom>;

/** Returns a copy of `beam` with every module reference in `mapping` renamed. */
export function renameModules(beam: BeamModule, mapping: ModuleMapping): BeamModule {
  if (mapping.size === 0) return beam;
  const atomOf = (a: Atom): Atom => mapping.get(a) ?? a;
  const imports: Import[] = beam.imports.map((i) =>
    mapping.has(i.module) ? { ...i, module: atomOf(i.module) } : i,
  );
  const term = (t: Term): Term => renameTerm(t, mapping);
  const operand = (o: Operand): Operand => {
    switch (o.kind) {
      case "atom":
        return mapping.has(o.value) ? { kind: "atom", value: atomOf(o.value) } : o;
      case "literal": {
        const value = term(o.value);
        return value === o.value ? o : { kind: "literal", index: o.index, value };
      }
      case "list": {
        const items = o.items.map(operand);
        return items.every((x, i) => x === o.items[i]) ? o : { kind: "list", items };
      }
      case "import": {
        const mfa = imports[o.index] ?? o.mfa;
        return mfa === o.mfa ? o : { kind: "import", index: o.index, mfa };
      }
      default:
        return o;
    }
  };
  const code: Instr[] = beam.code.map((ins) => {
    if (ins.args.length === 0) return ins;
    // func_info's second operand is a function name, which may spell a module's name.
    const args =
      ins.op === OP.func_info
        ? [operand(ins.args[0]!), ...ins.args.slice(1)]
        : ins.args.map(operand);
    return args.every((a, i) => a === ins.args[i]) ? ins : { op: ins.op, args };
  });
  return {
    ...beam,
    name: atomOf(beam.name),
    atoms: beam.atoms.map(atomOf),
    imports,
    literals: beam.literals.map(term),
    code,
  };
}

/** `t` with mapped atoms replaced, deeply; returns `t` itself when nothing changes. */
export function renameTerm(t: Term, mapping: ModuleMapping): Term {
  if (t instanceof Atom) return mapping.get(t) ?? t;
  if (Array.isArray(t)) {
    const items = t.map((x) => renameTerm(x, mapping));
    return items.every((x, i) => x === t[i]) ? t : items;
  }
  if (t instanceof Cons) return renameList(t, mapping);
  if (t instanceof MapTerm) {
    const pairs: [Term, Term][] = t.keys.map((k, i) => [
      renameTerm(k, mapping),
      renameTerm(t.values[i]!, mapping),
    ]);
    const same = pairs.every(([k, v], i) => k === t.keys[i] && v === t.values[i]);
    // Renamed keys may sort differently: rebuild through the map constructor.
    return same ? t : mapFromPairs(pairs);
  }
  if (t instanceof ExportFun && mapping.has(t.module)) {
    return new ExportFun(mapping.get(t.module)!, t.name, t.arity);
  }
  return t;
}

/** Lists are renamed iteratively: literal lists can be long. */
function renameList(list: Cons, mapping: ModuleMapping): Term {
  const heads: Term[] = [];
  let changed = false;
  let cur: Term = list;
  while (cur instanceof Cons) {
    const h = renameTerm(cur.head, mapping);
    if (h !== cur.head) changed = true;
    heads.push(h);
    cur = cur.tail;
  }
  const tail = cur === NIL ? NIL : renameTerm(cur, mapping);
  if (!changed && tail === cur) return list;
  let out: Term = tail;
  for (let i = heads.length - 1; i >= 0; i--) out = new Cons(heads[i]!, out);
  return out;
}
