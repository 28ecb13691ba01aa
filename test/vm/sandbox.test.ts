/**
 * The sandbox mechanism (vm/sandbox.ts) and the workflow policy
 * (nifs/workflow-sandbox.ts) on a bare runtime: refusals are ordinary
 * exceptions at static calls, apply/3, make_fun/3 funs and in spawned
 * processes; halt ends only the caller; a VM without a policy (what `aion run`
 * uses) keeps the full library.
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { WORKFLOW_SANDBOX_RULES, workflowSandbox } from "../../nifs/workflow-sandbox.ts";
import { atom } from "../../terms/atom.ts";
import { BitString, binaryFromString } from "../../terms/binary.ts";
import { formatW } from "../../terms/format.ts";
import {
  defineNatives,
  HaltSignal,
  ManualClock,
  type Outcome,
  type Runtime,
  SandboxPolicy,
} from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const FIXTURES = join(import.meta.dir, "../../fixtures/workflows");

function runtime(sandbox?: SandboxPolicy): Runtime {
  return createRuntime({
    clock: new ManualClock(),
    paths: [FIXTURES],
    log: () => {},
    ...(sandbox ? { sandbox } : {}),
  });
}

/** The outcome as one line; an `{ok, Binary}` value shows the binary's text. */
function text(o: Outcome): string {
  if (o.kind === "value") {
    const v = o.value;
    if (Array.isArray(v) && v[0] === atom("ok") && v[1] instanceof BitString)
      return `ok ${new TextDecoder().decode(v[1].bytes())}`;
    return `value ${formatW(v)}`;
  }
  if (o.kind === "timeout") return "timeout";
  return `${o.cls} ${formatW(o.reason)}`;
}

const call = (rt: Runtime, f: string) =>
  text(rt.callSync("wf_hostile", f, [binaryFromString("{}")]));

describe("SandboxPolicy", () => {
  const p = new SandboxPolicy({
    modules: { a: "allow", d: "deny", o: { only: ["f/1"] }, e: { except: ["f/1"] } },
  });

  test("rules per module; an unlisted module runs bytecode but no natives", () => {
    expect(p.permits("a", "x", 0, true)).toBe(true);
    expect(p.permits("d", "x", 0, false)).toBe(false);
    expect(p.permits("o", "f", 1, true)).toBe(true);
    expect(p.permits("o", "f", 2, true)).toBe(false);
    expect(p.permits("e", "f", 1, false)).toBe(false);
    expect(p.permits("e", "g", 1, true)).toBe(true);
    expect(p.permits("mine", "f", 1, false)).toBe(true);
    expect(p.permits("mine", "f", 1, true)).toBe(false);
  });

  test("with() replaces module rules, leaving the original as it was", () => {
    const wide = p.with({ modules: { d: "allow", mine: "allow" } });
    expect(wide.permits("d", "x", 0, false)).toBe(true);
    expect(wide.permits("mine", "f", 1, true)).toBe(true);
    expect(p.permits("d", "x", 0, false)).toBe(false);
  });

  test("the workflow rules allow the pure library and refuse the host", () => {
    const w = workflowSandbox();
    expect(w.permits("lists", "seq", 2, true)).toBe(true);
    expect(w.permits("erlang", "spawn", 1, true)).toBe(true);
    for (const [m, f, a] of [
      ["erlang", "halt", 1],
      ["erlang", "system_flag", 2],
      ["erlang", "open_port", 2],
      ["erlang", "load_module", 2],
      ["erlang", "spawn", 4],
      ["os", "getenv", 1],
      ["os", "cmd", 1],
      ["os", "getpid", 0],
      ["file", "read_file", 1],
      ["filelib", "wildcard", 1],
      ["net_kernel", "start", 1],
      ["code", "load_binary", 3],
    ] as const)
      expect(`${m}:${f}/${a} ${w.permits(m, f, a, true)}`).toBe(`${m}:${f}/${a} false`);
    expect(Object.keys(WORKFLOW_SANDBOX_RULES.modules)).toContain("file");
  });
});

describe("a sandboxed VM", () => {
  const rt = runtime(workflowSandbox());

  test("static calls, apply/3 and make_fun/3 funs are refused with {sandbox, MFA}", () => {
    expect(call(rt, "getenv")).toBe("error {sandbox,{os,getenv,1}}");
    expect(call(rt, "file_read")).toBe("error {sandbox,{file,read_file,1}}");
    expect(call(rt, "apply_file")).toBe("error {sandbox,{file,read_file,1}}");
    expect(call(rt, "make_fun_cmd")).toBe("error {sandbox,{os,cmd,1}}");
    expect(call(rt, "open_port")).toBe("error {sandbox,{erlang,open_port,2}}");
    expect(call(rt, "load_code")).toBe("error {sandbox,{erlang,load_module,2}}");
  });

  test("the refusal is catchable and carries the call in its stack trace", () => {
    expect(call(rt, "getenv_caught")).toBe('ok "{sandbox,{os,getenv,1}}"');
    const o = rt.callSync("wf_hostile", "getenv", [binaryFromString("{}")]);
    if (o.kind !== "exception") throw new Error(text(o));
    expect(formatW(o.stack)).toStartWith("[{os,getenv,[");
  });

  test("processes the code spawns are sandboxed too", () => {
    expect(call(rt, "spawned_getenv")).toBe("error {sandbox,{os,getenv,1}}");
  });

  test("halt ends the calling process only, even inside catch; the VM keeps running", () => {
    expect(call(rt, "halt_caught")).toBe("exit {sandbox,{erlang,halt,0}}");
    expect(rt.vm.haltStatus).toBeNull();
    expect(text(rt.callSync("lists", "seq", [1, 3]))).toBe("value [1,2,3]");
  });

  test("a native registered later is refused unless its module is allowed", () => {
    rt.vm.registerNatives(defineNatives("host_extra", { "peek/0": () => atom("secret") }));
    expect(text(rt.callSync("host_extra", "peek", []))).toBe("error {sandbox,{host_extra,peek,0}}");
    const wide = runtime(workflowSandbox().with({ modules: { host_extra: "allow" } }));
    wide.vm.registerNatives(defineNatives("host_extra", { "peek/0": () => atom("secret") }));
    expect(text(wide.callSync("host_extra", "peek", []))).toBe("value secret");
  });

  test("an embedder can widen the sandbox explicitly", () => {
    const wide = runtime(workflowSandbox().with({ modules: { os: "allow" } }));
    expect(call(wide, "getenv")).toBe('ok "leaked"');
  });
});

describe("a VM without a sandbox (aion run)", () => {
  test("keeps the whole library, halt included", () => {
    const rt = runtime();
    expect(call(rt, "getenv")).toBe('ok "leaked"');
    expect(() => call(rt, "halt_caught")).toThrow(HaltSignal);
  });
});
