/**
 * `aion package DIR [-o OUT] [--build]`: builds the `.aion` package(s) a
 * directory's workflow.toml declares (one per `[[workflow]]` of a Gleam
 * project, or the one of a flat directory of .beam files) and prints what it
 * wrote; `--build` runs `gleam build` first. An Erlang project's `src/*.erl`
 * is compiled into `ebin/` with erlc first (loader/aion/erlc-build.ts), its
 * `src/*.ex` with elixirc, plus the Elixir modules it needs (elixir-build.ts).
 * `aion package --check FILE.aion...`: reads and validates packages and
 * prints their manifests' essentials.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { reservedModules } from "../../engine/deploy/index.ts";
import { ENGINE_ERLANG_DIR } from "../../engine/index.ts";
import {
  buildProject,
  compileElixirSources,
  compileErlangSources,
  formatDuration,
  type Manifest,
  outputPaths,
  PackageError,
  readPackage,
  runGleamBuild,
} from "../../loader/aion/index.ts";
import {
  describeSchemaProblems,
  manifestSchemaProblems,
} from "../../loader/aion/schema/manifest-schemas.ts";
import { expectPositionals } from "../cli/args.ts";
import { usageError } from "../cli/errors.ts";
import { plainCommand } from "../cli/plain-command.ts";

const USAGE = `usage: aion package DIR [-o OUT] [--build]
       aion package --check FILE.aion...

Builds DIR into reproducible .aion packages: one per [[workflow]] of a
project's workflow.toml (modules from build/dev/erlang/*/ebin, ebin/ or DIR),
each written to its \`output\`; or the one package of a flat workflow.toml,
written to DIR/<entry_module>.aion. -o names the file (one package) or the
directory (several). --build runs \`gleam build\` in DIR first. A project's
src/*.erl (no gleam.toml) is compiled into ebin/ with erlc first, and its
src/*.ex with elixirc (with the Elixir standard library modules they need,
copied from your Elixir install).
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

function build(dir: string, out: string | undefined, gleamBuild: boolean): number {
  try {
    if (gleamBuild) runGleamBuild(dir);
    const erlang = compileErlangSources(dir);
    const elixir = compileElixirSources(dir, {
      provided: reservedModules(),
      codePath: [ENGINE_ERLANG_DIR],
    });
    const built = buildProject(dir);
    for (const p of built.packages) {
      // Schemas are checked against the meta-schema before anything is written.
      const problems = manifestSchemaProblems(p.manifest);
      if (problems.length > 0) {
        console.error(
          `aion package: ${join(dir, "workflow.toml")}: workflow ${p.manifest.entry_module}: ` +
            `not a valid JSON Schema: ${describeSchemaProblems(problems)}`,
        );
        return 1;
      }
    }
    const targets = outputPaths(built, out);
    const reports =
      erlang.compiled.length > 0 ? [`compiled ${erlang.compiled.join(" ")} into ebin/`] : [];
    if (elixir.compiled.length > 0) {
      reports.push(
        `compiled ${elixir.compiled.join(" ")} into ebin/, with ${elixir.stdlib.length} Elixir standard library module(s) from your Elixir install`,
      );
    }
    reports.push(
      ...built.packages.map((p, i) => {
        const target = targets[i]!;
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, p.bytes);
        return `wrote ${target} (${p.bytes.length} bytes)\n${describe(p.manifest, p.versionForm, p.modules.keys(), p.sources.size)}`;
      }),
    );
    for (const x of built.excluded)
      reports.push(`left out ${x.module} (${x.package}: ${x.reason})`);
    console.log(reports.join("\n"));
    return 0;
  } catch (e) {
    if (e instanceof PackageError) console.error(String(e));
    else console.error(`aion package: ${(e as Error).message}`);
    return 1;
  }
}

export const command = plainCommand(
  "package",
  "build .aion packages from a directory or Gleam project, or --check packages",
  USAGE,
  { check: "flag", output: { kind: "value", short: "o" }, build: "flag" },
  async (p) => {
    if (p.flags.has("check")) {
      if (p.values.has("output") || p.flags.has("build")) {
        throw usageError("--check takes only package files");
      }
      return check(expectPositionals(p, 1, Number.POSITIVE_INFINITY, ["FILE.aion"]));
    }
    const [dir] = expectPositionals(p, 1, 1, ["DIR"]);
    return build(dir!, p.values.get("output"), p.flags.has("build"));
  },
);
