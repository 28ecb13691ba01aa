/**
 * OTP 25's own behaviours (gen_server, gen_statem, gen_event, supervisor,
 * proc_lib, sys, application env, logger) on the VM over its minimal kernel
 * (nifs/kernel): each fixtures/otp/behaviours module's t_ functions (arity 0) run
 * with OTP's stdlib and kernel `.beam` files on the path, and must give what
 * real erl gave (recorded by scripts/fixtures/otp-behaviours.sh). Skipped
 * when no OTP install is present: OTP's beams are never copied into the
 * repository.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { otpEbins } from "../../nifs/kernel/installs.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";

setDefaultTimeout(60_000);

const DIR = join(import.meta.dir, "../../fixtures/otp/behaviours");
const ebins = otpEbins(["stdlib", "kernel"]);

function lineOf(rt: Runtime, module: string, fn: string): string {
  const o = rt.callSync(module, fn, [], 5_000_000);
  if (o.kind === "timeout") return "timeout\t";
  if (o.kind === "exception") return `${o.killed ? "died" : o.cls}\t${formatW(o.reason)}`;
  return `value\t${formatW(o.value)}`;
}

const modules = readdirSync(DIR)
  .filter((f) => f.endsWith(".expected"))
  .map((f) => f.slice(0, -".expected".length));

test("there are recorded behaviour fixtures", () => {
  expect(modules.length).toBeGreaterThan(0);
});

describe.skipIf(ebins === null)(
  "OTP behaviours on the VM match erl (needs /usr/lib/erlang)",
  () => {
    for (const module of modules) {
      const lines = readFileSync(join(DIR, `${module}.expected`), "utf8")
        .split("\n")
        .filter(Boolean);
      describe(module, () => {
        let rt: Runtime | null = null;
        const runtime = () => {
          if (rt === null) {
            rt = createRuntime({
              clock: new ManualClock(),
              log: () => {},
              paths: [DIR],
              otpPaths: ebins!,
            });
            rt.code.loadFile(join(DIR, `${module}.beam`));
          }
          return rt;
        };
        for (const l of lines) {
          const [fn, ...rest] = l.split("\t");
          test(fn!, () =>
            expect(`${fn}\t${lineOf(runtime(), module, fn!)}`).toBe(`${fn}\t${rest.join("\t")}`),
          );
        }
      });
    }
  },
);
