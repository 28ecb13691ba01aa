/**
 * The architecture, checked: every folder may import only the layers below
 * it, code outside vm/ reaches the VM only through vm/index.ts, and no two
 * source files need each other at run time (type-only imports may cycle:
 * they vanish when the code runs).
 *
 *   terms <- loader <- vm <- nifs <- engine <- bin
 *
 * The allowed edges are written once, in LAYERS; tests, benchmarks, scripts
 * and examples sit on top and may import any layer (through its door).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { TEST_TIMEOUT_MS } from "./timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const ROOT = normalize(join(import.meta.dir, ".."));

/** Each source layer and the layers it may import (besides itself). */
const LAYERS: Record<string, readonly string[]> = {
  terms: [],
  loader: ["terms"],
  vm: ["terms", "loader"],
  nifs: ["terms", "loader", "vm"],
  engine: ["terms", "loader", "vm", "nifs"],
  bin: ["terms", "loader", "vm", "nifs", "engine"],
  // The web console's browser code: bundled on its own, it imports no other layer.
  ui: [],
};
const TOP = ["test", "bench", "scripts", "examples"];

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith(".ts")) out.push(rel);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*"(\.[^"]+)"/g;

/** Relative imports and re-exports of one file, resolved to repository paths. */
function edgesOf(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const clause = m[3] ?? "";
    // `import { type A, type B }` is type-only too.
    const names = /^\{([^}]*)\}$/s.exec(clause.trim())?.[1];
    const allTypeNames =
      names
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .every((s) => s.startsWith("type ")) ?? false;
    edges.push({
      from: file,
      to: normalize(join(dirname(file), m[4]!)),
      typeOnly: m[2] !== undefined || allTypeNames,
    });
  }
  return edges;
}

const layerOf = (file: string) => file.split("/")[0]!;
const files = [...Object.keys(LAYERS), ...TOP].flatMap(sources);
const edges = files.flatMap(edgesOf);

describe("layering", () => {
  test("the graph was read (guards against a regex that matches nothing)", () => {
    expect(files.length).toBeGreaterThan(300);
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges.some((e) => e.from === "vm/vm.ts" && e.to.startsWith("terms/"))).toBe(true);
  });

  test("no folder imports a layer above it", () => {
    const bad = edges
      .filter((e) => layerOf(e.from) in LAYERS && layerOf(e.to) !== layerOf(e.from))
      .filter((e) => !LAYERS[layerOf(e.from)]!.includes(layerOf(e.to)))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(bad).toEqual([]);
  });

  test("outside vm/, the VM is imported only through vm/index.ts", () => {
    const bad = edges
      .filter((e) => layerOf(e.from) !== "vm" && layerOf(e.to) === "vm" && e.to !== "vm/index.ts")
      .map((e) => `${e.from} -> ${e.to}`);
    expect(bad).toEqual([]);
  });

  test("no run-time import cycle", () => {
    const next = new Map<string, string[]>();
    for (const e of edges) {
      if (e.typeOnly) continue;
      const list = next.get(e.from) ?? [];
      list.push(e.to);
      next.set(e.from, list);
    }
    // Iterative DFS with colours; reports the first cycle found.
    const colour = new Map<string, 1 | 2>();
    let cycle: string[] | null = null;
    for (const start of files) {
      if (colour.has(start) || cycle) continue;
      const stack: { node: string; i: number }[] = [{ node: start, i: 0 }];
      colour.set(start, 1);
      while (stack.length > 0 && !cycle) {
        const top = stack[stack.length - 1]!;
        const succ = next.get(top.node) ?? [];
        if (top.i >= succ.length) {
          colour.set(top.node, 2);
          stack.pop();
          continue;
        }
        const n = succ[top.i++]!;
        if (colour.get(n) === 1) {
          const from = stack.findIndex((f) => f.node === n);
          cycle = [...stack.slice(from).map((f) => f.node), n];
        } else if (!colour.has(n)) {
          colour.set(n, 1);
          stack.push({ node: n, i: 0 });
        }
      }
    }
    expect(cycle).toBeNull();
  });

  test("every import resolves to a file in the repository", () => {
    const known = new Set(files);
    const missing = edges
      .filter((e) => !known.has(e.to) && !e.to.endsWith(".json"))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(missing).toEqual([]);
  });
});
