/**
 * Gleam-shaped values round-trip through start input, result, signal, query
 * reply and child result exactly: JSON text made by the SDK (gleam_json)
 * crosses the engine byte for byte, and raw Gleam terms (Nil, Option, lists
 * of tuples, dicts) are converted by one documented rule (docs/natives.md).
 * The workflow module is fixtures/workflows/shapes@echo.erl.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { RawJson } from "../../engine/index.ts";
import { TestEnvironment } from "../../engine/testing/test-env.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { ACTIVITIES, detailsOf, FIXTURES, WORKFLOWS } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const M = "shapes@echo";
let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.shutdown();
  env = undefined;
});

async function open(): Promise<TestEnvironment> {
  env = await TestEnvironment.create({
    modulesDir: FIXTURES,
    workflows: {
      ...WORKFLOWS,
      shapes_echo: { module: M, function: "echo" },
      shapes_signal: { module: M, function: "via_signal" },
      shapes_child: { module: M, function: "via_child" },
      shapes_query: { module: M, function: "via_query" },
      shapes_raw: { module: M, function: "raw" },
    },
    activities: ACTIVITIES,
  });
  return env;
}

/** JSON the way gleam_json writes it: floats keep `.0`, big integers stay exact, unicode raw. */
const GLEAM_JSON =
  '{"name":"Ada Løvelace","n":1.0,"big":123456789012345678901,"opt":null,' +
  '"pairs":[["k",1],["k2",null]],"dict":{"b":[true,false],"a":{}}}';

/** The bytes of the payload of the first event of `kind` in the history. */
async function payloadBytes(e: TestEnvironment, id: string, kind: string, field: string) {
  const ev = (await e.engine.history(id)).find((x) => x.event.kind === kind)!
    .event as unknown as Record<string, { bytes: Uint8Array }>;
  return new TextDecoder().decode(ev[field]!.bytes);
}

describe("Gleam-shaped JSON crosses the engine byte for byte", () => {
  test("start input to result", async () => {
    const e = await open();
    const id = await e.engine.start("shapes_echo", new RawJson(GLEAM_JSON));
    const o = await e.run(e.engine.result(id));
    expect(await payloadBytes(e, id, "WorkflowStarted", "input")).toBe(GLEAM_JSON);
    expect(await payloadBytes(e, id, "WorkflowCompleted", "result")).toBe(GLEAM_JSON);
    expect(o).toMatchObject({ status: "Completed", resultText: GLEAM_JSON });
  });

  test("signal payload to result", async () => {
    const e = await open();
    const id = await e.engine.start("shapes_signal");
    await e.settle();
    await e.engine.signal(id, "v", new RawJson(GLEAM_JSON));
    await e.run(e.engine.result(id));
    expect(await payloadBytes(e, id, "SignalReceived", "payload")).toBe(GLEAM_JSON);
    expect(await payloadBytes(e, id, "WorkflowCompleted", "result")).toBe(GLEAM_JSON);
  });

  test("child result to the parent's result", async () => {
    const e = await open();
    const id = await e.engine.start("shapes_child", new RawJson(GLEAM_JSON));
    await e.run(e.engine.result(id));
    expect(await payloadBytes(e, id, "WorkflowCompleted", "result")).toBe(GLEAM_JSON);
    expect(await payloadBytes(e, `${id}/child-1`, "WorkflowCompleted", "result")).toBe(GLEAM_JSON);
  });

  test("query reply", async () => {
    const e = await open();
    const id = await e.engine.start("shapes_query", new RawJson(GLEAM_JSON));
    await e.settle();
    expect(await e.run(e.engine.query(id, "get"))).toEqual(JSON.parse(GLEAM_JSON));
    await e.engine.signal(id, "stop", null);
    expect(await e.run(e.engine.result(id))).toMatchObject({ status: "Completed", result: null });
  });
});

describe("raw Gleam terms", () => {
  for (const [shape, expected] of [
    ["nil", null],
    ["bare_nil", null],
    ["some", ["some", "x"]],
    ["none", "none"],
    [
      "pairs",
      [
        ["a", 1],
        ["b", null],
      ],
    ],
    ["dict", { k: [1, 2.5], n: null }],
  ] as const) {
    test(`${shape} completes with ${JSON.stringify(expected)}`, async () => {
      const e = await open();
      const id = await e.engine.start("shapes_raw", shape);
      expect(await e.run(e.engine.result(id))).toMatchObject({
        status: "Completed",
        result: expected,
      });
    });
  }

  test("{error, Dict} fails with the dict as typed details", async () => {
    const e = await open();
    const id = await e.engine.start("shapes_raw", "error_dict");
    const o = await e.run(e.engine.result(id));
    expect(o.status).toBe("Failed");
    if (o.status === "Failed") {
      expect(o.error.message).toMatch(/^workflow <\d+\.\d+\.\d+> returned error$/);
      expect(detailsOf(o.error)).toEqual({ code: "E1", retry: false });
    }
  });
});
