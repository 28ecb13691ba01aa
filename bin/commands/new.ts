/**
 * `aion new NAME [--template T] [--lang erlang|elixir] [--dir DIR]`: writes a
 * ready workflow project from a template (bin/cli/project-template.ts), so a first
 * workflow is three commands away: `aion package`, `aion deploy`,
 * `aion start --wait`. Refuses to write into a directory that has files.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { reservedModules } from "../../engine/deploy/index.ts";
import { expectPositionals } from "../cli/args.ts";
import { usageError } from "../cli/errors.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { plainCommand } from "../cli/plain-command.ts";
import {
  isTemplateName,
  LANGUAGES,
  type Language,
  projectNameProblem,
  renderTemplate,
  TEMPLATES,
} from "../cli/project-template.ts";

const USAGE = `usage: aion new NAME [--template hello|saga|approval|fanout] [--lang erlang|elixir]
                [--dir DIR]

Writes a new workflow project into DIR (default ./NAME): the workflow
(src/NAME.erl on the engine's aion library, or with --lang elixir src/NAME.ex
on Aion.Workflow), workflow.toml, JSON schemas, TypeScript activities, a bun
test on the time-skipping test environment, and a README. NAME names the
workflow module and type.
Templates (default hello):
${Object.entries(TEMPLATES)
  .map(([n, t]) => `  ${n.padEnd(9)} ${t.summary}`)
  .join("\n")}
Then: aion package DIR -o NAME.aion && aion deploy NAME.aion &&
      aion start NAME INPUT --wait --activities DIR/activities.ts`;

/** The aion-bun version (package.json beside bin/), for the project's dependency. */
function aionVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof pkg.version === "string" ? pkg.version : "0.1.0";
}

/** Whether `dir` is missing or empty. */
function isFreeDirectory(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw e;
  }
}

export const command = plainCommand(
  "new",
  "write a new Erlang workflow project from a template",
  USAGE,
  { template: { kind: "value", short: "t" }, lang: "value", dir: "value" },
  async (p) => {
    const [name] = expectPositionals(p, 1, 1, ["NAME"]);
    const template = p.values.get("template") ?? "hello";
    if (!isTemplateName(template)) {
      throw usageError(
        `unknown template '${template}' (one of ${Object.keys(TEMPLATES).join(", ")})`,
      );
    }
    const lang = p.values.get("lang") ?? "erlang";
    if (!(LANGUAGES as readonly string[]).includes(lang)) {
      throw usageError(`unknown language '${lang}' (one of ${LANGUAGES.join(", ")})`);
    }
    const problem = projectNameProblem(name!, reservedModules());
    if (problem !== undefined) throw usageError(problem);
    const dir = p.values.get("dir") ?? name!;
    try {
      if (!isFreeDirectory(dir)) {
        console.error(`aion new: ${dir} already exists and is not empty; nothing written`);
        return EXIT.conflict;
      }
      const files = renderTemplate(template, {
        name: name!,
        version: aionVersion(),
        lang: lang as Language,
      });
      for (const [rel, text] of files) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      console.log(
        [
          `created ${dir} (${template} template, ${lang}): ${[...files.keys()].join(" ")}`,
          "next:",
          `  cd ${dir} && bun install && bun test`,
          `  aion package ${dir} -o ${name}.aion && aion deploy ${name}.aion`,
          `  aion start ${name} '${TEMPLATES[template].input}' --wait --activities ${join(dir, "activities.ts")}`,
        ].join("\n"),
      );
      return EXIT.ok;
    } catch (e) {
      console.error(`aion new: cannot write ${dir}: ${(e as Error).message}`);
      return EXIT.failed;
    }
  },
);
