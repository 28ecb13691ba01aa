%% The kinds of work `bun run bench` compares with real BEAM (issue #16):
%% each exported function takes a size and returns a small checkable result,
%% so the runner can tell a fast wrong answer from a fast right one.
%% Rebuild with: erlc +deterministic -o bench/erl bench/erl/bench_work.erl
-module(bench_work).
-export([deep_recursion/1, ring/1, spawn_monitor_many/1, records/1,
         maps_lists/1, selective_receive/1, int_bin/1, compile_set/1]).

%% Deep body recursion: Rounds times, build a 100k-deep list without tail
%% calls and fold it back the same way (the stack grows to 100k frames).
deep_recursion(Rounds) -> deep_rounds(Rounds, 0).
deep_rounds(0, Acc) -> Acc;
deep_rounds(R, Acc) -> deep_rounds(R - 1, Acc + deep_sum(deep_build(100000))).
deep_build(0) -> [];
deep_build(N) -> [N | deep_build(N - 1)].
deep_sum([]) -> 0;
deep_sum([H | T]) -> (H band 7) + deep_sum(T).

%% A ring of 200 processes passing one token round Rounds times.
ring(Rounds) ->
    First = chain(200, self()),
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

%% N short-lived processes, each watched by a monitor, one at a time.
spawn_monitor_many(N) -> spawn_monitor_many(N, 0).
spawn_monitor_many(0, Acc) -> Acc;
spawn_monitor_many(N, Acc) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit(N rem 7) end),
    receive {'DOWN', Ref, process, Pid, R} -> spawn_monitor_many(N - 1, Acc + R) end.

%% Length-prefixed records with sub-byte fields, appended one by one into a
%% single binary, then parsed back.
records(N) ->
    Bin = rec_build(N, <<>>),
    rec_parse(Bin, 0, 0).
rec_build(0, Acc) -> Acc;
rec_build(N, Acc) ->
    Len = N rem 13,
    <<Payload:Len/binary, _/binary>> = <<"abcdefghijklm">>,
    rec_build(N - 1, <<Acc/binary, Len:16, (N band 1):1, (N rem 5):3, (N band 4095):12,
                       N:32/little, Payload/binary>>).
rec_parse(<<Len:16, Flag:1, Kind:3, Seq:12, Id:32/little, Payload:Len/binary, Rest/binary>>,
          Count, Sum) ->
    rec_parse(Rest, Count + 1, Sum + Flag + Kind + Seq + (Id band 255) + byte_size(Payload));
rec_parse(<<>>, Count, Sum) -> {Count, Sum}.

