%% A trip booking saga: reserve a flight, reserve a hotel, charge the card.
%% When a step fails, the steps already done are undone in reverse order by
%% their compensating activities, and the workflow reports what it undid.
%% Input: {"trip": "Lisbon", "fail_at": "charge_card"} (fail_at optional,
%% for trying the compensation path).
-module(saga).
-export([run/1]).

-define(STEPS, [{<<"reserve_flight">>, <<"cancel_flight">>},
                {<<"reserve_hotel">>, <<"cancel_hotel">>},
                {<<"charge_card">>, <<"refund_card">>}]).

%% Failed steps are retried twice, 10 ms apart, before the saga compensates.
-define(CONFIG, <<"{\"retry\":{\"max_attempts\":2,\"initial_interval\":10}}">>).

run(Input) ->
    steps(?STEPS, Input, []).

%% Done holds {Step, Compensation, StepResult}, latest first.
steps([], _Input, Done) ->
    {ok, json:encode(#{status => <<"booked">>,
                       steps => [S || {S, _, _} <- lists:reverse(Done)]})};
steps([{Step, Undo} | Rest], Input, Done) ->
    case call(Step, Input) of
        {ok, Result} ->
            steps(Rest, Input, [{Step, Undo, Result} | Done]);
        {error, Reason} ->
            %% Each compensation gets the result of the step it undoes.
            Undone = [begin {ok, _} = call(U, R), U end || {_, U, R} <- Done],
            {ok, json:encode(#{status => <<"compensated">>, failed => Step,
                               reason => Reason, compensations => Undone})}
    end.

call(Activity, Input) ->
    {ok, Id} = aion_flow_ffi:dispatch_activity(Activity, Input, ?CONFIG),
    aion_flow_ffi:await_activity_result(Id).
