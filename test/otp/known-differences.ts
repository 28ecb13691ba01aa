/**
 * Cases of fixtures/otp/otp_cases.expected that are known to differ from
 * real erl, keyed by line, each with the function it must be (so a stale
 * line number fails loudly) and the cause. docs/otp-compat.md explains each.
 * The suite runs these with `test.failing`: fixing one makes it fail until
 * its entry is removed here.
 */

/** OTP's own `.beam` files on our VM. */
export const OTP_ON_VM: ReadonlyMap<number, readonly [string, string]> = new Map([]);

const MISSING = "not implemented in our library (undef)";

/** Our own library (natives and nifs/stdlib). */
export const OUR_LIBRARY: ReadonlyMap<number, readonly [string, string]> = new Map([
  [91, ["lists:rukeymerge", MISSING]],
  [92, ["lists:rumerge", MISSING]],
  [93, ["lists:rumerge3", MISSING]],
  [
    105,
    ["lists:sort", "equal-comparing 1 and 1.0 kept in input order; OTP's merge sort swaps them"],
  ],
  [136, ["lists:umerge3", MISSING]],
  [248, ["string:to_integer", "improper list gives {error,badarg}, erl {error,no_integer}"]],
  [274, ["string:chars", MISSING]],
  [275, ["string:chars", MISSING]],
  [343, ["io_lib:format", "~W does not cut maps at the depth limit"]],
  [398, ["io_lib:format", "~c of -1 is badarg; erl prints the low byte (255)"]],
  [405, ["io_lib:format", "io_lib:format/3 ignores chars_limit"]],
  [406, ["io_lib:format", "io_lib:format/3 ignores chars_limit"]],
  [407, ["io_lib:format", "io_lib:format/3 ignores chars_limit"]],
  [425, ["io_lib:write_latin1_char", MISSING]],
  [432, ["io_lib:quote_atom", MISSING]],
  [433, ["io_lib:quote_atom", MISSING]],
  [449, ["io_lib:scan_format", MISSING]],
  [450, ["io_lib:unscan_format", MISSING]],
  [451, ["io_lib:build_text", MISSING]],
  [453, ["io_lib:limit_term", MISSING]],
  [454, ["io_lib:fread", MISSING]],
  [455, ["io_lib:fread", MISSING]],
  [456, ["io_lib:fread", MISSING]],
  [480, ["proplists:substitute_negations", MISSING]],
  [481, ["proplists:expand", MISSING]],
  [482, ["proplists:normalize", MISSING]],
  [485, ["proplists:to_map", `to_map/2 ${MISSING}`]],
  [521, ["sets:size", "a literal OTP version-1 set record is not our set representation (opaque)"]],
  [
    540,
    ["maps:next", "iterator shape: ours [I|Map] per step, erl one nested {K,V,...,none} batch"],
  ],
]);

/** Modules our library does not provide at all; their cases are skipped for it. */
export const NOT_PROVIDED: readonly string[] = ["unicode_util", "orddict"];
