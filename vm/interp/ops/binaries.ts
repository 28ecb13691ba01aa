/**
 * Binary construction and matching: every bit-syntax instruction OTP 22-28
 * compilers emit (and the OTP 21-era ones still found in old modules).
 *
 * - bs-create.ts   `bs_create_bin` (OTP 25+ construction)
 * - bs-put.ts      `bs_init2`/`bs_append`/`bs_put_*` (construction before OTP 25)
 * - bs-start.ts    match contexts: start, position, save/restore, tail
 * - bs-get.ts      `bs_get_*`/`bs_skip_*`/`bs_match_string` (OTP 25 matching)
 * - bs-match.ts    `bs_match` (OTP 26+ matching)
 *
 * The match context class is `MatchContext` in ../bits/match-context.ts
 * (with `matchContextBitSize`/`matchContextByteSize` for the BIFs).
 */
import { createOps } from "./bs-create.ts";
import { getOps } from "./bs-get.ts";
import { matchOps } from "./bs-match.ts";
import { putOps } from "./bs-put.ts";
import { startOps } from "./bs-start.ts";
import type { OpTable } from "./types.ts";

export const binaryOps: OpTable = {
  ...createOps,
  ...putOps,
  ...startOps,
  ...getOps,
  ...matchOps,
};
