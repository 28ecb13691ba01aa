/**
 * Cases of fixtures/otp/otp_cases.expected that are known to differ from
 * real erl, keyed by line, each with the function it must be (so a stale
 * line number fails loudly) and the cause. docs/otp-compat.md explains each.
 * The suite runs these with `test.failing`: fixing one makes it fail until
 * its entry is removed here.
 */

/** OTP's own `.beam` files on our VM. */
export const OTP_ON_VM: ReadonlyMap<number, readonly [string, string]> = new Map([]);

/** Our own library (natives and nifs/stdlib). */
export const OUR_LIBRARY: ReadonlyMap<number, readonly [string, string]> = new Map([
  [343, ["io_lib:format", "~W does not cut maps at the depth limit"]],
  [405, ["io_lib:format", "io_lib:format/3 ignores chars_limit"]],
  [406, ["io_lib:format", "io_lib:format/3 ignores chars_limit"]],
  [407, ["io_lib:format", "io_lib:format/3 ignores chars_limit"]],
  [521, ["sets:size", "a literal OTP version-1 set record is not our set representation (opaque)"]],
  [
    540,
    ["maps:next", "iterator shape: ours [I|Map] per step, erl one nested {K,V,...,none} batch"],
  ],
]);

/** Modules our library does not provide at all; their cases are skipped for it. */
export const NOT_PROVIDED: readonly string[] = ["unicode_util"];
