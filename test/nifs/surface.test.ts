/**
 * Every external function the existing Aion packages import
 * (../shared/docs/beam-surface.md, "External functions the existing packages
 * import") is callable: a native, or an export of the project's own library.
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { Engine } from "../../engine/index.ts";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { ManualClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

// The list as the shared reference gives it (module: name/arity, ...).
const SURFACE: Record<string, string> = {
  base64: "decode/1, encode/2",
  binary: "decode_hex/1, encode_hex/1, part/3",
  erlang:
    "*/2, ++/2, +/2, -/1, -/2, /=/2, </2, =/=/2, atom_to_binary/1, atom_to_binary/2, band/2, binary_part/3, binary_to_float/1, binary_to_integer/1, binary_to_integer/2, binary_to_list/1, bit_size/1, bnot/1, bor/2, bsl/2, bsr/2, bxor/2, byte_size/1, div/2, element/2, error/1, float/1, fun_info/2, get/1, get_module_info/1, get_module_info/2, integer_to_binary/1, integer_to_binary/2, integer_to_list/1, integer_to_list/2, iolist_size/1, iolist_to_binary/1, is_bitstring/1, is_map_key/2, length/1, list_to_binary/1, list_to_bitstring/1, list_to_tuple/1, map_get/2, map_size/1, not/1, put/2, rem/2, round/1, self/0, spawn/1, spawn/3, spawn_link/1, trunc/1, tuple_size/1, tuple_to_list/1, =:=/2, ==/2, >=/2, =</2, >/2",
  io: "put_chars/1, put_chars/2",
  io_lib: "format/2",
  io_lib_format: "fwrite_g/1",
  json: "decode/1, encode_binary/1, encode_float/1, encode_integer/1",
  lists: "append/1, append/2, join/2, map/2, reverse/1, reverse/2, seq/2",
  maps: "filter/2, find/2, fold/3, from_list/1, keys/1, map/2, merge/2, merge_with/3, put/3, remove/2, to_list/1, update_with/4, values/1, with/2, without/2",
  math: "ceil/1, exp/1, floor/1, log/1, pow/2",
  rand: "uniform/0",
  string:
    "equal/2, find/2, is_empty/1, length/1, lowercase/1, next_grapheme/1, pad/4, replace/4, reverse/1, slice/3, split/2, split/3, trim/2, uppercase/1",
  unicode: "characters_to_binary/1, characters_to_list/1",
  uri_string: "dissect_query/1, parse/1",
};

const FFI =
  "await_activity_result/1, await_child/1, cancel_timer/1, collect_all/2, collect_map/2, collect_race/2, continue_as_new/1, dispatch_activity/3, dispatch_activity_in_vm/4, dispatch_query/2, now/0, query_recorded_observations/0, random/0, random_int/2, receive_signal/2, register_query/2, reply_query/2, reply_query_error/2, send_signal/3, sleep/1, spawn_child/3, start_timer/2, with_timeout/2, workflow_id/0";

function parse(list: string): [string, number][] {
  return list.split(", ").map((s) => {
    const i = s.lastIndexOf("/");
    return [s.slice(0, i), Number(s.slice(i + 1))];
  });
}

test("every library function the packages import is defined", () => {
  const rt = createRuntime({ clock: new ManualClock() });
  const missing: string[] = [];
  for (const [mod, fns] of Object.entries(SURFACE)) {
    for (const [name, arity] of parse(fns)) {
      const e = rt.vm.exports.get(atom(mod), atom(name), arity);
      if (!e.isDefined) rt.vm.moduleLoader?.(atom(mod));
      if (!e.isDefined) missing.push(`${mod}:${name}/${arity}`);
    }
  }
  expect(missing).toEqual([]);
});

test("every aion_flow_ffi function of the contract is provided by the engine", async () => {
  const engine = await Engine.open({ store: ":memory:", clock: new ManualClock() });
  try {
    const missing = parse(FFI)
      .filter(
        ([name, arity]) =>
          !engine.runtime.vm.exports.get(atom("aion_flow_ffi"), atom(name), arity).isDefined,
      )
      .map(([n, a]) => `${n}/${a}`);
    expect(missing).toEqual([]);
  } finally {
    await engine.shutdown();
  }
});
