/**
 * {@link createRuntime}, which builds a {@link Runtime} with every standard
 * native installed (the list is nifs/registry.ts) and the project's own
 * Erlang library (nifs/stdlib) on the code path.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { type NativeModule, Runtime, type RuntimeOptions } from "../vm/index.ts";
import { registerCodeInfo } from "./erlang/code-info.ts";
import { LIBRARY_NATIVES, standardNatives } from "./registry.ts";

export { standardNatives };

/** Directories of the project's own Erlang library code. */
export const STDLIB_PATHS: readonly string[] = [join(import.meta.dir, "stdlib")];

export interface StandardRuntimeOptions extends RuntimeOptions {
  /**
   * Directories of a real OTP installation's library `.beam` files, searched
   * after the project's own library for modules it does not provide.
   */
  otpPaths?: readonly string[];

  /**
   * Modules to run from `otpPaths` instead of our library: their `.beam` is
   * loaded from the first of `otpPaths` that has one, and the library natives
   * (nifs/lib) of these modules are not registered, so OTP's bytecode runs.
   * The BIFs (nifs/erlang: `lists:reverse/2`, `maps:get/2`...) stay, as they
   * do on BEAM. Used to prove OTP's own code runs on the VM (test/otp).
   */
  preferOtp?: readonly string[];
}

/**
 * The functions of OTP 25 library modules that are BIFs there (implemented in
 * C, `erlang:is_builtin/3`); a module run from OTP's `.beam` keeps our
 * natives for exactly these. Most live in nifs/erlang already.
 */
const OTP_LIBRARY_BIFS: Readonly<Record<string, readonly string[]>> = {
  lists: ["keyfind/3", "keysearch/3", "keymember/3", "reverse/2", "member/2"],
  maps: [
    ...["find/2", "from_keys/2", "from_list/1", "get/2", "is_key/2", "keys/1", "merge/2"],
    ...["put/3", "remove/2", "take/2", "update/3", "values/1"],
  ],
  string: ["list_to_float/1", "list_to_integer/1"],
  unicode: ["bin_is_7bit/1", "characters_to_binary/2", "characters_to_list/2"],
  io: ["printable_range/0"],
};

/** A library native module cut down to the functions OTP implements as BIFs. */
function onlyBifs(n: NativeModule): NativeModule {
  const bifs = new Set(OTP_LIBRARY_BIFS[n.module] ?? []);
  return {
    module: n.module,
    functions: new Map([...n.functions].filter(([k]) => bifs.has(k))),
    control: new Map([...n.control].filter(([k]) => bifs.has(k))),
  };
}

/** A Runtime with the standard natives and library. */
export function createRuntime(options: StandardRuntimeOptions = {}): Runtime {
  const otpPaths = options.otpPaths ?? [];
  const prefer = new Set(options.preferOtp ?? []);
  const lib = new Set(LIBRARY_NATIVES);
  const natives = standardNatives().map((n) =>
    lib.has(n) && prefer.has(n.module) ? onlyBifs(n) : n,
  );
  const rt = new Runtime({
    ...options,
    natives: [...natives, ...(options.natives ?? [])],
    paths: [...(options.paths ?? []), ...STDLIB_PATHS, ...otpPaths],
  });
  registerCodeInfo(rt.vm, {
    paths: rt.code.paths,
    nativeModules: [...new Set([...natives, ...(options.natives ?? [])].map((n) => n.module))],
  });
  for (const m of prefer) {
    const dir = otpPaths.find((d) => existsSync(join(d, `${m}.beam`)));
    if (dir === undefined) throw new Error(`preferOtp: no ${m}.beam in otpPaths`);
    rt.code.loadFile(join(dir, `${m}.beam`));
  }
  return rt;
}
