/**
 * Map BIFs of module erlang: `map_size/1`, `map_get/2` (`is_map_key/2` is
 * with the type tests). A non-map is `{badmap, M}`, a missing key `{badkey, K}`.
 */

import { A } from "../../terms/atom.ts";
import { MapTerm } from "../../terms/map.ts";
import { defineNatives, type NativeModule, raiseTagged } from "../../vm/index.ts";

/** `erlang:map_size/1` and `erlang:map_get/2`. */
export const erlangMapNatives: NativeModule = defineNatives("erlang", {
  "map_size/1": (_p, m) => (m instanceof MapTerm ? m.size : raiseTagged(A.badmap, m)),
  "map_get/2": (_p, k, m) => {
    if (!(m instanceof MapTerm)) return raiseTagged(A.badmap, m);
    return m.get(k) ?? raiseTagged(A.badkey, k);
  },
});
