/**
 * Round trip: every `x.S` listing erlc wrote under fixtures/ (with its
 * `x.beam`) is assembled by loader/asm and compared with erlc's own .beam:
 *
 * - our .beam loads;
 * - the chunks that carry the program are byte-identical: AtU8, Code, StrT,
 *   ImpT, ExpT, LocT, Line, Type; LitT after inflation (zlib output differs
 *   between implementations); FunT except the old-uniq column;
 * - the disassemblies are equal except for the MD5-derived values (the `vsn`
 *   attribute and make_fun's old uniq), since erlc's MD5 also covers chunks
 *   we do not write (Meta).
 *
 * Hand-written listings in fixtures/asm have no erlc .beam; they are checked
 * in test/loader/asm.test.ts and test/vm/asm.test.ts.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { dirname, join } from "node:path";
import { inflateSync } from "node:zlib";
import { assemble } from "../../loader/asm/index.ts";
import { type BeamModule, disassemble, loadBeam } from "../../loader/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const ROOT = join(dirname(import.meta.path), "..", "..");

const listings = [...new Bun.Glob("fixtures/**/*.S").scanSync({ cwd: ROOT })]
  .filter((rel) => !rel.startsWith("fixtures/asm/"))
  .filter((rel) => Bun.file(join(ROOT, rel.replace(/\.S$/, ".beam"))).size > 0)
  .sort();

const IDENTICAL = ["AtU8", "Code", "StrT", "ImpT", "ExpT", "LocT", "Line", "Type"];

function chunk(m: BeamModule, id: string): Uint8Array | undefined {
  return m.chunks.find((c) => c.id === id)?.data;
}

const hex = (b: Uint8Array | undefined) =>
  b === undefined ? "absent" : Buffer.from(b).toString("hex");

/** FunT rows with the old-uniq column (the last of six words) zeroed. */
function funTWithoutUniq(b: Uint8Array | undefined): string {
  if (b === undefined) return "absent";
  const copy = Uint8Array.from(b);
  for (let row = 4; row + 24 <= copy.length; row += 24) copy.fill(0, row + 20, row + 24);
  return hex(copy);
}

/** The disassembly without the MD5-derived values. */
function stableListing(m: BeamModule): string {
  return disassemble(m)
    .replace(/\{vsn,\[\d+\]\},?/, "")
    .replace(/(\{make_fun[23],\{f,\d+\},\d+,)\d+/g, "$1UNIQ");
}

describe("assembling erlc's listings reproduces erlc's beams", () => {
  test("there are listings to check", () => {
    expect(listings.length).toBeGreaterThanOrEqual(30);
  });

  for (const rel of listings) {
    test(rel, async () => {
      const path = join(ROOT, rel);
      const ours = loadBeam(assemble(await Bun.file(path).text(), { file: rel }), rel);
      const beamPath = path.replace(/\.S$/, ".beam");
      const theirs = loadBeam(new Uint8Array(await Bun.file(beamPath).arrayBuffer()), beamPath);

      for (const id of IDENTICAL)
        expect(`${id} ${hex(chunk(ours, id))}`).toBe(`${id} ${hex(chunk(theirs, id))}`);
      const lit = (m: BeamModule) => {
        const d = chunk(m, "LitT");
        return d === undefined ? "absent" : hex(inflateSync(d.subarray(4)));
      };
      expect(lit(ours)).toBe(lit(theirs));
      expect(funTWithoutUniq(chunk(ours, "FunT"))).toBe(funTWithoutUniq(chunk(theirs, "FunT")));
      expect(stableListing(ours)).toBe(stableListing(theirs));
    });
  }
});
