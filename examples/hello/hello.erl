%% The smallest useful workflow: one activity, one durable timer.
%% Input: {"name": "Ada"}. Result: {"greeting": "Hello, Ada!", "waited_ms": 100}.
-module(hello).
-export([run/1]).

run(Input) ->
    #{<<"name">> := Name} = aion:decode(Input),
    %% Activities run in the worker (examples/hello/activities.ts).
    {ok, Greeting} = aion:activity(greet, #{name => Name}),
    %% A durable timer: a restarted worker still wakes the workflow on time.
    ok = aion:sleep("100ms"),
    {ok, #{greeting => Greeting, waited_ms => 100}}.
