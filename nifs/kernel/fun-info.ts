/**
 * `erlang:fun_info_mfa/1`, the BIF behind `proc_lib:spawn/1` and friends
 * (`proc_lib:init_p/3` records a fun's `{M, F, A}` as the process's initial
 * call). Part of the minimal kernel because only OTP's process library asks.
 */
import { ExportFun, Fun } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";

export const funInfoNatives: NativeModule = defineNatives("erlang", {
  "fun_info_mfa/1": (_p, f) => {
    if (f instanceof Fun || f instanceof ExportFun) return [f.module, f.name, f.arity];
    return badarg();
  },
});
