/**
 * `aion package DIR [-o OUT.aion]`: builds a `.aion` package from a directory
 * of compiled .beam files and a workflow.toml, and prints what it wrote.
 * `aion package --check FILE.aion...`: reads and validates packages and
 * prints their manifests' essentials.
 */
import { writeFileSync } from "node:fs";
import {
  buildPackage,
  formatDuration,
  type Manifest,
  PackageError,
  readPackage,
} from "../../loader/aion/index.ts";
import type { Command } from "../command.ts";

const USAGE = `usage: aion package DIR [-o OUT.aion]
       aion package --check FILE.aion...

Builds DIR (workflow.toml + *.beam + optional src/**/*.gleam) into a
reproducible .aion package; OUT defaults to DIR/<entry_module>.aion.
--check reads and validates existing packages instead.`;

/** The summary printed for a built or checked package. */
function describe(m: Manifest, form: string, modules: Iterable<string>, sources: number): string {
  const workflows = [
    `  ${m.entry_module} -> ${m.entry_module}:${m.entry_function}${timeout(m.timeout)}`,
    ...m.additional_workflows.map(
      (w) =>
        `  ${w.workflow_type} -> ${w.entry_module}:${w.entry_function}${timeout(w.timeout)}${w.internal ? " (internal)" : ""}`,
    ),
  ];
  return [
    `version ${m.version} (${form} form)`,
    `modules: ${[...modules].join(" ")}`,
    `sources: ${sources}`,
    `activities: ${m.activities.map((a) => a.activity_type).join(" ") || "(none)"}`,
    "workflows:",
    ...workflows,
  ].join("\n");
}

function timeout(d: Manifest["timeout"]): string {
  return d === undefined ? "" : `, timeout ${formatDuration(d)}`;
}

async function check(files: readonly string[]): Promise<number> {
  let status = 0;
  for (const file of files) {
    try {
      const p = readPackage(new Uint8Array(await Bun.file(file).arrayBuffer()), file);
      console.log(
        `${file}: ok\n${describe(p.manifest, p.versionForm, p.modules.keys(), p.sources.size)}`,
      );
    } catch (e) {
      if (e instanceof PackageError) console.error(String(e));
      else console.error(`aion package: cannot read ${file}: ${(e as Error).message}`);
      status = 1;
    }
  }
  return status;
}

function build(dir: string, out: string | undefined): number {
  try {
    const built = buildPackage(dir);
    const target = out ?? built.defaultOutput;
    writeFileSync(target, built.bytes);
    console.log(
      `wrote ${target} (${built.bytes.length} bytes)\n${describe(built.manifest, built.versionForm, built.modules.keys(), built.sources.size)}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof PackageError) console.error(String(e));
    else console.error(`aion package: ${(e as Error).message}`);
    return 1;
  }
}

export const command: Command = {
  summary: "build a .aion package from a directory, or --check packages",
  usage: USAGE,
  async run(args) {
    if (args[0] === "--check") {
      if (args.length < 2) return usage();
      return check(args.slice(1));
    }
    let dir: string | undefined;
    let out: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-o" || a === "--output") {
        out = args[++i];
        if (out === undefined) return usage();
      } else if (a.startsWith("-") || dir !== undefined) {
        return usage();
      } else {
        dir = a;
      }
    }
    return dir === undefined ? usage() : build(dir, out);
  },
};

function usage(): number {
  console.error(USAGE);
  return 2;
}
