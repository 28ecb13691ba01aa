/**
 * Every fixture with an `erlc -S` listing next to its .beam must disassemble
 * to the same instructions, after the normalisation in snorm.ts.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { dirname, join, relative } from "node:path";
import { disassemble, instructionTerm, loadBeam } from "../../loader/index.ts";
import {
  atom,
  exactEq,
  formatPSingleLine,
  listFromArray,
  listToArray,
  type Term,
} from "../../terms/index.ts";
import { normInstr, normOperand } from "./snorm.ts";
import { readForms } from "./sterm.ts";

// Disassembling the large fixtures takes a fraction of a second when idle, seconds under load.
setDefaultTimeout(60_000);

const ROOT = join(dirname(import.meta.path), "..", "..");

/** Listings to check: the fixtures, plus any directories in AION_DISASM_DIRS (colon-separated). */
function findListings(): string[] {
  const dirs = [ROOT, ...(process.env.AION_DISASM_DIRS ?? "").split(":").filter((d) => d !== "")];
  const out: string[] = [];
  for (const dir of dirs) {
    const pattern = dir === ROOT ? "fixtures/**/*.S" : "**/*.S";
    for (const rel of new Bun.Glob(pattern).scanSync({ cwd: dir })) {
      const path = join(dir, rel);
      if (Bun.file(path.replace(/\.S$/, ".beam")).size > 0) out.push(path);
    }
  }
  return out.sort();
}
const listings = findListings();

const show = (t: Term) => formatPSingleLine(t);
const sortTerms = (ts: Term[]) => ts.map(show).sort();

interface Listing {
  module: Term;
  exports: Term[];
  attributes: Term[];
  labels: Term;
  functions: { head: Term[]; body: Term[] }[];
}

function parseListing(text: string): Listing {
  const forms = readForms(text);
  const get = (tag: string) => {
    const f = forms.find((t) => Array.isArray(t) && t[0] === atom(tag)) as Term[] | undefined;
    if (!f) throw new Error(`listing has no ${tag} form`);
    return f[1]!;
  };
  const functions: Listing["functions"] = [];
  for (const f of forms) {
    if (Array.isArray(f) && f[0] === atom("function")) functions.push({ head: f, body: [] });
    else if (functions.length > 0) functions.at(-1)!.body.push(f);
  }
  return {
    module: get("module"),
    exports: listToArray(get("exports")) ?? [],
    attributes: listToArray(get("attributes")) ?? [],
    labels: get("labels"),
    functions,
  };
}

/** Attributes the assembler adds (vsn) or moves into code (on_load) are not compared. */
function normAttrs(attrs: Term[], keepVsn: boolean): string[] {
  return sortTerms(
    attrs.filter((t) => {
      const key = Array.isArray(t) ? t[0] : undefined;
      return key !== atom("on_load") && (keepVsn || key !== atom("vsn"));
    }),
  );
}

describe("disassembly matches erlc -S", () => {
  test("fixtures exist", () => {
    expect(listings.length).toBeGreaterThan(0);
  });

  for (const path of listings) {
    test(relative(ROOT, path), async () => {
      const text = await Bun.file(path).text();
      const beamPath = path.replace(/\.S$/, ".beam");
      const m = loadBeam(new Uint8Array(await Bun.file(beamPath).arrayBuffer()), beamPath);
      const s = parseListing(text);

      expect(m.name).toBe(s.module as never);
      const ours = m.exports.map((e): Term => [e.name, e.arity]);
      expect(sortTerms(ours)).toEqual(sortTerms(s.exports));
      const sHasVsn = s.attributes.some((t) => Array.isArray(t) && t[0] === atom("vsn"));
      expect(normAttrs(listToArray(m.attributes) ?? [], sHasVsn)).toEqual(
        normAttrs(s.attributes, sHasVsn),
      );
      expect(m.codeHeader.labelCount).toBe(s.labels as number);
      expect(m.functions.length).toBe(s.functions.length);

      const mismatches: string[] = [];
      let compared = 0;
      m.functions.forEach((fn, k) => {
        const sf = s.functions[k]!;
        const head: Term = [atom("function"), fn.name, fn.arity, fn.label];
        if (!exactEq(head, sf.head)) mismatches.push(`head ${show(head)} vs ${show(sf.head)}`);
        const mine = m.code
          .slice(fn.start, fn.end)
          .map((ins) => normInstr(instructionTerm(m, ins)))
          .filter((t): t is Term => t !== null);
        const theirs = sf.body.map(normInstr).filter((t): t is Term => t !== null);
        const n = Math.max(mine.length, theirs.length);
        for (let i = 0; i < n; i++) {
          const x = mine[i];
          const y = theirs[i];
          compared++;
          if (x === undefined || y === undefined || !exactEq(x, y)) {
            mismatches.push(
              `${show(fn.name)}/${fn.arity} #${i}:\n  ours: ${x === undefined ? "-" : show(x)}\n  -S:   ${y === undefined ? "-" : show(y)}`,
            );
          }
        }
      });
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(compared).toBeGreaterThan(0);
      // The printer handles every instruction of the module.
      expect(disassemble(m).length).toBeGreaterThan(0);
    });
  }
});

describe("normalisation helpers", () => {
  test("literal forms collapse to their encodings", () => {
    const lit = (v: Term): Term => [atom("literal"), v];
    expect(show(normOperand(lit(listFromArray([]))))).toBe("nil");
    expect(show(normOperand(lit(atom("a"))))).toBe("{atom,a}");
    expect(show(normOperand([atom("integer"), 1n << 200n]))).toBe(`{literal,${1n << 200n}}`);
  });
});