%% Maps and lists data processing: a list of small maps (records), grouped,
%% filtered, updated and sorted, Rounds times over 20k items.
maps_lists(Rounds) -> maps_rounds(Rounds, 0).
maps_rounds(0, Acc) -> Acc;
maps_rounds(R, Acc) -> maps_rounds(R - 1, Acc + maps_once(20000 + R)).
maps_once(N) ->
    Items = [#{id => I, group => I rem 17, score => (I * 7919) rem 1000} || I <- lists:seq(1, N)],
    Groups = lists:foldl(fun(#{group := G, score := S}, Acc) ->
                                 case Acc of
                                     #{G := V} -> Acc#{G := V + S};
                                     _ -> Acc#{G => S}
                                 end
                         end, #{}, Items),
    High = [Id || #{id := Id, score := S} <- Items, S > 500],
    Bumped = lists:map(fun(M = #{score := S}) -> M#{score := S + 1, seen => true} end, Items),
    Total = lists:foldl(fun(#{score := S, seen := true}, A) -> A + S end, 0, Bumped),
    Sorted = lists:sort([{V, G} || {G, V} <- maps:to_list(Groups)]),
    {_, TopGroup} = lists:last(Sorted),
    length(High) + Total + TopGroup + maps:size(Groups).

%% Selective receive: Rounds times, queue 2000 messages and take them out
%% last-sent first, so each receive scans past the older ones.
selective_receive(Rounds) -> selective_receive(Rounds, 0).
selective_receive(0, Acc) -> Acc;
selective_receive(R, Acc) ->
    Self = self(),
    [Self ! {msg, I} || I <- lists:seq(1, 2000)],
    selective_receive(R - 1, Acc + take_reverse(2000, 0)).
take_reverse(0, Acc) -> Acc;
take_reverse(I, Acc) -> receive {msg, I} -> take_reverse(I - 1, Acc + I) end.

%% integer_to_binary / binary_to_integer round trips.
int_bin(N) -> int_bin(N, 0).
int_bin(0, Acc) -> Acc;
int_bin(N, Acc) ->
    B = integer_to_binary(N * 7919),
    int_bin(N - 1, Acc + binary_to_integer(B) rem 1000 + byte_size(B)).

%% OTP's own compiler: compile:forms/2 on a set of small modules, Rounds
%% times; returns the total size of the produced .beam binaries.
compile_set(Rounds) ->
    FormsList = [parse(S) || S <- sources()],
    compile_rounds(Rounds, FormsList, 0).
compile_rounds(0, _, Acc) -> Acc;
compile_rounds(R, FormsList, Acc) ->
    Sizes = [begin {ok, _, Bin} = compile:forms(F, [binary]), byte_size(Bin) end
             || F <- FormsList],
    compile_rounds(R - 1, FormsList, Acc + lists:sum(Sizes)).

parse(Src) ->
    {ok, Tokens, _} = erl_scan:string(Src),
    [begin {ok, F} = erl_parse:parse_form(T), F end || T <- split_forms(Tokens, [], [])].
split_forms([], [], Acc) -> lists:reverse(Acc);
split_forms([{dot, _} = D | Rest], Cur, Acc) -> split_forms(Rest, [], [lists:reverse([D | Cur]) | Acc]);
split_forms([T | Rest], Cur, Acc) -> split_forms(Rest, [T | Cur], Acc).

sources() ->
    ["-module(cb_shapes).\n"
     "-export([area/1, total/1, classify/1]).\n"
     "-record(rect, {w = 0, h = 0}).\n"
     "area({circle, R}) -> 3.14159 * R * R;\n"
     "area(#rect{w = W, h = H}) -> W * H;\n"
     "area({tri, B, H}) when B > 0, H > 0 -> B * H / 2.\n"
     "total(Shapes) -> lists:foldl(fun(S, A) -> A + area(S) end, 0, Shapes).\n"
     "classify(Shapes) ->\n"
     "    maps:from_list([{element(1, S), S} || S <- Shapes, is_tuple(S)]).\n",
     "-module(cb_codec).\n"
     "-export([encode/1, decode/1]).\n"
     "encode(Items) -> << <<(byte_size(B)):16, B/binary>> || B <- Items >>.\n"
     "decode(<<Len:16, B:Len/binary, Rest/binary>>) -> [B | decode(Rest)];\n"
     "decode(<<>>) -> [].\n",
     "-module(cb_server).\n"
     "-export([start/0, loop/1, call/2]).\n"
     "start() -> spawn(cb_server, loop, [#{}]).\n"
     "call(Pid, Msg) ->\n"
     "    Ref = make_ref(), Pid ! {Ref, self(), Msg},\n"
     "    receive {Ref, Reply} -> Reply after 5000 -> timeout end.\n"
     "loop(State) ->\n"
     "    receive\n"
     "        {Ref, From, {put, K, V}} -> From ! {Ref, ok}, loop(State#{K => V});\n"
     "        {Ref, From, {get, K}} -> From ! {Ref, maps:get(K, State, undefined)}, loop(State);\n"
     "        {Ref, From, stop} -> From ! {Ref, ok};\n"
     "        _Other -> loop(State)\n"
     "    end.\n"].
