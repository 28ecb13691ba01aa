/**
 * The pure BIFs: everything in `erlang`, `lists` and `maps` that computes a
 * value from its arguments without the scheduler (process control, timers and
 * code loading live in process.ts, timers.ts and control.ts).
 */
import type { NativeModule } from "../../vm/index.ts";
import { arithNatives } from "./arith.ts";
import { atomNatives } from "./atoms.ts";
import { binaryNatives } from "./binaries.ts";
import { bitwiseNatives } from "./bitwise.ts";
import { boolNatives } from "./bools.ts";
import { compareNatives } from "./compare.ts";
import { dictionaryNatives } from "./dictionary.ts";
import { erlangMapNatives } from "./erlang-maps.ts";
import { etfNatives } from "./etf-bifs.ts";
import { floatTextNatives } from "./float-text.ts";
import { hashNatives } from "./hash-bifs.ts";
import { intTextNatives } from "./int-text.ts";
import { listNatives } from "./lists.ts";
import { listsBifNatives } from "./lists-bifs.ts";
import { mapsBifNatives } from "./maps-bifs.ts";
import {
  codeNatives,
  ertsInternalNatives,
  initNatives,
  ioBifNatives,
  stringBifNatives,
} from "./otp-internal.ts";
import { roundingNatives } from "./rounding.ts";
import { systemNatives } from "./system.ts";
import { termTextNatives } from "./term-text.ts";
import { tupleNatives } from "./tuples.ts";
import { typeNatives } from "./types.ts";

/** Every pure-BIF module; register each with `VM.registerNatives`. */
export const erlangPureNatives: NativeModule[] = [
  arithNatives,
  bitwiseNatives,
  roundingNatives,
  compareNatives,
  boolNatives,
  typeNatives,
  atomNatives,
  intTextNatives,
  floatTextNatives,
  listNatives,
  tupleNatives,
  binaryNatives,
  etfNatives,
  erlangMapNatives,
  hashNatives,
  systemNatives,
  termTextNatives,
  dictionaryNatives,
  listsBifNatives,
  mapsBifNatives,
  ertsInternalNatives,
  stringBifNatives,
  ioBifNatives,
  initNatives,
  codeNatives,
];
