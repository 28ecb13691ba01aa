/**
 * crypto under the workflow sandbox: digests, HMAC and AEAD are deterministic
 * and allowed; host randomness (strong_rand_bytes, rand_uniform) is refused
 * with `{sandbox, MFA}` because a replay would see different bytes. Without
 * a sandbox (`aion run`) randomness is available.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createRuntime } from "../../nifs/index.ts";
import { workflowSandbox } from "../../nifs/workflow-sandbox.ts";
import { atom } from "../../terms/atom.ts";
import { BitString, binaryFromString } from "../../terms/binary.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock, type Outcome, type SandboxPolicy } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

function run(sandbox: SandboxPolicy | null, fn: string, args: unknown[]): Outcome {
  const rt = createRuntime({
    clock: new ManualClock(),
    paths: [],
    log: () => {},
    ...(sandbox ? { sandbox } : {}),
  });
  return rt.callSync("crypto", fn, args as never);
}

const line = (o: Outcome): string =>
  o.kind === "value"
    ? `value ${formatW(o.value)}`
    : o.kind === "timeout"
      ? "timeout"
      : `${o.cls} ${formatW(o.reason)}`;

describe("crypto in the workflow sandbox", () => {
  test("hash/2 is allowed and gives the SHA-256 digest", () => {
    const o = run(workflowSandbox(), "hash", [atom("sha256"), binaryFromString("abc")]);
    expect(o.kind).toBe("value");
    const v = (o as { value: unknown }).value;
    expect(v).toBeInstanceOf(BitString);
    expect(Buffer.from((v as BitString).bytes()).toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  test("mac/4 is allowed", () => {
    const o = run(workflowSandbox(), "mac", [
      atom("hmac"),
      atom("sha256"),
      binaryFromString("key"),
      binaryFromString("The quick brown fox jumps over the lazy dog"),
    ]);
    expect(o.kind).toBe("value");
    const v = (o as { value: BitString }).value;
    expect(Buffer.from(v.bytes()).toString("hex")).toBe(
      "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
  });

  test("strong_rand_bytes/1 and rand_uniform/2 are refused", () => {
    expect(line(run(workflowSandbox(), "strong_rand_bytes", [16]))).toBe(
      "error {sandbox,{crypto,strong_rand_bytes,1}}",
    );
    expect(line(run(workflowSandbox(), "rand_uniform", [1, 10]))).toBe(
      "error {sandbox,{crypto,rand_uniform,2}}",
    );
  });

  test("without a sandbox strong_rand_bytes/1 returns fresh bytes", () => {
    const a = run(null, "strong_rand_bytes", [32]);
    const b = run(null, "strong_rand_bytes", [32]);
    expect(a.kind).toBe("value");
    const x = (a as { value: BitString }).value.bytes();
    const y = (b as { value: BitString }).value.bytes();
    expect(x.length).toBe(32);
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(false);
  });
});
