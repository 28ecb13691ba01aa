%% VM benchmarks, run both on aion-bun and on real BEAM by bench/run.ts.
%% Each function takes a size and returns a small checkable result.
-module(bench_vm).
-export([fib/1, ring/1, spawn_monitor_many/1, binary_build_match/1,
         maps_lists/1, selective_receive/1]).

%% Call-heavy recursion.
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% A ring of 100 processes (the caller closes it) passing one token N times round.
ring(Rounds) ->
    First = chain(100, self()),
    First ! {token, Rounds},
    ring_head(First).

ring_head(First) ->
    receive
        {token, 0} -> First ! stop, done;
        {token, N} -> First ! {token, N - 1}, ring_head(First)
    end.

chain(0, Next) -> Next;
chain(K, Next) -> chain(K - 1, spawn(fun() -> ring_node(Next) end)).

ring_node(Next) ->
    receive
        {token, _} = T -> Next ! T, ring_node(Next);
        stop -> Next ! stop
    end.

%% Many short-lived processes, each watched by a monitor.
spawn_monitor_many(N) -> spawn_monitor_many(N, 0).
spawn_monitor_many(0, Acc) -> Acc;
spawn_monitor_many(N, Acc) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit(N rem 7) end),
    receive {'DOWN', Ref, process, Pid, R} -> spawn_monitor_many(N - 1, Acc + R) end.

%% Build a binary by appending, then match it apart again.
binary_build_match(N) ->
    Bin = build(N, <<>>),
    sum_bin(Bin, 0).
build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, <<Acc/binary, (N band 255):8, N:32/little>>).
sum_bin(<<B:8, W:32/little, Rest/binary>>, Acc) -> sum_bin(Rest, Acc + B + (W band 15));
sum_bin(<<>>, Acc) -> Acc.

%% Maps and lists: build a map of N keys, update every key, fold.
maps_lists(N) ->
    M = maps_put(N, #{}),
    M2 = maps_bump(N, M),
    L = [V || {_, V} <- lists_to_pairs(N, M2)],
    length(lists:reverse(L)) + sum(L, 0).
maps_put(0, M) -> M;
maps_put(N, M) -> maps_put(N - 1, M#{N rem 50 => N}).
maps_bump(0, M) -> M;
maps_bump(N, M) ->
    K = N rem 50,
    #{K := V} = M,
    maps_bump(N - 1, M#{K := V + 1}).
lists_to_pairs(N, M) -> [{K, maps:get(K, M)} || K <- seq(0, min(N, 50) - 1)].
seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].
sum([], Acc) -> Acc;
sum([H | T], Acc) -> sum(T, Acc + H).

%% Selective receive: 2000 queued messages, then receive the last-sent first.
selective_receive(Rounds) -> selective_receive(Rounds, 0).
selective_receive(0, Acc) -> Acc;
selective_receive(R, Acc) ->
    Self = self(),
    [Self ! {msg, I} || I <- seq(1, 2000)],
    Got = take_reverse(2000, 0),
    selective_receive(R - 1, Acc + Got).
take_reverse(0, Acc) -> Acc;
take_reverse(I, Acc) -> receive {msg, I} -> take_reverse(I - 1, Acc + I) end.
