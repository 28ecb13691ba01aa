/**
 * The one registry of native functions in a VM. Every native (BIF, library
 * NIF, the engine's `aion_flow_ffi`) is installed into the export table
 * through here, and a second registration of an MFA is an error instead of a
 * silent replacement: which file serves a function must never depend on
 * registration order. A caller that means to replace a native says so with
 * {@link NativeRegistry.override}.
 */

import type { ControlFn, NativeFn, NativeModule } from "../native.ts";
import type { ExportEntry, ExportTable } from "./exports.ts";

/** A native registered for an MFA that already has one. */
export class DuplicateNativeError extends Error {
  override readonly name = "DuplicateNativeError";
  constructor(readonly mfa: string) {
    super(`native ${mfa} is already registered (use override to replace it on purpose)`);
  }
}

/** Installs one native into its export entry; the VM's sandbox may put a refusal there instead. */
export type NativeInstaller = (
  entry: ExportEntry,
  fn: NativeFn | null,
  control: ControlFn | null,
) => void;

/** One native of a module, split out of its `name/arity` key. */
interface NativeItem {
  readonly name: string;
  readonly arity: number;
  readonly fn: NativeFn | null;
  readonly control: ControlFn | null;
}

function itemsOf(mod: NativeModule): NativeItem[] {
  const items: NativeItem[] = [];
  for (const [key, fn] of mod.functions) items.push({ ...splitKey(key), fn, control: null });
  for (const [key, control] of mod.control) items.push({ ...splitKey(key), fn: null, control });
  return items;
}

function splitKey(key: string): { name: string; arity: number } {
  const slash = key.lastIndexOf("/");
  return { name: key.slice(0, slash), arity: Number(key.slice(slash + 1)) };
}

export class NativeRegistry {
  /** `module:name/arity` of every registered native. */
  private readonly registered = new Set<string>();

  constructor(
    private readonly exports: ExportTable,
    private readonly install: NativeInstaller,
  ) {}

  /**
   * Registers a module's natives (they win over bytecode of the same MFA).
   * Checks every MFA before installing any, so a refused module leaves no
   * half-installed functions behind.
   * @throws DuplicateNativeError when an MFA already has a native (also within `mod`)
   */
  register(mod: NativeModule): void {
    const items = itemsOf(mod);
    const seen = new Set<string>();
    for (const it of items) {
      const mfa = `${mod.module}:${it.name}/${it.arity}`;
      if (this.registered.has(mfa) || seen.has(mfa)) throw new DuplicateNativeError(mfa);
      seen.add(mfa);
    }
    this.installAll(mod.module, items);
  }

  /**
   * Replaces (or adds) natives on purpose, e.g. an embedder substituting its
   * own version of a library function. The only way to register an MFA twice.
   */
  override(mod: NativeModule): void {
    this.installAll(mod.module, itemsOf(mod));
  }

  /** Whether a native is registered for M:F/A. */
  has(module: string, name: string, arity: number): boolean {
    return this.registered.has(`${module}:${name}/${arity}`);
  }

  /** Every registered native as `module:name/arity`. */
  mfas(): readonly string[] {
    return [...this.registered];
  }

  private installAll(module: string, items: readonly NativeItem[]): void {
    for (const it of items) {
      this.registered.add(`${module}:${it.name}/${it.arity}`);
      this.install(this.exports.lookup(module, it.name, it.arity), it.fn, it.control);
    }
  }
}
