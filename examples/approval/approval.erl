%% A human approval gate: waits for "decision" signals from approvers, with
%% a deadline, and answers the "status" query meanwhile (every wait of the
%% aion library answers queries).
%% Input: {"request": "new laptop", "approvers": 2, "timeout": "24h"}
%% (approvers defaults to 1, timeout to 24h). A signal payload is
%% {"by": "alice", "approved": true}. One rejection ends the wait.
-module(approval).
-export([run/1]).

run(Input) ->
    Req = aion:decode(Input),
    Needed = maps:get(<<"approvers">>, Req, 1),
    put(state, #{request => maps:get(<<"request">>, Req), status => pending,
                 approvals => [], needed => Needed}),
    ok = aion:on_query(status, fun() -> get(state) end),
    Decision =
        case aion:with_timeout(maps:get(<<"timeout">>, Req, "24h"), fun() -> collect(Needed) end) of
            {ok, Outcome} -> Outcome;
            {error, timeout} -> timed_out
        end,
    put(state, (get(state))#{status => Decision}),
    {ok, _} = aion:activity(notify, get(state)),
    {ok, get(state)}.

%% Waits for N approvals.
collect(0) ->
    approved;
collect(N) ->
    {ok, D} = aion:signal(decision),
    By = maps:get(<<"by">>, D, <<"anonymous">>),
    State = get(state),
    case maps:get(<<"approved">>, D, false) of
        true ->
            put(state, State#{approvals => maps:get(approvals, State) ++ [By]}),
            collect(N - 1);
        _ ->
            put(state, State#{rejected_by => By}),
            rejected
    end.
