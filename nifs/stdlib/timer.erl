%% `timer` for aion-bun (Erlang code; nothing here is native).
%%
%% sleep/1 is a plain `receive after`, so the VM's scheduler (and a manual
%% clock in tests) drives it. tc/1,2,3 measure with erlang:monotonic_time/1
%% in microseconds. send_after/apply_after use erlang:send_after/3 directly
%% (there is no timer server): references are {send_local, Ref} and
%% cancel/1 understands them. Interval timers are not provided.
-module(timer).

-export([sleep/1, tc/1, tc/2, tc/3, seconds/1, minutes/1, hours/1, hms/3,
         send_after/2, send_after/3, cancel/1, now_diff/2]).

sleep(T) ->
    receive
    after T -> ok
    end.

tc(F) ->
    T0 = erlang:monotonic_time(microsecond),
    V = F(),
    {erlang:monotonic_time(microsecond) - T0, V}.

tc(F, Args) ->
    T0 = erlang:monotonic_time(microsecond),
    V = apply(F, Args),
    {erlang:monotonic_time(microsecond) - T0, V}.

tc(M, F, Args) ->
    T0 = erlang:monotonic_time(microsecond),
    V = apply(M, F, Args),
    {erlang:monotonic_time(microsecond) - T0, V}.

seconds(S) -> 1000 * S.
minutes(M) -> 60 * 1000 * M.
hours(H) -> 60 * 60 * 1000 * H.
hms(H, M, S) -> hours(H) + minutes(M) + seconds(S).

send_after(T, Msg) -> send_after(T, self(), Msg).

send_after(T, Dest, Msg) when is_integer(T), T >= 0 ->
    {ok, {send_local, erlang:send_after(T, Dest, Msg)}};
send_after(_, _, _) -> {error, badarg}.

cancel({send_local, Ref}) ->
    _ = erlang:cancel_timer(Ref),
    {ok, cancel};
cancel(_) -> {error, badarg}.

now_diff({A2, B2, C2}, {A1, B1, C1}) ->
    ((A2 - A1) * 1000000 + B2 - B1) * 1000000 + C2 - C1.
