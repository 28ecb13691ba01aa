%% A trip booking saga: reserve a flight, reserve a hotel, charge the card.
%% When a step fails, the steps already done are undone in reverse order by
%% their compensating activities, and the workflow reports what it undid.
%% Input: {"trip": "Lisbon", "fail_at": "charge_card"} (fail_at optional,
%% for trying the compensation path).
-module(saga).
-export([run/1]).

-define(STEPS, [{reserve_flight, cancel_flight}, {reserve_hotel, cancel_hotel},
                {charge_card, refund_card}]).

%% A failed step is tried twice, 10 ms apart, before the saga compensates
%% (a terminal failure is never retried).
-define(OPTIONS, #{retry => #{max_attempts => 2, backoff => #{kind => fixed, delay_ms => 10}}}).

run(Input) ->
    steps(?STEPS, aion:decode(Input), []).

%% Done holds {Step, Compensation, StepResult}, latest first.
steps([], _Trip, Done) ->
    {ok, #{status => booked, steps => [S || {S, _, _} <- lists:reverse(Done)]}};
steps([{Step, Undo} | Rest], Trip, Done) ->
    case aion:activity(Step, Trip, ?OPTIONS) of
        {ok, Result} ->
            steps(Rest, Trip, [{Step, Undo, Result} | Done]);
        {error, Reason} ->
            %% Each compensation gets the result of the step it undoes.
            Undone = [begin {ok, _} = aion:activity(U, R, ?OPTIONS), U end || {_, U, R} <- Done],
            {ok, #{status => compensated, failed => Step, reason => Reason, compensations => Undone}}
    end.
