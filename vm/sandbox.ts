/**
 * The sandbox: which functions code in a VM may call. Workflow code must not
 * reach the host (environment, files, ports, code loading, halting the VM,
 * distribution), so the engine's VM is created with a {@link SandboxPolicy}.
 *
 * The policy is applied when an export entry is created or a native is
 * installed (link time): a refused MFA gets a native that raises
 * `error:{sandbox, {M, F, A}}`. Every way to reach a function (a static
 * call, `apply/3`, a fun from `erlang:make_fun/3`, `spawn/3`) goes through
 * its export entry, so the check costs nothing per call and no path skips it.
 *
 * Rules are an allow-list over natives (host code: a native not allowed is
 * refused, so a native added to the library later is refused until someone
 * allows it) and a deny-list over bytecode (Erlang code reaches the host only
 * through natives, so workflow modules and the library's Erlang code run; a
 * module that exists to reach the host, like `file`, is denied whole so a
 * call to it says `sandbox`, not `undef`). docs/security.md lists the
 * workflow policy and explains the choice.
 */

import { A, type Atom, atom } from "../terms/atom.ts";
import type { Term } from "../terms/term.ts";
import type { ExportEntry } from "./code/exports.ts";
import { ErlangError } from "./errors.ts";
import type { ControlFn, NativeFn } from "./native.ts";
import { ProcessKilled } from "./signals.ts";

/**
 * What code may call in one module:
 * - `"allow"`: every function, native or bytecode;
 * - `"deny"`: nothing (the whole module is refused);
 * - `{ only: [...] }`: just these `name/arity` functions;
 * - `{ except: [...] }`: everything but these.
 * A module without a rule may run its bytecode but none of its natives.
 */
export type ModuleRule =
  | "allow"
  | "deny"
  | { readonly only: readonly string[] }
  | { readonly except: readonly string[] };

/** A sandbox's rules, per module name. */
export interface SandboxRules {
  readonly modules: Readonly<Record<string, ModuleRule>>;
}

/** Compiled form of a {@link ModuleRule}: one lookup per check. */
interface CompiledRule {
  readonly allowByDefault: boolean;
  /** `name/arity` keys whose answer is the opposite of the default. */
  readonly exceptions: ReadonlySet<string>;
}

function compile(rule: ModuleRule): CompiledRule {
  if (rule === "allow") return { allowByDefault: true, exceptions: new Set() };
  if (rule === "deny") return { allowByDefault: false, exceptions: new Set() };
  if ("only" in rule) return { allowByDefault: false, exceptions: new Set(rule.only) };
  return { allowByDefault: true, exceptions: new Set(rule.except) };
}

/** An immutable set of sandbox rules, ready to check MFAs. */
export class SandboxPolicy {
  private readonly compiled = new Map<string, CompiledRule>();

  constructor(readonly rules: SandboxRules) {
    for (const [m, r] of Object.entries(rules.modules)) this.compiled.set(m, compile(r));
  }

  /**
   * Whether code may call `module:name/arity`. `isNative` says whether a
   * native implements it (an unlisted module's natives are refused, its
   * bytecode is not).
   */
  permits(module: string, name: string, arity: number, isNative: boolean): boolean {
    const r = this.compiled.get(module);
    if (r === undefined) return !isNative;
    return r.exceptions.has(`${name}/${arity}`) ? !r.allowByDefault : r.allowByDefault;
  }

  /**
   * A policy with `extra`'s module rules replacing this one's (how an
   * embedder widens the workflow sandbox, e.g. `{ modules: { os: "allow" } }`).
   */
  with(extra: SandboxRules): SandboxPolicy {
    return new SandboxPolicy({ modules: { ...this.rules.modules, ...extra.modules } });
  }
}

const SANDBOX = atom("sandbox");

/**
 * Calls that never return on BEAM (`erlang:halt`) are refused by ending the
 * calling process with `{sandbox, MFA}`, not with a catchable error: the code
 * asked to stop, and only its own process may stop.
 */
function endsProcess(entry: ExportEntry): boolean {
  return entry.module === A.erlang && entry.name.name === "halt";
}

/** The `{sandbox, {M, F, A}}` reason for a refused call. */
export function sandboxReason(module: Atom, name: Atom, arity: number): Term {
  return [SANDBOX, [module, name, arity]];
}

/** The native a refused MFA gets in place of its implementation. */
function refusal(entry: ExportEntry): NativeFn {
  const reason = sandboxReason(entry.module, entry.name, entry.arity);
  if (endsProcess(entry))
    return () => {
      throw new ProcessKilled(reason);
    };
  return () => {
    throw new ErlangError("error", reason);
  };
}

/**
 * Applies a policy to export entries: `guardEntry` runs when an entry is
 * created, `installNative` when the natives registry installs a function.
 */
export class SandboxGuard {
  constructor(readonly policy: SandboxPolicy) {}

  /** Refuses a fresh entry whose module or function is denied even as bytecode. */
  guardEntry(entry: ExportEntry): void {
    if (!this.policy.permits(entry.module.name, entry.name.name, entry.arity, false))
      this.refuse(entry);
  }

  /** Installs a native, or the refusal when the policy does not allow it. */
  installNative(entry: ExportEntry, fn: NativeFn | null, control: ControlFn | null): void {
    if (!this.policy.permits(entry.module.name, entry.name.name, entry.arity, true)) {
      this.refuse(entry);
      return;
    }
    entry.native = fn;
    entry.control = control;
  }

  private refuse(entry: ExportEntry): void {
    entry.native = refusal(entry);
    entry.control = null;
    entry.refused = true;
  }
}
