/**
 * The command line's papercuts (issue #14), one test each: strict parsing,
 * --help everywhere, usage errors, --version, `aion result`, --input-file
 * and stdin, no silent empty database, Erlang reasons shown as `~tp` does
 * (checked against real erl's output), failure details, schemas checked
 * against the meta-schema, and the redeploy rule.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readableFailure, readableTerm } from "../../bin/cli/erlang-text.ts";
import { describeOutcome } from "../../bin/cli/outcome.ts";
import { type JsonValue, writePackage } from "../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { aion, aionJson, aionWithStdin, ROOT } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), "aion-papercuts-"));
const db = join(dir, "aion.db");
const HELLO_ACTIVITIES = "examples/hello/activities.ts";

/** The hello example's module under `schema`: always the same version, whatever the schema. */
function helloPackage(file: string, schema: JsonValue): string {
  const path = join(dir, file);
  const beam = new Uint8Array(readFileSync(join(ROOT, "examples/hello/hello.beam")));
  const p = writePackage({
    manifest: {
      entry_module: "hello",
      entry_function: "run",
      input_schema: schema,
      output_schema: true,
      activities: [{ activity_type: "greet" }],
    },
    modules: new Map([["hello", beam]]),
  });
  writeFileSync(path, p.bytes);
  return path;
}

/** stderr's first line and the line after it. */
function reasonAndUsage(stderr: string): [string, string] {
  const [reason = "", usage = ""] = stderr.split("\n");
  return [reason, usage];
}

beforeAll(async () => {
  const pkg = join(dir, "hello.aion");
  expect((await aion("package", "examples/hello", "-o", pkg)).code).toBe(0);
  expect((await aion("deploy", pkg, "--db", db)).code).toBe(0);
  const crashy = join(dir, "crashy.aion");
  expect((await aion("package", "fixtures/cli/crashy", "-o", crashy)).code).toBe(0);
  expect((await aion("deploy", crashy, "--db", db)).code).toBe(0);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("every command prints its usage on --help and -h and exits 0", async () => {
  const list = await aion("help");
  const names = [...list.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]!);
  expect(names).toContain("result");
  expect(names.length).toBeGreaterThanOrEqual(16);
  for (const name of names.filter((n) => n !== "help")) {
    for (const flag of ["--help", "-h"]) {
      const r = await aion(name, flag);
      expect({ name, flag, code: r.code, stderr: r.stderr }).toEqual({
        name,
        flag,
        code: 0,
        stderr: "",
      });
      expect(r.stdout.startsWith(`usage: aion ${name}`)).toBe(true);
    }
  }
}, 120_000);

test("asm and inspect print usage for --help instead of opening a file named --help", async () => {
  for (const name of ["asm", "inspect"]) {
    const r = await aion(name, "--help");
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("cannot read");
  }
});

test("a flag is never taken as an option's value", async () => {
  const r = await aion("start", "hello", "--id", "--json", "--db", db);
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout).error).toMatchObject({ code: "usage" });
  expect(JSON.parse(r.stdout).error.message).toContain("--id needs a value, not an option");
  const listed = (await aionJson("list", "--db", db)) as { workflowId: string }[];
  expect(listed.map((w) => w.workflowId)).not.toContain("--json");
});

test("usage errors exit 2 with a one-line reason, then the usage", async () => {
  const cases: [string[], string][] = [
    [["start", "hello", "--db", db, "--id"], "aion start: --id needs a value"],
    [["list", "--bogus", "--db", db], "aion list: unknown option --bogus"],
    [["list", "--json=yes", "--db", db], "aion list: --json takes no value"],
    [["describe", "--db", db], "aion describe: missing ID"],
    [["signal", "x", "--db", db], "aion signal: missing NAME"],
    [["history", "a", "b", "--db", db], "aion history: unexpected argument 'b'"],
    [["list", "--limit", "many", "--db", db], "aion list: --limit must be a non-negative integer"],
    [["run"], "aion run: missing MODULE:FUNCTION"],
    [["run", "--path"], "aion run: --path needs a value"],
    [["asm", "-o"], "aion asm: --output needs a value"],
    [["asm", "--otp29", "x.S"], "aion asm: unknown option --otp29"],
    [["inspect"], "aion inspect: missing FILE.beam"],
  ];
  for (const [args, reason] of cases) {
    const r = await aion(...args);
    const [first, second] = reasonAndUsage(r.stderr);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect({ args, first: first.slice(0, reason.length) }).toEqual({ args, first: reason });
    expect(second.startsWith(`usage: aion ${args[0]}`)).toBe(true);
  }
  const unknown = await aion("frobnicate");
  expect(unknown.code).toBe(2);
  expect(reasonAndUsage(unknown.stderr)).toEqual([
    "aion: unknown command 'frobnicate' (try 'aion help')",
    "usage: aion <command> [args...]",
  ]);
}, 60_000);

