/**
 * `aion run` is a developer running their own code: it keeps the whole
 * library (the workflow sandbox is the engine's), so os:getenv works there.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { aion } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

test("aion run allows os:getenv, which the engine's sandbox refuses", async () => {
  const r = await aion("run", "--path", "fixtures/workflows", "wf_hostile:getenv", '<<"{}">>');
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  // {ok, <<"\"leaked\"">>}: the call returned instead of raising {sandbox, ...}.
  expect(r.stdout).toBe("{ok,<<34,108,101,97,107,101,100,34>>}\n");
});
