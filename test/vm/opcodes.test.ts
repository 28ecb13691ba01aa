/** Every opcode a supported compiler (OTP 21 to 29) can emit has an instruction compiler. */
import { expect, setDefaultTimeout, test } from "bun:test";
import { OPCODES } from "../../loader/opcodes.ts";
import { COMPILERS, unknownOpNames } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

// Opcodes no compiler since OTP R12/R13 emits; modern BEAM refuses to load them too.
const OBSOLETE = new Set([
  "m_plus",
  "m_minus",
  "m_times",
  "m_div",
  "int_div",
  "int_rem",
  "int_band",
  "int_bor",
  "int_bxor",
  "int_bsl",
  "int_bsr",
  "int_bnot",
  "is_constant",
  "put_string",
  "make_fun",
  "bs_start_match",
  "bs_get_integer",
  "bs_get_float",
  "bs_get_binary",
  "bs_skip_bits",
  "bs_test_tail",
  "bs_save",
  "bs_restore",
  "bs_init",
  "bs_final",
  "bs_need_buf",
  "bs_bits_to_bytes",
  "bs_final2",
  "bs_bits_to_bytes2",
  "put_literal",
]);

test("every current opcode has a compiler, and only obsolete ones lack one", () => {
  const missing = OPCODES.flatMap((o, i) => (o && !COMPILERS[i] ? [o.name as string] : []));
  expect(missing.filter((n) => !OBSOLETE.has(n))).toEqual([]);
  expect(missing.length).toBe(OBSOLETE.size);
});

test("the compiler table names only real opcodes", () => {
  expect(unknownOpNames()).toEqual([]);
});
