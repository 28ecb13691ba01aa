/**
 * The Type chunk: the compiler's "external" types, which typed registers
 * (OTP 25+) refer to by index. Header: version, count. Entries by version:
 *
 *   1 (OTP 25)     16 type bits (13 used), then min and max as signed 64-bit;
 *                  min > max means "no integer range".
 *   2 (OTP 26)     16 bits: 13 types, then flags "has lower bound" (13),
 *                  "has upper bound" (14), "has unit" (15); then, for each flag
 *                  set, a signed 64-bit bound or an 8-bit unit.
 *   3 (OTP 27/28)  as 2 without the match-state type: 12 types, flags 12..14.
 *   4 (OTP 29)     as 3 plus a record type: 13 types, flags 13..15.
 *
 * Type bits are listed in BIT_KINDS below. The table is kept raw; entries are
 * decoded for the versions above and left null for others.
 */
import { normBig } from "../terms/index.ts";
import { TYPE_HEADER } from "./layouts.ts";
import type { BeamTypeKind, TypeEntry, TypeTable } from "./module.ts";
import type { Reader } from "./reader.ts";

const V1_KINDS: readonly BeamTypeKind[] = [
  "atom",
  "bitstring",
  "bs_matchstate",
  "cons",
  "float",
  "fun",
  "integer",
  "map",
  "nil",
  "pid",
  "port",
  "reference",
  "tuple",
];
const V3_KINDS: readonly BeamTypeKind[] = V1_KINDS.filter((k) => k !== "bs_matchstate");
const V4_KINDS: readonly BeamTypeKind[] = [...V3_KINDS, "record"];

/** Type-bit names and where the bound/unit flags start, per version. */
const BIT_KINDS: Record<number, { kinds: readonly BeamTypeKind[]; flags: number }> = {
  2: { kinds: V1_KINDS, flags: 13 },
  3: { kinds: V3_KINDS, flags: 12 },
  4: { kinds: V4_KINDS, flags: 13 },
};

function kindsOf(bits: number, kinds: readonly BeamTypeKind[]): BeamTypeKind[] {
  const out: BeamTypeKind[] = [];
  for (let i = 0; i < kinds.length; i++) if (bits & (1 << i)) out.push(kinds[i]!);
  return out;
}

/** Decodes a Type chunk. */
export function readTypes(r: Reader): TypeTable {
  r.need(TYPE_HEADER.size, "Type header");
  const h = TYPE_HEADER.parse(r.buf, r.pos);
  r.pos += TYPE_HEADER.size;
  const raw = r.buf.subarray(r.pos, r.end);
  if (h.version === 1) {
    r.checkCount(h.count, 18, "type");
    const entries: TypeEntry[] = new Array(h.count);
    for (let i = 0; i < h.count; i++) {
      const kinds = kindsOf(r.u16(), V1_KINDS);
      const min = r.i64();
      const max = r.i64();
      const ranged = min <= max;
      entries[i] = {
        kinds,
        min: ranged ? normBig(min) : null,
        max: ranged ? normBig(max) : null,
        unit: null,
      };
    }
    return { version: 1, count: h.count, raw, entries };
  }
  const layout = BIT_KINDS[h.version];
  if (layout === undefined) {
    // Unknown layout: keep the bytes; typed registers are still range-checked by count.
    return { version: h.version, count: h.count, raw, entries: null };
  }
  r.checkCount(h.count, 2, "type");
  const entries: TypeEntry[] = new Array(h.count);
  for (let i = 0; i < h.count; i++) {
    const bits = r.u16();
    const f = layout.flags;
    entries[i] = {
      kinds: kindsOf(bits, layout.kinds),
      min: bits & (1 << f) ? normBig(r.i64()) : null,
      max: bits & (1 << (f + 1)) ? normBig(r.i64()) : null,
      unit: bits & (1 << (f + 2)) ? r.u8() : null,
    };
  }
  return { version: h.version, count: h.count, raw, entries };
}
