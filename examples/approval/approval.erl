%% A human approval gate: waits for "decision" signals from approvers, with
%% a deadline, and answers the "status" query meanwhile.
%% Input: {"request": "new laptop", "approvers": 2, "timeout": "24h"}
%% (approvers defaults to 1, timeout to 24h). A signal payload is
%% {"by": "alice", "approved": true}. One rejection ends the wait.
-module(approval).
-export([run/1]).

run(Input) ->
    Req = json:decode(Input),
    Needed = maps:get(<<"approvers">>, Req, 1),
    Timeout = maps:get(<<"timeout">>, Req, <<"24h">>),
    set(#{request => maps:get(<<"request">>, Req), status => <<"pending">>,
          approvals => [], needed => Needed}),
    {ok, _} = approval_queries:register(<<"status">>, fun(_) -> json:encode(get(state)) end),
    Decision =
        case aion_flow_ffi:with_timeout(Timeout, fun() -> collect(Needed) end) of
            {ok, approved} -> <<"approved">>;
            {ok, rejected} -> <<"rejected">>;
            {error, <<"timeout:", _/binary>>} -> <<"timed_out">>
        end,
    set((get(state))#{status => Decision}),
    {ok, Note} = aion_flow_ffi:dispatch_activity(<<"notify">>, json:encode(get(state)), <<"{}">>),
    {ok, _} = approval_queries:await(fun() -> aion_flow_ffi:await_activity_result(Note) end),
    {ok, json:encode(get(state))}.

%% Waits for N approvals; queries are answered while it waits.
collect(0) ->
    approved;
collect(N) ->
    {ok, Payload} = approval_queries:await(fun() ->
        aion_flow_ffi:receive_signal(<<"decision">>, <<"{}">>)
    end),
    D = json:decode(Payload),
    By = maps:get(<<"by">>, D, <<"anonymous">>),
    State = get(state),
    case maps:get(<<"approved">>, D, false) of
        true ->
            set(State#{approvals => maps:get(approvals, State) ++ [By]}),
            collect(N - 1);
        _ ->
            set(State#{rejected_by => By}),
            rejected
    end.

set(State) -> put(state, State).
