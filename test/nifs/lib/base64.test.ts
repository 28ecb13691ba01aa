/** base64 options from OTP 26 (encode/2, decode/2), which OTP 25 cannot record. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { atom } from "../../../terms/atom.ts";
import { binaryFromBytes, binaryFromString } from "../../../terms/binary.ts";
import { mapFromPairs } from "../../../terms/map.ts";
import type { Term } from "../../../terms/term.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const text = (t: Term) => new TextDecoder().decode((t as { bytes(): Uint8Array }).bytes());
const opts = (mode: string, padding: boolean) =>
  mapFromPairs([
    [atom("mode"), atom(mode)],
    [atom("padding"), atom(padding ? "true" : "false")],
  ]);

describe("base64 options", () => {
  test("encode/2", () => {
    const data = binaryFromBytes(Uint8Array.from([0xfb, 0xff, 0x01]));
    expect(text(call("base64:encode", data, opts("urlsafe", true)))).toBe("-_8B");
    expect(text(call("base64:encode", binaryFromString("a"), opts("standard", false)))).toBe("YQ");
    expect(text(call("base64:encode", binaryFromString("a"), mapFromPairs([])))).toBe("YQ==");
  });
  test("decode/2", () => {
    expect(text(call("base64:decode", binaryFromString("YQ"), opts("standard", false)))).toBe("a");
    expect(text(call("base64:decode", binaryFromString("-_8B"), opts("urlsafe", true)))).toBe(
      "\ufffd\ufffd\u0001",
    );
  });
});
