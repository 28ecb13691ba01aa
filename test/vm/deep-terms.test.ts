/**
 * fixtures/deep/deep_terms.erl on our VM: every line must match what real erl
 * recorded (fixtures/deep/deep_terms.expected). Covered here: the 100 000-long
 * link chain (all dead, the trapping parent gets {'EXIT', First, boom}), a
 * trapping process stopping a chain, deep terms in messages and exit reasons,
 * deep iolists, lists:flatten, and one case of each term BIF family through
 * compiled code. The other shape x operation cases are checked against the
 * same recorded lines directly on the term library by test/terms/deep.test.ts
 * (running all 36 on the VM takes minutes).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";
import { DEEP_DIR, deepCases } from "../terms/deep-shapes.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";
import { describeOutcome } from "./conformance-harness.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const SLOW = 180_000;

/** Cases run on the VM; each must give erl's recorded line. */
const ON_VM = [
  "t_link_chain_100k",
  "t_link_chain_trapping_middle",
  "t_list_send",
  "t_map_send",
  "t_mixed_send",
  "t_tuple_send",
  "t_deep_exit_reason",
  "t_deep_iolist",
  "t_deep_flatten",
  "t_mixed_compare",
  "t_mixed_t2b",
  "t_mixed_phash2",
  "t_tuple_phash",
  "t_mixed_print_w",
  "t_mixed_print_p",
];

/**
 * Known differences: `~p` lays out at most PRETTY_MAX_NESTING levels
 * (terms/pretty-tree.ts) and fails with system_limit beyond; erl prints a
 * 100 000-deep list.
 */
const KNOWN: Record<string, string> = {
  t_list_print_p: "error\tsystem_limit",
  t_list_print_tp: "error\tsystem_limit",
};

let rt: Runtime | null = null;
function run(fn: string): string {
  if (rt === null) {
    rt = createRuntime({ clock: new ManualClock(), paths: [DEEP_DIR], log: () => {} });
    rt.code.loadFile(join(DEEP_DIR, "deep_terms.beam"));
  }
  const o = rt.callSync("deep_terms", fn, [], 2_000_000);
  return o.kind === "exception" && o.killed ? `died\t${formatW(o.reason)}` : describeOutcome(o);
}

describe("deep_terms on the VM", () => {
  const cases = new Map(deepCases().map((c) => [c.fn, c]));
  test("every case the VM runs was recorded from erl", () => {
    for (const fn of [...ON_VM, ...Object.keys(KNOWN)]) expect(cases.get(fn)?.kind).toBe("value");
  });
  for (const fn of ON_VM) {
    test(
      fn,
      () => {
        const c = cases.get(fn)!;
        expect(run(fn)).toBe(`${c.kind}\t${c.text}`);
      },
      SLOW,
    );
  }
  for (const [fn, ours] of Object.entries(KNOWN)) {
    test(
      `${fn} (known difference: ~p nesting bound)`,
      () => {
        expect(run(fn)).toBe(ours);
      },
      SLOW,
    );
  }
});
