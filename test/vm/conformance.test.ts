/**
 * Differential conformance: every t_* function under fixtures/conformance must
 * give on our VM exactly what real Erlang/OTP 25 gave for the same .beam.
 *
 * Cases listed in conformance-known-failures.txt are expected to differ (each
 * with a reason); the suite fails if one of them starts passing, so the list
 * only ever shrinks and never hides a regression.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE_DIR, readExpected, runModule } from "./conformance-harness.ts";

// A few cases do real work (busy processes, long loops): well under a second when idle,
// several seconds on a loaded machine. Runs are bounded by reductions, not by this.
setDefaultTimeout(120_000);

const known = new Map<string, string>();
for (const line of readFileSync(
  join(import.meta.dir, "conformance-known-failures.txt"),
  "utf8",
).split("\n")) {
  const t = line.trim();
  if (!t || t.startsWith("#")) continue;
  const [id, ...why] = t.split(/\s+/);
  known.set(id!, why.join(" "));
}

const modules = readdirSync(CONFORMANCE_DIR)
  .filter((f) => f.endsWith(".expected"))
  .map((f) => f.slice(0, -".expected".length))
  .sort();

for (const module of modules) {
  describe(module, () => {
    const cases = readExpected(module);
    let results: Map<string, string> | null = null;
    const ours = () => (results ??= runModule(module, cases));
    for (const c of cases) {
      const id = `${module}:${c.fn}`;
      const expected = `${c.kind}\t${c.text}`;
      if (known.has(id)) {
        test(`${c.fn} (known difference: ${known.get(id)})`, () => {
          expect(ours().get(c.fn)).not.toBe(expected);
        });
      } else {
        test(c.fn, () => {
          expect(ours().get(c.fn)).toBe(expected);
        });
      }
    }
  });
}
