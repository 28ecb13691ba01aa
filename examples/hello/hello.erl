%% The smallest useful workflow: one activity, one durable timer.
%% Input: {"name": "Ada"}. Result: {"greeting": "Hello, Ada!", "waited_ms": 100}.
-module(hello).
-export([run/1]).

run(Input) ->
    #{<<"name">> := Name} = json:decode(Input),
    %% Activities run in the worker (examples/hello/activities.ts); the
    %% result comes back as a JSON text.
    {ok, Call} = aion_flow_ffi:dispatch_activity(<<"greet">>, json:encode(#{name => Name}), <<"{}">>),
    {ok, Greeting} = aion_flow_ffi:await_activity_result(Call),
    %% A durable timer: a restarted worker still wakes the workflow on time.
    {ok, <<"fired">>} = aion_flow_ffi:sleep(<<"100ms">>),
    {ok, json:encode(#{greeting => json:decode(Greeting), waited_ms => 100})}.
