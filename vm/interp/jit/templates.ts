/**
 * The instruction templates, keyed by opcode name. A template emits an
 * instruction's code inline and returns whether the block continues after
 * it (false: control left), or returns null to decline, in which case the
 * instruction's closure is called instead. A declining template must not
 * have emitted anything but register loads.
 */
import type { Emitter, JitInstr } from "./emitter.ts";
import { bifTemplates } from "./templates-bif.ts";
import { bsTemplates } from "./templates-bs.ts";
import { createBin } from "./templates-bs-create.ts";
import { controlTemplates } from "./templates-control.ts";
import { dataTemplates } from "./templates-data.ts";
import { nativeTemplates } from "./templates-native.ts";
import { receiveTemplates } from "./templates-receive.ts";
import { testTemplates } from "./templates-test.ts";

export type Template = (e: Emitter, ins: JitInstr) => boolean | null;

export const TEMPLATES: Readonly<Record<string, Template>> = {
  ...dataTemplates,
  ...controlTemplates,
  ...testTemplates,
  ...bifTemplates,
  ...bsTemplates,
  ...nativeTemplates,
  ...receiveTemplates,
  bs_create_bin: createBin,
};
