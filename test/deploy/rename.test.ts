import { expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renameModules, renameTerm } from "../../engine/deploy/index.ts";
import { loadBeam } from "../../loader/index.ts";
import { OP } from "../../loader/opcodes.ts";
import { atom, ExportFun, listFromArray, MapTerm, mapFromPairs } from "../../terms/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const mapping = new Map([
  [atom("greeter"), atom("greeter$v")],
  [atom("greeter_util"), atom("greeter_util$v")],
]);

test("module name, imports and func_info modules are renamed; function names and other modules are not", () => {
  const beam = loadBeam(
    new Uint8Array(readFileSync(join(import.meta.dir, "fixtures/v1/greeter.beam"))),
  );
  const r = renameModules(beam, mapping);
  expect(r.name.name).toBe("greeter$v");
  const importMods = new Set(r.imports.map((i) => i.module.name));
  expect(importMods.has("greeter$v")).toBe(true);
  expect(importMods.has("greeter_util$v")).toBe(true);
  expect(importMods.has("json")).toBe(true);
  expect(importMods.has("aion_flow_ffi")).toBe(true);
  for (const ins of r.code.filter((i) => i.op === OP.func_info)) {
    expect(ins.args[0]).toEqual({ kind: "atom", value: atom("greeter$v") });
  }
  expect(r.exports.map((e) => e.name.name).sort()).toEqual([
    "module_info",
    "module_info",
    "run",
    "self_name",
    "version",
  ]);
  expect(beam.name.name).toBe("greeter"); // the input is not mutated
});

test("literals are renamed deeply; maps are rebuilt in key order", () => {
  const t = listFromArray([
    atom("greeter"),
    [atom("x"), new ExportFun(atom("greeter_util"), atom("greeter"), 1)],
  ]);
  expect(renameTerm(t, mapping)).toEqual(
    listFromArray([
      atom("greeter$v"),
      [atom("x"), new ExportFun(atom("greeter_util$v"), atom("greeter"), 1)],
    ]),
  );
  const m = mapFromPairs([
    [atom("greeter"), 1],
    [atom("greeter_zz"), 2],
  ]);
  const renamed = renameTerm(m, mapping) as MapTerm;
  expect(renamed).toBeInstanceOf(MapTerm);
  expect(renamed.keys).toEqual(
    mapFromPairs([
      [atom("greeter$v"), 1],
      [atom("greeter_zz"), 2],
    ]).keys,
  );
  const untouched = listFromArray([atom("lists"), 1]);
  expect(renameTerm(untouched, mapping)).toBe(untouched);
});
