/**
 * Finding a local Erlang/OTP or Elixir installation's library `ebin`
 * directories, for `aion run --otp/--elixir` and the tests that run OTP's or
 * Elixir's own `.beam` files on the VM. Those files are never copied into the
 * repository; a machine without the install gets null and the caller says so
 * (or the test skips).
 */
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

/** Where Debian's (and most) Erlang packages put OTP's applications. */
export const DEFAULT_OTP_LIB = "/usr/lib/erlang/lib";

/** The OTP applications `aion run --otp` puts on the path. */
export const OTP_APPS: readonly string[] = ["stdlib", "kernel", "compiler"];

/** The newest `APP-VSN/ebin` under `root`, or null. */
function appEbin(root: string, app: string): string | null {
  if (!existsSync(root)) return null;
  const dir = readdirSync(root)
    .filter((d) => d === app || d.startsWith(`${app}-`))
    .sort()
    .at(-1);
  if (dir === undefined) return null;
  const ebin = join(root, dir, "ebin");
  return existsSync(ebin) ? ebin : null;
}

/**
 * The `ebin` directories of `apps` in the OTP install at `root`, in order, or
 * null when any is missing.
 */
export function otpEbins(
  apps: readonly string[] = OTP_APPS,
  root = DEFAULT_OTP_LIB,
): string[] | null {
  const dirs = apps.map((a) => appEbin(root, a));
  return dirs.every((d) => d !== null) ? (dirs as string[]) : null;
}

/** The library root of the Elixir install whose `elixir` is on PATH (or at a usual place), or null. */
export function elixirLibRoot(pathEnv = process.env.PATH ?? ""): string | null {
  const candidates = [
    ...pathEnv.split(":").map((d) => join(d, "elixir")),
    "/usr/lib/elixir/bin/elixir",
    "/usr/local/lib/elixir/bin/elixir",
  ];
  for (const c of candidates) {
    if (!c.startsWith("/") || !existsSync(c)) continue;
    // bin/elixir is usually a symlink into the install: ROOT/bin/elixir, with ROOT/lib/elixir/ebin.
    const lib = join(dirname(dirname(realpathSync(c))), "lib");
    if (existsSync(join(lib, "elixir", "ebin", "Elixir.Kernel.beam"))) return lib;
  }
  return null;
}

/** The `ebin` directories Elixir code needs (`elixir`, `logger`), or null without an install. */
export function elixirEbins(apps: readonly string[] = ["elixir", "logger"]): string[] | null {
  const root = elixirLibRoot();
  if (root === null) return null;
  const dirs = apps.map((a) => appEbin(root, a));
  return dirs.every((d) => d !== null) ? (dirs as string[]) : null;
}
