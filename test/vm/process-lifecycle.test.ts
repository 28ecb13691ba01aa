/**
 * Spawning and dying, with what a process creates on first use (links,
 * monitors, dictionary, catches) and the run queue and mailbox starting over
 * whenever they empty: the results must be BEAM's. Expected values are what
 * `erl` gives for the same module.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime } from "../../nifs/index.ts";
import { atom } from "../../terms/atom.ts";
import { formatW } from "../../terms/format.ts";
import type { Term } from "../../terms/term.ts";
import { ManualClock } from "../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const SOURCE = `-module(proc_churn).
-export([fifo/1, marker_after_empty/1, churn/1, info/0, dict/0, links/1]).

%% Children send in the order they run: spawn order, as the run queue empties
%% and refills many times.
fifo(N) ->
    Self = self(),
    [spawn(fun() -> Self ! {n, I} end) || I <- lists:seq(1, N)],
    [receive {n, _} = M -> M end || _ <- lists:seq(1, N)].

%% The mailbox empties N times; a reference receive (the receive marker) still
%% finds its reply, and the message sent before the marker is still there.
marker_after_empty(N) ->
    [begin self() ! {m, I}, receive {m, I} -> ok end end || I <- lists:seq(1, N)],
    self() ! old,
    Ref = make_ref(),
    self() ! {Ref, reply},
    R = receive {Ref, X} -> X end,
    Old = receive old -> old after 0 -> none end,
    {R, Old}.

%% N monitored children exit with N rem 7; every DOWN arrives and no process is left.
churn(N) ->
    Before = length(processes()),
    Sum = churn(N, 0),
    {Sum, length(processes()) - Before}.
churn(0, Acc) -> Acc;
churn(N, Acc) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit(N rem 7) end),
    receive {'DOWN', Ref, process, Pid, R} -> churn(N - 1, Acc + R) end.

-define(ITEMS, [links, monitors, monitored_by, dictionary, catchlevel, priority]).

%% Runs F in a fresh process (so the caller's own links do not show).
fresh(F) ->
    Self = self(),
    {P, Ref} = spawn_monitor(fun() -> Self ! {self(), F()} end),
    receive {P, R} -> receive {'DOWN', Ref, _, _, _} -> R end end.

%% What a fresh process reports, then with a link and a monitor, then without.
info() -> fresh(fun info_/0).
info_() ->
    Self = self(),
    P = spawn(fun() -> receive stop -> ok end end),
    Fresh = process_info(P, ?ITEMS),
    link(P),
    Ref = monitor(process, P),
    With = process_info(P, [links, monitored_by]),
    Mine = process_info(Self, [links, monitors]),
    unlink(P),
    demonitor(Ref),
    Without = process_info(P, [links, monitored_by]),
    MineAfter = process_info(Self, [links, monitors]),
    P ! stop,
    {Fresh, With == [{links, [Self]}, {monitored_by, [Self]}],
     Mine == [{links, [P]}, {monitors, [{process, P}]}], Without, MineAfter}.

%% The dictionary of a process that never used it, then used and emptied.
dict() ->
    {get(), get(k), erase(k), erase(), put(k, 1), put({t}, 2), get({t}), erase(k),
     lists:sort(get()), erase(), get()}.

%% An exit through a link reaches a process trapping exits; one not trapping dies.
links(Reason) -> fresh(fun() -> links_(Reason) end).
links_(Reason) ->
    process_flag(trap_exit, true),
    P = spawn_link(fun() -> exit(Reason) end),
    R1 = receive {'EXIT', P, R} -> R end,
    Self = self(),
    Q = spawn(fun() -> link(Self), Self ! linked, receive _ -> ok end end),
    receive linked -> ok end,
    exit(Q, boom),
    R2 = receive {'EXIT', Q, R0} -> R0 end,
    {R1, R2, process_info(self(), links)}.
`;

const erlc = spawnSync("erlc", ["-help"]).error === undefined;
const dir = mkdtempSync(join(tmpdir(), "aion-proc-churn-"));
if (erlc) {
  writeFileSync(join(dir, "proc_churn.erl"), SOURCE);
  spawnSync("erlc", ["proc_churn.erl"], { cwd: dir });
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function call(fn: string, args: Term[] = []): string {
  const rt = createRuntime({ clock: new ManualClock(), paths: [dir], log: () => {} });
  rt.code.loadFile(join(dir, "proc_churn.beam"));
  const o = rt.callSync("proc_churn", fn, args, 2_000_000);
  if (o.kind !== "value")
    throw new Error(`${fn}: ${o.kind === "exception" ? formatW(o.reason) : o.kind}`);
  return formatW(o.value);
}

describe.skipIf(!erlc)("spawn, exit and what a process creates on first use", () => {
  test("processes run in spawn order as the run queue empties and refills", () => {
    const n = 5000;
    expect(call("fifo", [n])).toBe(
      `[${Array.from({ length: n }, (_, i) => `{n,${i + 1}}`).join(",")}]`,
    );
  });

  test("a receive marker works after the mailbox emptied thousands of times", () => {
    expect(call("marker_after_empty", [3000])).toBe("{reply,old}");
  });

  test("monitored children that exit: every DOWN arrives, no process is left", () => {
    expect(call("churn", [2000])).toBe("{6000,0}");
  });

  test("links, monitors, dictionary and catch level of a fresh process, then with and without links", () => {
    expect(call("info")).toBe(
      "{[{links,[]},{monitors,[]},{monitored_by,[]},{dictionary,[]},{catchlevel,0},{priority,normal}],true,true,[{links,[]},{monitored_by,[]}],[{links,[]},{monitors,[]}]}",
    );
  });

  test("the dictionary before first use, used, and emptied", () => {
    expect(call("dict")).toBe(
      "{[],undefined,undefined,[],undefined,undefined,2,1,[{{t},2}],[{{t},2}],[]}",
    );
  });

  test("exit signals through links created on first use", () => {
    expect(call("links", [atom("bye")])).toBe("{bye,boom,{links,[]}}");
  });
});
