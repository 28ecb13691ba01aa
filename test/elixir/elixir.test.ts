/**
 * Elixir code on the VM: fixtures/elixir's modules (compiled by elixirc) run
 * with the local Elixir install's stdlib beams and OTP's stdlib/kernel on the
 * path, and each case must give the `~w` text real `elixir` gave
 * (fixtures/elixir/record.sh). Skipped, saying why, without Elixir or OTP:
 * their beams are never copied into the repository.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { elixirEbins, otpEbins } from "../../nifs/kernel/installs.ts";
import { formatW } from "../../terms/format.ts";
import { ManualClock, type Runtime } from "../../vm/index.ts";

setDefaultTimeout(120_000);

const DIR = join(import.meta.dir, "../../fixtures/elixir");
const elixir = elixirEbins();
const otp = otpEbins(["stdlib", "kernel"]);
const lines = readFileSync(join(DIR, "aion_elixir_demo.expected"), "utf8")
  .split("\n")
  .filter(Boolean);

test("Elixir cases are recorded", () => expect(lines.length).toBeGreaterThan(5));

if (elixir === null || otp === null)
  test.skip("Elixir fixtures: no Elixir install (apt-get install elixir) or no OTP install", () => {});

describe.skipIf(elixir === null || otp === null)("Elixir code on the VM matches elixir", () => {
  let rt: Runtime | null = null;
  const runtime = () =>
    (rt ??= createRuntime({
      clock: new ManualClock(),
      log: () => {},
      paths: [DIR],
      otpPaths: [...elixir!, ...otp!],
    }));
  for (const l of lines) {
    const [name, expected] = l.split("\t");
    // DateTime reads :elixir's env default (time_zone_database) from elixir.app: the
    // minimal kernel loads it once an :elixir module is loaded (nifs/kernel/app-file.ts).
    test(name!, () => {
      const o = runtime().callSync("Elixir.AionElixirDemo", name!, [], 20_000_000);
      const got =
        o.kind === "value"
          ? formatW(o.value)
          : o.kind === "exception"
            ? `${o.cls}: ${formatW(o.reason)}`
            : o.kind;
      expect(got).toBe(expected!);
    });
  }
});
