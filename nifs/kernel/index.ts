/**
 * The minimal kernel the VM provides in place of OTP's `kernel` application
 * boot: what OTP's own behaviours (`gen_server`, `supervisor`, `proc_lib`...)
 * and `application:get_env/set_env` need from processes that a real node
 * starts at boot (the application controller, the logger), as natives; and
 * host file access for `aion run` (`file`), which the workflow sandbox refuses.
 * docs/otp-compat.md describes what each provides and what it leaves out.
 */
import type { NativeModule } from "../../vm/index.ts";
import { applicationControllerNatives } from "./application-env.ts";
import { fileNatives } from "./file.ts";
import { fileRawNatives } from "./file-raw.ts";
import { funInfoNatives } from "./fun-info.ts";
import { netKernelIoNatives } from "./io-bifs.ts";
import { loggerNatives } from "./logger.ts";

/** The kernel's native modules, in registration order. */
export const KERNEL_NATIVES: readonly NativeModule[] = [
  applicationControllerNatives,
  loggerNatives,
  funInfoNatives,
  fileNatives,
  fileRawNatives,
  netKernelIoNatives,
];
