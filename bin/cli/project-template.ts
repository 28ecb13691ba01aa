/**
 * The project templates of `aion new` (bin/templates/, described in its
 * README): which exist, what each is for, whether a name can be a project,
 * and the files a template renders to. Pure apart from reading the template
 * files, so the command decides where (and whether) to write.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Where the templates live (shipped in the npm package under bin/). */
export const TEMPLATES_DIR = join(import.meta.dir, "..", "templates");

/** What each template is, for the generated README and `aion new --help`. */
export const TEMPLATES = {
  hello: {
    summary: "one activity and a durable timer.",
    input: '{"name":"Ada"}',
  },
  saga: {
    summary: "a booking saga whose failed step undoes the steps done, in reverse order.",
    input: '{"trip":"Lisbon"}',
  },
  approval: {
    summary: "an approval gate: signals with a deadline, and a status query answered meanwhile.",
    input: '{"request":"laptop","timeout":"1m"}',
  },
  fanout: {
    summary: "fan out over the input's items (one activity each, in parallel), then fan in.",
    input: '{"items":["a","b","c"]}',
  },
} as const;

export type TemplateName = keyof typeof TEMPLATES;

/** Whether `name` is one of {@link TEMPLATES}. */
export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(TEMPLATES, name);
}

/** Words that cannot be an unquoted Erlang atom, so cannot name a module. */
const ERLANG_RESERVED = new Set(
  (
    "after and andalso band begin bnot bor bsl bsr bxor case catch cond div end fun if let " +
    "maybe not of or orelse receive rem try when xor else"
  ).split(" "),
);

/**
 * Why `name` cannot name a project (its workflow module and type), or
 * undefined when it can. `reserved` are module names the engine owns.
 */
export function projectNameProblem(
  name: string,
  reserved: ReadonlySet<string>,
): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    return `'${name}' is not a valid name: use a lowercase letter, then lowercase letters, digits or _ (it names an Erlang module)`;
  }
  if (name.length > 200) return `'${name}' is too long for a module name`;
  if (ERLANG_RESERVED.has(name)) return `'${name}' is an Erlang reserved word`;
  if (reserved.has(name) || name === "aion" || name.startsWith("aion_flow")) {
    return `'${name}' is a module the engine provides; pick another name`;
  }
  return undefined;
}

/** The languages a project can be written in. */
export const LANGUAGES = ["erlang", "elixir"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The workflow source extension of each language (the other's sources are left out). */
const SOURCE_EXTENSION: Record<Language, string> = { erlang: ".erl", elixir: ".ex" };

/** Values substituted into the templates. */
export interface TemplateValues {
  readonly name: string;
  /** The workflow's language (default erlang). */
  readonly lang?: Language;
  /** The aion-bun version the project depends on. */
  readonly version: string;
}

/**
 * The files of project `values.name` from `template` (common files first),
 * by relative path, with the workflow source in `values.lang`: `__name__` in
 * paths and `{{name}}`, `{{version}}`, `{{template}}`, `{{summary}}`,
 * `{{input}}`, `{{lang}}`, `{{source}}` in contents are replaced, the
 * `.tmpl` suffix dropped, and `gitignore` becomes `.gitignore`.
 */
export function renderTemplate(
  template: TemplateName,
  values: TemplateValues,
): Map<string, string> {
  const vars: Record<string, string> = {
    name: values.name,
    version: values.version,
    template,
    summary: TEMPLATES[template].summary,
    input: TEMPLATES[template].input,
    lang: values.lang ?? "erlang",
    source: `src/${values.name}${SOURCE_EXTENSION[values.lang ?? "erlang"]}`,
  };
  const skip = values.lang === "elixir" ? ".erl.tmpl" : ".ex.tmpl";
  const out = new Map<string, string>();
  for (const dir of ["common", template]) {
    for (const rel of templateFiles(join(TEMPLATES_DIR, dir), "")) {
      if (rel.endsWith(skip)) continue;
      const text = readFileSync(join(TEMPLATES_DIR, dir, rel), "utf8");
      out.set(
        targetPath(rel, values.name),
        text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m),
      );
    }
  }
  return out;
}

function targetPath(rel: string, name: string): string {
  const path = rel.replace(/\.tmpl$/, "").replaceAll("__name__", name);
  return path === "gitignore" ? ".gitignore" : path;
}

/** Template files under `dir`, relative, sorted (directories recursed). */
function templateFiles(dir: string, prefix: string): string[] {
  const files: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) files.push(...templateFiles(dir, rel));
    else if (e.isFile() && e.name.endsWith(".tmpl")) files.push(rel);
  }
  return files.sort();
}
