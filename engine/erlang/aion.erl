%% The Erlang workflow library: durable steps as plain function calls.
%%
%% Every function here is a thin layer over the engine's `aion_flow_ffi`
%% natives (the ones the Gleam SDK calls), so a workflow written with it
%% records exactly the history of its hand-written equivalent. What the
%% layer adds: terms in and out (JSON is encoded and decoded here), Erlang
%% shaped results, validation with clear errors, and query servicing: every
%% wait below answers pending queries with the handlers registered by
%% on_query/2 and then waits again, so no workflow writes its own pump.
%%
%% Programmer errors (a bad duration, an unknown option, a term JSON cannot
%% carry) raise error({aion_error, Function, Message}); outcomes of the work
%% itself (an activity or child that failed) are returned as {error, Reason}.
%% Guide: docs/authoring.md.
-module(aion).

-export([sleep/1, activity/2, activity/3, start_activity/2, start_activity/3,
         signal/1, signal/2, on_query/2, child/2, child/3, await/1, all/1, race/1,
         with_timeout/2, continue_as_new/1, now/0, random/0, workflow_id/0,
         encode/1, decode/1]).

-define(HANDLER(Name), {'$aion_query_handler', Name}).
-define(COLLECTIONS, '$aion_collections').
-define(IS_MS(X), (is_integer(X) andalso X >= 0)).

%% ---------------------------------------------------------------- timers

%% Durable sleep: Duration is milliseconds (integer) or text with a unit
%% ("250ms", "5s", "5m", "2h", "1d"; a string or a binary).
sleep(Duration) ->
    Text = duration(sleep, Duration),
    case wait(fun() -> aion_flow_ffi:sleep(Text) end) of
        {ok, _Fired} -> ok;
        {error, Why} -> fail(sleep, <<Why/binary, ": ", Text/binary>>)
    end.

%% Runs Fun() under a durable deadline: {ok, Fun's value}, or
%% {error, timeout} when the deadline fired first. Waits inside Fun that go
%% through this module keep answering queries.
with_timeout(Duration, Fun) when is_function(Fun, 0) ->
    case aion_flow_ffi:with_timeout(duration(with_timeout, Duration), Fun) of
        {ok, Value} -> {ok, Value};
        {error, <<"timeout:", _/binary>>} -> {error, timeout};
        {error, Why} -> fail(with_timeout, Why)
    end;
with_timeout(_Duration, Fun) ->
    bad(with_timeout, "expected a fun of arity 0, got ~0tp", [Fun]).

%% ------------------------------------------------------------ activities

%% Runs activity Name with Input (any JSON-able term) and waits for it:
%% {ok, Result} (decoded) or {error, Reason} (the failure text, e.g.
%% <<"terminal:card declined">>).
activity(Name, Input) -> activity(Name, Input, #{}).

%% As activity/2 with options: #{retry => Policy | none, timeout => Duration,
%% task_queue => Queue}. Policy is the SDK's: #{max_attempts => N,
%% backoff => #{kind => exponential, initial_ms => I, multiplier => M,
%% max_ms => X} | #{kind => linear, initial_ms => I, increment_ms => Inc,
%% max_ms => X} | #{kind => fixed, delay_ms => D}}.
activity(Name, Input, Options) ->
    await(start_activity(Name, Input, Options)).

