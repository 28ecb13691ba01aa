/**
 * The workflow sandbox: what workflow code (and every process it spawns) may
 * call on the engine's VM. Deterministic computation is allowed: the pure
 * BIFs, processes and messages inside the VM, and the library modules.
 * Everything that reaches the host is refused with `error:{sandbox, MFA}`
 * (`erlang:halt` ends only the calling process): the environment, files,
 * ports, code loading and purging, system flags, other nodes, and handles on
 * processes the code did not get a pid for. docs/security.md lists the rules
 * and why each exists; the mechanism is vm/sandbox.ts.
 */
import { type ModuleRule, SandboxPolicy, type SandboxRules } from "../vm/index.ts";

/** `erlang` BIFs a workflow may not call (the rest of `erlang` is allowed). */
const ERLANG_DENIED: readonly string[] = [
  // Stopping the VM or changing it for everyone.
  ...["halt/0", "halt/1", "halt/2", "system_flag/2"],
  // Ports: the host's programs, files and sockets.
  ...["open_port/2", "port_command/2", "port_command/3", "port_control/3", "port_call/3"],
  ...["port_close/1", "port_connect/2", "port_info/1", "port_info/2", "ports/0"],
  // Code loading and purging: workflow code is what the engine deployed.
  ...["load_module/2", "delete_module/1", "purge_module/1", "check_old_code/1"],
  ...["check_process_code/2", "check_process_code/3", "prepare_loading/2", "finish_loading/1"],
  ...["load_nif/2", "pre_loaded/0"],
  // Other nodes: spawning there, watching them, cookies.
  ...["spawn/2", "spawn/4", "spawn_link/2", "spawn_link/4", "spawn_monitor/2", "spawn_monitor/4"],
  ...["spawn_opt/3", "spawn_opt/5", "spawn_request/2", "spawn_request/3", "spawn_request/4"],
  ...["spawn_request/5", "monitor_node/2", "monitor_node/3", "disconnect_node/1"],
  ...["set_cookie/1", "set_cookie/2", "get_cookie/0", "get_cookie/1", "dist_ctrl_put_data/2"],
  // Reaching processes of other workflows without being handed their pid.
  ...["processes/0", "list_to_pid/1", "suspend_process/1", "suspend_process/2"],
  ...["resume_process/1"],
];

/**
 * OTP modules that exist to reach the host. None is a native here, but a
 * call must say `sandbox` rather than `undef`, and none may be loaded from a
 * code path an embedder adds later.
 */
const HOST_MODULES: readonly string[] = [
  ...["file", "filelib", "prim_file", "ram_file", "file_server", "file_io_server"],
  ...["erl_prim_loader", "code_server", "init", "heart", "erl_ddll", "erts_debug"],
  ...["net_kernel", "net_adm", "net", "rpc", "erpc", "global", "global_group", "auth"],
  ...["erl_epmd", "erl_distribution", "dist_util", "slave", "peer"],
  ...["inet", "prim_inet", "gen_tcp", "gen_udp", "gen_sctp", "socket", "prim_socket"],
  ...["ssl", "httpc", "os_mon", "disk_log", "dets", "application_controller"],
];

/** The rules of the workflow sandbox (see {@link workflowSandbox}). */
export const WORKFLOW_SANDBOX_RULES: SandboxRules = {
  modules: {
    erlang: { except: ERLANG_DENIED },
    erts_internal: "allow",
    lists: "allow",
    maps: "allow",
    string: "allow",
    unicode: "allow",
    binary: "allow",
    base64: "allow",
    math: "allow",
    rand: "allow",
    io: "allow",
    io_lib: "allow",
    io_lib_format: "allow",
    json: "allow",
    uri_string: "allow",
    proplists: "allow",
    ets: "allow",
    // Hashing, signing and encrypting payloads is deterministic; host randomness
    // is not (a replay would see other bytes): workflows use aion_flow_ffi:random.
    crypto: { except: ["strong_rand_bytes/1", "rand_uniform/2"] },
    // A global store shared by every workflow: reading is harmless, writing is not.
    persistent_term: { except: ["put/2", "erase/1"] },
    // Time and platform only; no environment, no pid, no commands.
    os: {
      only: ["type/0", "version/0", "system_time/0", "system_time/1", "timestamp/0"],
    },
    // Loading is the engine's job; a workflow may ask what is loaded.
    code: { only: ["ensure_loaded/1", "is_loaded/1", "ensure_modules_loaded/1"] },
    ...Object.fromEntries(HOST_MODULES.map((m): [string, ModuleRule] => [m, "deny"])),
  },
};

/** A fresh policy with the workflow sandbox's rules. */
export function workflowSandbox(): SandboxPolicy {
  return new SandboxPolicy(WORKFLOW_SANDBOX_RULES);
}
