/**
 * The one list of every native module the VM ships with. Each native module
 * is a file under nifs/erlang (BIFs: what OTP implements in C) or nifs/lib
 * (library modules we implement natively instead of running OTP's bytecode).
 * Installing them goes through the VM's single natives registry, which
 * refuses a second registration of any MFA, so two files can never silently
 * serve the same function (test/nifs/registry.test.ts checks this list).
 */
import type { NativeModule } from "../vm/index.ts";
import { aliasNatives } from "./erlang/aliases.ts";
import { arithNatives } from "./erlang/arith.ts";
import { atomNatives } from "./erlang/atoms.ts";
import { bitwiseNatives } from "./erlang/bitwise.ts";
import { boolNatives } from "./erlang/bools.ts";
import { codeInfoErlangNatives, codeInfoNatives } from "./erlang/code-info.ts";
import { compareNatives } from "./erlang/compare.ts";
import { controlNatives } from "./erlang/control.ts";
import { dictionaryNatives } from "./erlang/dictionary.ts";
import { erlangBinaryNatives } from "./erlang/erlang-binaries.ts";
import { erlangListNatives } from "./erlang/erlang-lists.ts";
import { erlangMapNatives } from "./erlang/erlang-maps.ts";
import { ertsDebugNatives } from "./erlang/erts-debug.ts";
import { etfNatives } from "./erlang/etf-bifs.ts";
import { floatTextNatives } from "./erlang/float-text.ts";
import { hashNatives } from "./erlang/hash-bifs.ts";
import { intTextNatives } from "./erlang/int-text.ts";
import { listsBifNatives } from "./erlang/lists-module-bifs.ts";
import { mapsBifNatives } from "./erlang/maps-module-bifs.ts";
import {
  codeNatives,
  ertsInternalNatives,
  initNatives,
  ioBifNatives,
  stringBifNatives,
} from "./erlang/otp-internal.ts";
import { portNatives } from "./erlang/ports.ts";
import { processNatives } from "./erlang/process.ts";
import { roundingNatives } from "./erlang/rounding.ts";
import { systemNatives } from "./erlang/system.ts";
import { systemExtraNatives } from "./erlang/system-extra.ts";
import { termTextNatives } from "./erlang/term-text.ts";
import { timerNatives } from "./erlang/timers.ts";
import { tupleNatives } from "./erlang/tuples.ts";
import { typeNatives } from "./erlang/types.ts";
import { KERNEL_NATIVES } from "./kernel/index.ts";
import { base64Natives } from "./lib/base64.ts";
import { binaryModuleNatives } from "./lib/binary.ts";
import { cryptoNatives } from "./lib/crypto.ts";
import { etsNatives } from "./lib/ets.ts";
import { ioNatives } from "./lib/io.ts";
import { ioLibFormatNatives, ioLibNatives } from "./lib/io_lib.ts";
import { jsonNatives } from "./lib/json.ts";
import { listsNatives } from "./lib/lists.ts";
import { mapsNatives } from "./lib/maps.ts";
import { mathNatives } from "./lib/math.ts";
import { osNatives } from "./lib/os.ts";
import { persistentTermNatives } from "./lib/persistent_term.ts";
import { proplistsNatives } from "./lib/proplists.ts";
import { randNatives } from "./lib/rand.ts";
import { stringNatives } from "./lib/string.ts";
import { unicodeNatives } from "./lib/unicode.ts";
import { uriStringNatives } from "./lib/uri_string.ts";
import { zlibNatives } from "./lib/zlib.ts";

/**
 * The BIFs that compute a value from their arguments without the scheduler
 * (tests call these directly, without a running VM).
 */
export const PURE_BIF_NATIVES: readonly NativeModule[] = [
  arithNatives,
  bitwiseNatives,
  roundingNatives,
  compareNatives,
  boolNatives,
  typeNatives,
  atomNatives,
  intTextNatives,
  floatTextNatives,
  erlangListNatives,
  tupleNatives,
  erlangBinaryNatives,
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
  ertsDebugNatives,
];

/** BIFs that use the scheduler: processes, timers, control transfer, code and system queries. */
export const PROCESS_BIF_NATIVES: readonly NativeModule[] = [
  processNatives,
  aliasNatives,
  timerNatives,
  controlNatives,
  systemExtraNatives,
  portNatives,
  codeInfoErlangNatives,
  codeInfoNatives,
];

/**
 * Library modules implemented natively (OTP runs bytecode for these); which
 * functions are native and which are Erlang code (nifs/stdlib) is listed in
 * docs/library.md.
 */
export const LIBRARY_NATIVES: readonly NativeModule[] = [
  listsNatives,
  mapsNatives,
  stringNatives,
  unicodeNatives,
  binaryModuleNatives,
  base64Natives,
  mathNatives,
  randNatives,
  ioNatives,
  ioLibNatives,
  ioLibFormatNatives,
  jsonNatives,
  uriStringNatives,
  persistentTermNatives,
  osNatives,
  proplistsNatives,
  etsNatives,
  cryptoNatives,
  zlibNatives,
];

/** Every standard native module, in registration order. */
export function standardNatives(): NativeModule[] {
  return [...PURE_BIF_NATIVES, ...PROCESS_BIF_NATIVES, ...LIBRARY_NATIVES, ...KERNEL_NATIVES];
}