%% Schedules an activity without waiting: a handle for await/1.
start_activity(Name, Input) -> start_activity(Name, Input, #{}).

start_activity(Name, Input, Options) ->
    N = name(activity, Name),
    Config = activity_config(Options),
    case aion_flow_ffi:dispatch_activity(N, encode(Input), Config) of
        {ok, Id} -> {aion_activity, Id};
        {error, Why} -> fail(activity, Why)
    end.

%% ---------------------------------------------------------------- children

%% Starts child workflow Type with Input and returns a handle for await/1.
%% Options: #{workflow_id => Id} (default <parent id>/child-N).
child(Type, Input) -> child(Type, Input, #{}).

child(Type, Input, Options) ->
    T = name(child, Type),
    Config = child_config(Options),
    case aion_flow_ffi:spawn_child(T, encode(Input), Config) of
        {ok, Id} -> {aion_child, Id};
        {error, Why} -> fail(child, Why)
    end.

%% Waits for an activity or child handle: {ok, Result} | {error, Reason}.
await({aion_activity, Id}) ->
    case wait(fun() -> aion_flow_ffi:await_activity_result(Id) end) of
        {ok, Json} -> {ok, decode_result(Json)};
        {error, Why} -> {error, Why}
    end;
await({aion_child, Id}) ->
    case wait(fun() -> aion_flow_ffi:await_child(Id) end) of
        {ok, <<"ok:", Json/binary>>} -> {ok, decode_result(Json)};
        {ok, <<"error:", Why/binary>>} -> {error, decode_result(Why)};
        {error, Why} -> fail(await, Why)
    end;
await(Other) ->
    bad(await, "expected a handle from start_activity/2,3 or child/2,3, got ~0tp", [Other]).

%% Runs every item and waits for all: {ok, [Result]} in the items' order, or
%% the first failure {error, Reason}. An item is {activity, Name, Input},
%% {activity, Name, Input, Options}, {child, Type, Input},
%% {child, Type, Input, Options}, or a handle already started. A list of
%% activity items only is dispatched in one step (collect_all: the earliest
%% failure wins); otherwise items start in order and are awaited in order.
all(Items) when is_list(Items) ->
    case lists:all(fun is_activity_item/1, Items) of
        true when Items =/= [] ->
            Id = collection_id(<<"all">>),
            Specs = [activity_spec(I) || I <- Items],
            case wait(fun() -> aion_flow_ffi:collect_all(Id, Specs) end) of
                {ok, Texts} -> {ok, [decode_result(T) || T <- json:decode(Texts)]};
                {error, Why} -> {error, Why}
            end;
        _ ->
            await_in_order(start_items(all, Items), [])
    end;
all(Items) ->
    bad(all, "expected a list of items, got ~0tp", [Items]).

%% Runs the items together and returns the first to settle, as await/1
%% would answer for it: {ok, Result} or {error, Reason}. Items are those of
%% all/1 (activities, children, handles already started), in any mix. A
%% race of activity items only is dispatched in one step (collect_race);
%% otherwise the items start in order and await_race waits for the first
%% outcome recorded. Losing activities are cancelled; losing children keep
%% running (await their handles later if their results matter).
race([_ | _] = Items) ->
    case lists:all(fun is_activity_item/1, Items) of
        true ->
            Id = collection_id(<<"race">>),
            Specs = [activity_spec(I) || I <- Items],
            case wait(fun() -> aion_flow_ffi:collect_race(Id, Specs) end) of
                {ok, Json} -> {ok, decode_result(Json)};
                {error, Why} -> {error, Why}
            end;
        false ->
            Handles = [handle_spec(H) || H <- start_items(race, Items)],
            case wait(fun() -> aion_flow_ffi:await_race(Handles) end) of
                {ok, Json} -> race_winner(json:decode(Json));
                {error, Why} -> fail(race, Why)
            end
    end;
race(Items) ->
    bad(race, "expected a non-empty list of items, got ~0tp", [Items]).

%% ----------------------------------------------------------------- signals

%% Waits for the next signal called Name: {ok, Payload} (decoded).
signal(Name) ->
    N = name(signal, Name),
    case wait(fun() -> aion_flow_ffi:receive_signal(N, <<"{}">>) end) of
        {ok, Json} -> {ok, decode_result(Json)};
        {error, Why} -> fail(signal, Why)
    end.

%% As signal/1, giving up after Timeout: {ok, Payload} | {error, timeout}.
signal(Name, Timeout) ->
    case with_timeout(Timeout, fun() -> signal(Name) end) of
        {ok, {ok, Payload}} -> {ok, Payload};
        {error, timeout} -> {error, timeout}
    end.

%% ----------------------------------------------------------------- queries

%% Registers Handler for query Name: fun(Payload) -> Reply (or fun() -> Reply).
%% Payload and Reply are terms; a handler that raises answers the caller
%% with an error. Queries are answered at the workflow's next wait.
on_query(Name, Handler) when is_function(Handler, 0); is_function(Handler, 1) ->
    N = name(on_query, Name),
    put(?HANDLER(N), Handler),
    case aion_flow_ffi:register_query(N, <<"{}">>) of
        {ok, _} -> ok;
        {error, Why} -> fail(on_query, Why)
    end;
on_query(_Name, Handler) ->
    bad(on_query, "expected a fun of arity 0 or 1, got ~0tp", [Handler]).

%% ------------------------------------------------------- run and recording

%% Ends this run and starts the next one of the same workflow with Input.
continue_as_new(Input) ->
    aion_flow_ffi:continue_as_new(encode(Input)),
    %% The native does not return; reaching here means the engine refused.
    fail(continue_as_new, <<"the engine did not continue the run">>).

%% The workflow's clock in milliseconds since the epoch (recorded).
now() ->
    {ok, Ms} = aion_flow_ffi:now(),
    binary_to_integer(Ms).

%% A float in [0, 1) (recorded).
random() ->
    {ok, R} = aion_flow_ffi:random(),
    binary_to_float(R).

%% This workflow's id, a binary.
workflow_id() ->
    {ok, Id} = aion_flow_ffi:workflow_id(),
    Id.

%% ------------------------------------------------------------------ JSON

%% The JSON text of a term: maps (atom or binary keys), lists, binaries
%% (strings), numbers, true/false/null. {json, Text} is Text unchanged.
encode({json, Text}) when is_binary(Text) ->
    Text;
encode(Term) ->
    try
        json:encode(Term)
    catch
        error:Reason -> bad(encode, "cannot encode ~0tp as JSON: ~0tp", [Term, Reason])
    end.

%% The term of a JSON text: objects are maps with binary keys, strings are
%% binaries, null is the atom null.
decode(Json) when is_binary(Json) ->
    try
        json:decode(Json)
    catch
        error:Reason -> bad(decode, "not JSON: ~0tp (~0tp)", [Json, Reason])
    end;
decode(Other) ->
    bad(decode, "expected a binary, got ~0tp", [Other]).

%% ------------------------------------------------------------- internals

%% Calls an awaiting native until it answers with something other than the
%% query sentinel, answering each query it hands over. The native re-enters
%% the same wait, so nothing is dispatched or recorded twice.
wait(Call) ->
    case Call() of
        {error, <<"aion_query:", Query/binary>>} ->
            answer(json:decode(Query)),
            wait(Call);
        Other ->
            Other
    end.

answer(#{<<"query_id">> := Id, <<"name">> := Name} = Query) ->
    Payload = decode_result(maps:get(<<"payload">>, Query, <<"null">>)),
    case get(?HANDLER(Name)) of
        undefined ->
            aion_flow_ffi:reply_query_error(Id, <<"no handler for query ", Name/binary>>);
        Handler ->
            try call_handler(Handler, Payload) of
                Reply -> aion_flow_ffi:reply_query(Id, encode(Reply))
            catch
                Class:Reason ->
                    Text = unicode:characters_to_binary(io_lib:format("~0tp:~0tp", [Class, Reason])),
                    aion_flow_ffi:reply_query_error(Id, Text)
            end
    end.

call_handler(Handler, _Payload) when is_function(Handler, 0) -> Handler();
call_handler(Handler, Payload) -> Handler(Payload).

%% A result text as a term; text that is not JSON (an engine message) stays a binary.
decode_result(Text) when is_binary(Text) ->
    try json:decode(Text) catch error:_ -> Text end;
decode_result(Other) ->
    Other.

%% Collection ids only need to be unique within the run; a counter keeps
%% them the same on every replay.
collection_id(Kind) ->
    N = case get(?COLLECTIONS) of undefined -> 1; M -> M + 1 end,
    put(?COLLECTIONS, N),
    <<"aion-", Kind/binary, "-", (integer_to_binary(N))/binary>>.

is_activity_item({activity, _, _}) -> true;
is_activity_item({activity, _, _, _}) -> true;
is_activity_item(_) -> false.

activity_spec({activity, Name, Input}) ->
    activity_spec({activity, Name, Input, #{}});
activity_spec({activity, Name, Input, Options}) ->
    json:encode(#{<<"name">> => name(activity, Name),
                  <<"input">> => encode(Input),
                  <<"config">> => activity_config(Options)}).

%% Starts the items in order, after checking them all: a bad item starts nothing.
start_items(Fun, Items) ->
    case [I || I <- Items, not is_item(I)] of
        [] -> [start(I) || I <- Items];
        [Bad | _] -> bad(Fun, "not an item: ~0tp", [Bad])
    end.

is_item({aion_activity, _}) -> true;
is_item({aion_child, _}) -> true;
is_item({child, _, _}) -> true;
is_item({child, _, _, _}) -> true;
is_item(I) -> is_activity_item(I).

start({activity, Name, Input}) -> start_activity(Name, Input);
start({activity, Name, Input, Options}) -> start_activity(Name, Input, Options);
start({child, Type, Input}) -> child(Type, Input);
start({child, Type, Input, Options}) -> child(Type, Input, Options);
start({aion_activity, _} = Handle) -> Handle;
start({aion_child, _} = Handle) -> Handle.

%% A started handle as await_race names it.
handle_spec({aion_activity, Id}) -> json:encode(#{<<"activity">> => Id});
handle_spec({aion_child, Id}) -> json:encode(#{<<"child">> => Id}).

%% await_race's answer as await/1 gives it for the winner's kind.
race_winner(#{<<"ok">> := true, <<"result">> := Json}) ->
    {ok, decode_result(Json)};
race_winner(#{<<"kind">> := <<"activity">>, <<"error">> := Why}) ->
    {error, Why};
race_winner(#{<<"kind">> := <<"child">>, <<"error">> := Why}) ->
    {error, decode_result(Why)}.

await_in_order([], Results) ->
    {ok, lists:reverse(Results)};
await_in_order([Handle | Rest], Results) ->
    case await(Handle) of
        {ok, R} -> await_in_order(Rest, [R | Results]);
        {error, _} = Error -> Error
    end.

%% The dispatch config JSON. No options gives "{}", so an activity
%% registered with its own retry policy keeps it.
activity_config(Options) when is_map(Options) ->
    case maps:size(Options) of
        0 -> <<"{}">>;
        _ -> json:encode(maps:map(fun activity_option/2, Options))
    end;
activity_config(Options) ->
    bad(activity, "options must be a map, got ~0tp", [Options]).

activity_option(retry, none) -> null;
activity_option(retry, Policy) -> retry_policy(Policy);
activity_option(timeout, D) -> duration_value(activity, D);
activity_option(task_queue, Q) -> name(activity, Q);
activity_option(Key, _) ->
    bad(activity, "unknown option ~0tp (retry, timeout, task_queue)", [Key]).

retry_policy(#{max_attempts := N, backoff := B} = P)
  when is_integer(N), N >= 1, map_size(P) =:= 2 ->
    #{max_attempts => N, backoff => backoff(B)};
retry_policy(P) ->
    bad(activity, "retry must be none or #{max_attempts => N >= 1, backoff => Backoff}, got ~0tp", [P]).

backoff(#{kind := exponential, initial_ms := I, multiplier := M, max_ms := X} = B)
  when map_size(B) =:= 4, ?IS_MS(I), is_number(M), M >= 1, ?IS_MS(X) ->
    B;
backoff(#{kind := linear, initial_ms := I, increment_ms := Inc, max_ms := X} = B)
  when map_size(B) =:= 4, ?IS_MS(I), ?IS_MS(Inc), ?IS_MS(X) ->
    B;
backoff(#{kind := fixed, delay_ms := D} = B) when map_size(B) =:= 2, ?IS_MS(D) ->
    B;
backoff(B) ->
    bad(activity, "not a backoff (exponential, linear or fixed with its fields): ~0tp", [B]).

child_config(Options) when is_map(Options) ->
    case maps:size(Options) of
        0 -> <<"{}">>;
        _ -> json:encode(maps:map(fun child_option/2, Options))
    end;
child_config(Options) ->
    bad(child, "options must be a map, got ~0tp", [Options]).

child_option(workflow_id, Id) -> name(child, Id);
child_option(Key, _) -> bad(child, "unknown option ~0tp (workflow_id)", [Key]).

%% A duration as the natives take it: text, "20" meaning milliseconds.
duration(_Fun, Ms) when is_integer(Ms), Ms >= 0 -> integer_to_binary(Ms);
duration(Fun, D) when is_binary(D); is_list(D) -> name(Fun, D);
duration(Fun, D) -> bad(Fun, "not a duration (milliseconds or text like \"5m\"): ~0tp", [D]).

%% A duration inside a JSON config: a number of ms or its text.
duration_value(_Fun, Ms) when is_integer(Ms), Ms >= 0 -> Ms;
duration_value(Fun, D) -> duration(Fun, D).

%% Names and texts: binaries, strings or atoms, as a binary.
name(_Fun, B) when is_binary(B) -> B;
name(_Fun, A) when is_atom(A) -> atom_to_binary(A, utf8);
name(Fun, L) when is_list(L) ->
    case unicode:characters_to_binary(L) of
        B when is_binary(B) -> B;
        _ -> bad(Fun, "not text: ~0tp", [L])
    end;
name(Fun, Other) ->
    bad(Fun, "expected a name (binary, string or atom), got ~0tp", [Other]).

fail(Fun, Why) ->
    erlang:error({aion_error, Fun, Why}).

bad(Fun, Format, Args) ->
    fail(Fun, unicode:characters_to_binary(io_lib:format(Format, Args))).
