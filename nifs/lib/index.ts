/**
 * Natives for OTP library modules (`lists`, `maps`, `string`, `unicode`,
 * `binary`, `base64`, `math`, `rand`, `io`, `io_lib`, `json`, ...). What is
 * native and what is Erlang code (nifs/stdlib) is listed in docs/library.md.
 */
import type { NativeModule } from "../../vm/index.ts";
import { base64Natives } from "./base64.ts";
import { binaryNatives } from "./binary.ts";
import { etsNatives } from "./ets.ts";
import { ioNatives } from "./io.ts";
import { ioLibFormatNatives, ioLibNatives } from "./io_lib.ts";
import { jsonNatives } from "./json.ts";
import { listsNatives } from "./lists.ts";
import { mapsNatives } from "./maps.ts";
import { mathNatives } from "./math.ts";
import { osNatives } from "./os.ts";
import { persistentTermNatives } from "./persistent_term.ts";
import { proplistsNatives } from "./proplists.ts";
import { randNatives } from "./rand.ts";
import { stringNatives } from "./string.ts";
import { unicodeNatives } from "./unicode.ts";
import { uriStringNatives } from "./uri_string.ts";

/** Every library native module, for `vm.registerNatives`. */
export const libNatives: NativeModule[] = [
  listsNatives,
  mapsNatives,
  stringNatives,
  unicodeNatives,
  binaryNatives,
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
];
