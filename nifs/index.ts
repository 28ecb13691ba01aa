/**
 * Every native module the VM ships with, and {@link createRuntime}, which
 * builds a {@link Runtime} with them installed and the project's own Erlang
 * library (nifs/stdlib) on the code path.
 */

import { join } from "node:path";
import type { NativeModule } from "../vm/native.ts";
import { Runtime, type RuntimeOptions } from "../vm/runtime.ts";
import { controlNatives } from "./erlang/control.ts";
import { erlangPureNatives } from "./erlang/index.ts";
import { processNatives } from "./erlang/process.ts";
import { timerNatives } from "./erlang/timers.ts";
import { libNatives } from "./lib/index.ts";

/** The standard natives: erlang BIFs and the library modules implemented natively. */
export function standardNatives(): NativeModule[] {
  return [...erlangPureNatives, processNatives, timerNatives, controlNatives, ...libNatives];
}

/** Directories of the project's own Erlang library code. */
export const STDLIB_PATHS: readonly string[] = [join(import.meta.dir, "stdlib")];

export interface StandardRuntimeOptions extends RuntimeOptions {
  /**
   * Directories of a real OTP installation's library `.beam` files, searched
   * after the project's own library for modules it does not provide.
   */
  otpPaths?: readonly string[];
}

/** A Runtime with the standard natives and library. */
export function createRuntime(options: StandardRuntimeOptions = {}): Runtime {
  return new Runtime({
    ...options,
    natives: [...standardNatives(), ...(options.natives ?? [])],
    paths: [...(options.paths ?? []), ...STDLIB_PATHS, ...(options.otpPaths ?? [])],
  });
}
