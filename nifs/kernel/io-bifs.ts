/**
 * The BIF OTP's `io` module (its `.beam`, which serves `io:request/2`,
 * `io:get_line/2`, `io:scan_erl_form/4`... when OTP's stdlib is on the path)
 * asks before sending each io request: whether the io server's node speaks
 * Unicode io. Every io server here is on this node, and ours
 * (nifs/stdlib/aion_file_io.erl) take Unicode requests, so the answer is
 * always `true`, as a local pid gets on BEAM.
 */
import { A } from "../../terms/atom.ts";
import { Pid } from "../../terms/term.ts";
import { badarg, defineNatives, type NativeModule } from "../../vm/index.ts";

export const netKernelIoNatives: NativeModule = defineNatives("net_kernel", {
  "dflag_unicode_io/1": (_p, pid) => (pid instanceof Pid ? A.true : badarg()),
});
