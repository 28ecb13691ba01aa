/**
 * `erts_debug`: the two size queries programs use to reason about memory,
 * `flat_size/1` and `size/1` (see term-size.ts for how words are counted).
 */
import { defineNatives, type NativeModule } from "../../vm/index.ts";
import { termWords } from "./term-size.ts";

export const ertsDebugNatives: NativeModule = defineNatives("erts_debug", {
  "flat_size/1": (_p, t) => termWords(t!, false),
  "size/1": (_p, t) => termWords(t!, true),
});