test("-- ends the options: what follows is positional even if it looks like a flag", async () => {
  const r = await aion("describe", "--db", db, "--", "--json");
  expect(r.code).toBe(1); // an unknown workflow named --json, not a usage error
  expect(r.stdout).toBe(""); // and not the --json flag: no JSON error body
  const neg = await aion("run", "--path", "fixtures/cli", "hello:add", "5", "-1");
  expect(neg.stdout).toBe("4\n");
});

test("aion --version prints package.json's version", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  for (const flag of ["--version", "-v"]) {
    const r = await aion(flag);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  }
});

describe("aion result ID [--wait]", () => {
  test("running (exit 5), then --wait runs it to the end, then the result", async () => {
    const start = await aion("start", "hello", '{"name":"Ada"}', "--id", "res-1", "--db", db);
    expect(start.code).toBe(0);
    const running = await aion("result", "res-1", "--db", db);
    expect(running.code).toBe(5);
    expect(running.stdout).toBe("running\n");
    const waited = await aion(
      "result",
      "res-1",
      "--wait",
      "--activities",
      HELLO_ACTIVITIES,
      "--db",
      db,
    );
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual({ greeting: "Hello, Ada!", waited_ms: 100 });
    expect(await aionJson("result", "res-1", "--db", db)).toMatchObject({
      status: "Completed",
      result: { greeting: "Hello, Ada!" },
    });
    expect((await aion("result", "no-such-id", "--db", db)).code).toBe(1);
  }, 60_000);
});

describe("--input-file F and - (stdin)", () => {
  const waitFor = async (id: string) =>
    (await aionJson("result", id, "--wait", "--activities", HELLO_ACTIVITIES, "--db", db)) as {
      result: { greeting: string };
    };

  test("start reads its input from a file or from stdin", async () => {
    const file = join(dir, "input.json");
    writeFileSync(file, '{"name":"File"}');
    const a = await aion("start", "hello", "--input-file", file, "--id", "in-file", "--db", db);
    expect(a.code).toBe(0);
    expect((await waitFor("in-file")).result.greeting).toBe("Hello, File!");
    const b = await aionWithStdin(
      '{"name":"Stdin"}',
      "start",
      "hello",
      "-",
      "--id",
      "in-std",
      "--db",
      db,
    );
    expect(b.code).toBe(0);
    expect((await waitFor("in-std")).result.greeting).toBe("Hello, Stdin!");
    const c = await aionWithStdin(
      '{"name":"Dash"}',
      "start",
      "hello",
      "--input-file",
      "-",
      "--id",
      "in-dash",
      "--db",
      db,
    );
    expect(c.code).toBe(0);
    expect((await waitFor("in-dash")).result.greeting).toBe("Hello, Dash!");
  }, 60_000);

  test("signal reads its payload from a file or from stdin", async () => {
    expect((await aion("start", "hello", '{"name":"S"}', "--id", "sig-1", "--db", db)).code).toBe(
      0,
    );
    const file = join(dir, "payload.json");
    writeFileSync(file, '{"from":"file"}');
    expect((await aion("signal", "sig-1", "poke", "--input-file", file, "--db", db)).code).toBe(0);
    expect(
      (await aionWithStdin('{"from":"stdin"}', "signal", "sig-1", "poke", "-", "--db", db)).code,
    ).toBe(0);
    const history = (await aionJson("history", "sig-1", "--db", db)) as Record<string, unknown>[];
    const payloads = history.filter((e) => e.kind === "SignalReceived").map((e) => e.payload);
    expect(payloads).toEqual([{ from: "file" }, { from: "stdin" }]);
  }, 30_000);

  test("query reads its payload the same way, and bad input is a usage error", async () => {
    const both = await aion("query", "x", "q", "{}", "--input-file", "f.json", "--db", db);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give PAYLOAD_JSON or --input-file, not both");
    const missing = await aion(
      "query",
      "x",
      "q",
      "--input-file",
      join(dir, "nope.json"),
      "--db",
      db,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read --input-file");
    const bad = await aionWithStdin("{not json", "query", "x", "q", "-", "--db", db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("PAYLOAD_JSON (stdin) is not valid JSON");
    // Valid input gets as far as needing a worker (queries run workflow code).
    const good = await aionWithStdin("{}", "query", "x", "q", "-", "--db", db);
    expect(good.code).toBe(5);
  }, 30_000);
});

test("read commands refuse a database file that does not exist, and do not create it", async () => {
  const missing = join(dir, "missing.db");
  const commands = [
    ["describe", "x"],
    ["list"],
    ["history", "x"],
    ["result", "x"],
    ["query", "x", "q"],
    ["signal", "x", "s"],
    ["cancel", "x"],
    ["terminate", "x"],
    ["start", "hello"],
    ["deploy", "--list"],
  ];
  for (const args of commands) {
    const r = await aion(...args, "--db", missing);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.stderr).toContain(`no database at ${missing}`);
  }
  expect(existsSync(missing)).toBe(false);
}, 60_000);

describe("Erlang reasons read as ~tp writes them", () => {
  test("every ~w text re-renders exactly as real erl's ~tp (fixtures/cli/tp_cases.expected)", () => {
    const lines = readFileSync(join(ROOT, "fixtures/cli/tp_cases.expected"), "utf8").split("\n");
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) pairs.push([lines[i]!, lines[i + 1]!]);
    expect(pairs.length).toBe(10);
    for (const [w, tp] of pairs) expect(readableTerm(w)).toBe(tp);
  });

  test("crash messages keep their class; other messages and opaque terms pass through", () => {
    expect(readableFailure("error:{badmatch,{error,<<116,101,114>>}}")).toBe(
      'error:{badmatch,{error,<<"ter">>}}',
    );
    expect(readableFailure("exit:{noproc,<0.42.0>,[104,105]}")).toBe('exit:{noproc,<0.42.0>,"hi"}');
    expect(readableFailure("terminated:no longer needed")).toBe("terminated:no longer needed");
    expect(readableFailure("error:{unterminated")).toBe("error:{unterminated");
  });

  test("a crashed workflow's reason shows as ~tp in start --wait, result and describe", async () => {
    const expected = 'error:{badmatch,{error,<<"terrible input">>}}';
    const started = await aion("start", "crashy", '"bad"', "--id", "crash-1", "--wait", "--db", db);
    expect(started.code).toBe(1);
    expect(started.stdout).toBe(`failed: ${expected}\n`);
    const result = await aion("result", "crash-1", "--db", db);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`failed: ${expected}\n`);
    const described = await aion("describe", "crash-1", "--db", db);
    expect(described.stdout).toMatch(
      new RegExp(`^error: +${expected.replace(/[{}]/g, "\\$&")}$`, "m"),
    );
  }, 30_000);
});

