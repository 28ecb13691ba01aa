/** manifest.json parsing and writing, and the duration forms. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  formatDuration,
  type Manifest,
  parseHumanDuration,
  parseManifest,
  parseSerdeDuration,
  serializeManifest,
} from "../../../loader/aion/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { expectPackageError, helloManifestJson } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

function withField(key: string, value: unknown): Record<string, unknown> {
  const m = helloManifestJson();
  if (value === undefined) delete m[key];
  else m[key] = value;
  return m;
}

describe("parseManifest", () => {
  test("reads a full manifest", () => {
    const m = parseManifest(
      enc({
        ...helloManifestJson(),
        timeout: { secs: 30, nanos: 5 },
        additional_workflows: [
          {
            workflow_type: "t",
            entry_module: "hello_flow",
            entry_function: "shout",
            input_schema: {},
            output_schema: false,
            timeout: null,
          },
        ],
        some_future_field: 1,
      }),
      "p.aion",
    );
    expect(m.timeout).toEqual({ secs: 30, nanos: 5 });
    expect(m.additional_workflows).toEqual([
      {
        workflow_type: "t",
        entry_module: "hello_flow",
        entry_function: "shout",
        input_schema: {},
        output_schema: false,
        internal: false,
      },
    ]);
    expect(Object.hasOwn(m, "some_future_field")).toBe(false);
  });

  test("refuses what is not UTF-8 JSON", () => {
    expectPackageError(() => parseManifest(new Uint8Array([0xff, 0xfe]), "p"), "manifest_json");
    expectPackageError(() => parseManifest(enc("x").subarray(1), "p"), "manifest_json");
    expectPackageError(() => parseManifest(enc([1]), "p"), "manifest_field");
  });

  test("checks format_version before anything else", () => {
    const m = { format_version: 2 };
    const err = expectPackageError(() => parseManifest(enc(m), "p.aion"), "format_version");
    expect(err.message).toBe(
      "p.aion: manifest.json: format_version: format version 2 is not supported (only 1)",
    );
    expectPackageError(() => parseManifest(enc({ format_version: "1" }), "p"), "format_version");
    expectPackageError(() => parseManifest(enc({}), "p"), "manifest_field");
  });

  const bad: [string, unknown, string][] = [
    ["entry_module", undefined, "entry_module: missing field"],
    ["entry_module", 7, "entry_module: must be a non-empty string"],
    ["entry_function", "", "entry_function: must be a non-empty string"],
    ["input_schema", undefined, "input_schema: missing field"],
    ["output_schema", [1], "output_schema: must be a JSON Schema"],
    ["output_schema", null, "output_schema: must be a JSON Schema"],
    ["timeout", 30, "timeout: expected a duration object"],
    ["timeout", { secs: 1 }, "timeout: missing field 'nanos'"],
    ["timeout", { secs: -1, nanos: 0 }, "timeout: 'secs' must be a non-negative integer"],
    ["timeout", { secs: 1, nanos: 0, extra: 1 }, "timeout: unknown field 'extra'"],
    ["activities", undefined, "activities: must be a list"],
    ["activities", [{}], "activities[0].activity_type: missing field"],
    ["activities", ["greet"], "activities[0]: must be an object"],
    ["version", undefined, "version: missing field"],
    ["version", "ABC", "version: must be 64 lowercase hexadecimal digits"],
    ["version", "A".repeat(64), "version: must be 64 lowercase hexadecimal digits"],
    ["additional_workflows", {}, "additional_workflows: must be a list"],
    ["additional_workflows", [{}], "additional_workflows[0].workflow_type: missing field"],
  ];
  for (const [key, value, message] of bad) {
    test(`names the field: ${key} = ${JSON.stringify(value)}`, () => {
      const err = expectPackageError(
        () => parseManifest(enc(withField(key, value)), "p.aion"),
        "manifest_field",
      );
      expect(err.message).toStartWith(`p.aion: manifest.json: ${message}`);
    });
  }

  test("additional workflow fields are checked too", () => {
    const w = {
      workflow_type: "t",
      entry_module: "m",
      entry_function: "f",
      input_schema: true,
      output_schema: true,
      internal: "yes",
    };
    const err = expectPackageError(
      () => parseManifest(enc(withField("additional_workflows", [w])), "p"),
      "manifest_field",
    );
    expect(err.where).toBe("manifest.json: additional_workflows[0].internal");
  });
});

describe("serializeManifest", () => {
  const m: Manifest = {
    entry_module: "m",
    entry_function: "run",
    input_schema: { type: "object", properties: { a: { type: "string" } } },
    output_schema: true,
    timeout: { secs: 3, nanos: 1 },
    activities: [{ activity_type: "a" }],
    version: "a".repeat(64),
    format_version: 1,
    additional_workflows: [
      {
        workflow_type: "t",
        entry_module: "m",
        entry_function: "f",
        input_schema: {},
        output_schema: {},
        internal: true,
      },
    ],
  };

  test("writes the original key order as compact JSON and reads back equal", () => {
    const text = new TextDecoder().decode(serializeManifest(m));
    expect(Object.keys(JSON.parse(text))).toEqual([
      "entry_module",
      "entry_function",
      "input_schema",
      "output_schema",
      "timeout",
      "activities",
      "version",
      "format_version",
      "additional_workflows",
    ]);
    expect(text).not.toContain(" ");
    expect(text).toContain('"timeout":{"secs":3,"nanos":1}');
    expect(parseManifest(serializeManifest(m), "p")).toEqual(m);
  });

  test("omits an absent timeout and empty additional_workflows", () => {
    const bare: Manifest = { ...m, additional_workflows: [] };
    delete (bare as { timeout?: unknown }).timeout;
    const doc = JSON.parse(new TextDecoder().decode(serializeManifest(bare)));
    expect(Object.hasOwn(doc, "timeout")).toBe(false);
    expect(Object.hasOwn(doc, "additional_workflows")).toBe(false);
    expect(parseManifest(serializeManifest(bare), "p")).toEqual(bare);
  });
});

describe("durations", () => {
  test("serde form: object or pair, nanos carry over", () => {
    expect(parseSerdeDuration({ secs: 1, nanos: 2 })).toEqual({ secs: 1, nanos: 2 });
    expect(parseSerdeDuration([5, 0])).toEqual({ secs: 5, nanos: 0 });
    expect(parseSerdeDuration({ secs: 1, nanos: 2_500_000_000 })).toEqual({
      secs: 3,
      nanos: 500_000_000,
    });
    expect(typeof parseSerdeDuration({ secs: 1.5, nanos: 0 })).toBe("string");
    expect(typeof parseSerdeDuration({ secs: 0, nanos: 2 ** 32 })).toBe("string");
    expect(typeof parseSerdeDuration({ secs: Number.MAX_SAFE_INTEGER, nanos: 2e9 })).toBe("string");
  });

  test("human form", () => {
    const cases: [unknown, { secs: number; nanos: number }][] = [
      ["30s", { secs: 30, nanos: 0 }],
      ["5m", { secs: 300, nanos: 0 }],
      ["1h", { secs: 3600, nanos: 0 }],
      ["2d", { secs: 172800, nanos: 0 }],
      ["250ms", { secs: 0, nanos: 250_000_000 }],
      ["1.5h", { secs: 5400, nanos: 0 }],
      ["0.000000001s", { secs: 0, nanos: 1 }],
      ["45", { secs: 45, nanos: 0 }],
      [90, { secs: 90, nanos: 0 }],
      [2.25, { secs: 2, nanos: 250_000_000 }],
    ];
    for (const [input, want] of cases) expect(parseHumanDuration(input)).toEqual(want);
    for (const bad of [
      "",
      "5 minutes",
      "-1s",
      "0.0000000001s",
      "1e3",
      -1,
      Number.NaN,
      1e21,
      true,
    ]) {
      expect(typeof parseHumanDuration(bad)).toBe("string");
    }
    expect(formatDuration({ secs: 1, nanos: 500_000_000 })).toBe("1.5s");
    expect(formatDuration({ secs: 300, nanos: 0 })).toBe("300s");
  });
});
