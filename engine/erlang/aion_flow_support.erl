%% Erlang side of the engine's `aion_flow_ffi:with_timeout/2`.
%%
%% The native transfers control here so the wrapped fun runs on the workflow
%% process itself (it may call any native). The scope's deadline is a durable
%% timer; an await inside the fun whose deadline fired first throws
%% {aion_scope_timeout, Scope}, which ends the fun here.
-module(aion_flow_support).
-export([with_timeout/2]).

with_timeout(Duration, Fun) when is_function(Fun, 0) ->
    case aion_flow_ffi:'$scope_enter'(Duration) of
        {ok, Scope} ->
            try Fun() of
                Result -> finish(Scope, Result)
            catch
                throw:{aion_scope_timeout, Scope} ->
                    aion_flow_ffi:'$scope_exit'(Scope, true),
                    {error, <<"timeout:deadline expired">>};
                Class:Reason:Stack ->
                    aion_flow_ffi:'$scope_abandon'(Scope),
                    erlang:raise(Class, Reason, Stack)
            end;
        {error, _} = Error ->
            Error
    end;
with_timeout(_Duration, _Fun) ->
    {error, <<"with_timeout: expected a fun of arity 0">>}.

finish(Scope, Result) ->
    case aion_flow_ffi:'$scope_exit'(Scope, false) of
        {ok, <<"completed">>} -> {ok, Result};
        {ok, <<"timed_out">>} -> {error, <<"timeout:deadline expired">>};
        {error, _} = Error -> Error
    end.