test("human output shows a failure's details", () => {
  expect(
    describeOutcome({
      status: "Failed",
      error: { message: "error:{card,<<100,101,99,108,105,110,101,100>>}", details: { code: 402 } },
    }),
  ).toBe('failed: error:{card,<<"declined">>}\ndetails: {"code":402}');
  expect(describeOutcome({ status: "Failed", error: { message: "plain", details: null } })).toBe(
    "failed: plain",
  );
});

test("package refuses a schema that breaks the meta-schema, naming file and keyword", async () => {
  const project = join(dir, "objekt-project");
  mkdirSync(join(project, "schemas"), { recursive: true });
  copyFileSync(join(ROOT, "examples/hello/hello.beam"), join(project, "hello.beam"));
  writeFileSync(
    join(project, "schemas/in.json"),
    '{"type":"object","properties":{"n":{"type":"objekt"}}}',
  );
  writeFileSync(
    join(project, "workflow.toml"),
    'entry_module = "hello"\nentry_function = "run"\ninput_schema = "schemas/in.json"\n',
  );
  const fromFile = await aion("package", project, "-o", join(dir, "objekt-1.aion"));
  expect(fromFile.code).toBe(1);
  expect(fromFile.stderr).toContain(join(project, "workflow.toml"));
  expect(fromFile.stderr).toContain(
    '\'schemas/in.json\' is not a valid JSON Schema: keyword "type" at #/properties/n/type: unknown type "objekt"',
  );
  writeFileSync(
    join(project, "workflow.toml"),
    'entry_module = "hello"\nentry_function = "run"\n[input_schema]\ntype = "objekt"\n',
  );
  const inline = await aion("package", project, "-o", join(dir, "objekt-2.aion"));
  expect(inline.code).toBe(1);
  expect(inline.stderr).toContain(join(project, "workflow.toml"));
  expect(inline.stderr).toContain('input_schema: keyword "type" at #/type: unknown type "objekt"');
  expect(existsSync(join(dir, "objekt-1.aion")) || existsSync(join(dir, "objekt-2.aion"))).toBe(
    false,
  );
});

test("deploy refuses a schema that breaks the meta-schema, naming file and keyword", async () => {
  const bad = helloPackage("objekt.aion", { type: "objekt" });
  const r = await aion("deploy", bad, "--db", db);
  expect(r.code).toBe(4);
  expect(r.stderr).toContain("objekt.aion");
  expect(r.stderr).toContain('input_schema: keyword "type" at #/type: unknown type "objekt"');
});

test("a redeploy under an existing version with a different manifest is refused", async () => {
  const first = helloPackage("same-a.aion", { type: "object" });
  const otherDb = join(dir, "redeploy.db");
  expect((await aion("deploy", first, "--db", otherDb)).code).toBe(0);
  expect((await aion("deploy", first, "--db", otherDb)).code).toBe(0); // same manifest: fine
  const changed = helloPackage("same-b.aion", { type: "object", required: ["name"] });
  const r = await aion("deploy", changed, "--db", otherDb);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain("same-b.aion: version");
  expect(r.stderr).toContain("already deployed with a different manifest (input_schema differ)");
});
