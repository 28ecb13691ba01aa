/** Builds the deploy tests' packages from the precompiled fixtures. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writePackage } from "../../loader/aion/index.ts";

const DIR = join(import.meta.dir, "fixtures");

function beam(dir: string, name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, dir, `${name}.beam`)));
}

/** The greeter package at version 1 or 2 (different code, hence different hashes). */
export function greeterPackage(v: 1 | 2): { bytes: Uint8Array; version: string } {
  const dir = `v${v}`;
  const p = writePackage({
    manifest: {
      entry_module: "greeter",
      entry_function: "run",
      input_schema: {
        type: "object",
        required: ["name"],
        properties: { name: { type: "string", minLength: 1 } },
      },
      output_schema: true,
      activities: [],
    },
    modules: new Map([
      ["greeter", beam(dir, "greeter")],
      ["greeter_util", beam(dir, "greeter_util")],
    ]),
  });
  return { bytes: p.bytes, version: p.version };
}

/**
 * The stepper package at version 1 or 2: its first command differs per
 * version, so a run replayed on the other version's code diverges.
 */
export function stepperPackage(v: 1 | 2): { bytes: Uint8Array; version: string } {
  const p = writePackage({
    manifest: {
      entry_module: "stepper",
      entry_function: "run",
      input_schema: {
        type: "object",
        required: ["rounds"],
        properties: { rounds: { type: "integer", minimum: 0 } },
      },
      output_schema: true,
      activities: [],
    },
    modules: new Map([["stepper", beam(`v${v}`, "stepper")]]),
  });
  return { bytes: p.bytes, version: p.version };
}

/** A package shipping a module named `lists`, which the VM implements natively. */
export function reservedPackage(): Uint8Array {
  return writePackage({
    manifest: {
      entry_module: "lists",
      entry_function: "run",
      input_schema: true,
      output_schema: true,
      activities: [],
    },
    modules: new Map([["lists", beam("reserved", "lists")]]),
  }).bytes;
}
