%% `queue` for aion-bun: our own implementation of OTP's double-ended FIFO.
%%
%% A queue is {Rear, Front}: Front holds the oldest items in order, Rear the
%% newest in reverse. When one side runs dry, half of the other is moved over
%% (reversed), which keeps every operation amortised O(1). The shape is the
%% one OTP uses, but how items are split between the two lists may differ
%% from OTP after the same operations: treat queues as opaque.
%% All functions are Erlang code (several take funs); none are native.
-module(queue).
-compile({no_auto_import, [get/1]}).

-export([new/0, is_queue/1, is_empty/1, len/1, to_list/1, from_list/1,
         member/2, in/2, in_r/2, out/1, out_r/1, get/1, get_r/1, peek/1,
         peek_r/1, drop/1, drop_r/1, reverse/1, join/2, split/2, filter/2,
         filtermap/2, fold/3, any/2, all/2, delete/2, delete_r/2,
         delete_with/2, delete_with_r/2, head/1, tail/1, last/1, liat/1,
         cons/2, snoc/2, init/1, lait/1, daeh/1]).

new() -> {[], []}.

is_queue({R, F}) when is_list(R), is_list(F) -> true;
is_queue(_) -> false.

is_empty({[], []}) -> true;
is_empty({R, F}) when is_list(R), is_list(F) -> false;
is_empty(Q) -> erlang:error(badarg, [Q]).

len({R, F}) when is_list(R), is_list(F) -> length(R) + length(F);
len(Q) -> erlang:error(badarg, [Q]).

to_list({R, F}) when is_list(R), is_list(F) -> F ++ lists:reverse(R);
to_list(Q) -> erlang:error(badarg, [Q]).

from_list(L) when is_list(L) -> balance({[], L});
from_list(L) -> erlang:error(badarg, [L]).

member(X, {R, F}) when is_list(R), is_list(F) ->
    lists:member(X, F) orelse lists:member(X, R);
member(X, Q) -> erlang:error(badarg, [X, Q]).

in(X, {R, F}) when is_list(R), is_list(F) -> balance({[X | R], F});
in(X, Q) -> erlang:error(badarg, [X, Q]).

in_r(X, {R, F}) when is_list(R), is_list(F) -> balance({R, [X | F]});
in_r(X, Q) -> erlang:error(badarg, [X, Q]).

out({[], []} = Q) -> {empty, Q};
out({R, F}) when is_list(R), is_list(F) ->
    {R1, [X | F1]} = fill_front({R, F}),
    {{value, X}, balance({R1, F1})};
out(Q) -> erlang:error(badarg, [Q]).

out_r({[], []} = Q) -> {empty, Q};
out_r({R, F}) when is_list(R), is_list(F) ->
    {[X | R1], F1} = fill_rear({R, F}),
    {{value, X}, balance({R1, F1})};
out_r(Q) -> erlang:error(badarg, [Q]).

get(Q) -> case peek(Q) of {value, X} -> X; empty -> erlang:error(empty, [Q]) end.
get_r(Q) -> case peek_r(Q) of {value, X} -> X; empty -> erlang:error(empty, [Q]) end.

peek({[], []}) -> empty;
peek({R, F}) when is_list(R), is_list(F) ->
    case F of
        [X | _] -> {value, X};
        [] -> {value, lists:last(R)}
    end;
peek(Q) -> erlang:error(badarg, [Q]).

peek_r({[], []}) -> empty;
peek_r({R, F}) when is_list(R), is_list(F) ->
    case R of
        [X | _] -> {value, X};
        [] -> {value, lists:last(F)}
    end;
peek_r(Q) -> erlang:error(badarg, [Q]).

drop(Q) -> case out(Q) of {empty, _} -> erlang:error(empty, [Q]); {_, Q1} -> Q1 end.
drop_r(Q) -> case out_r(Q) of {empty, _} -> erlang:error(empty, [Q]); {_, Q1} -> Q1 end.

reverse({R, F}) when is_list(R), is_list(F) -> {F, R};
reverse(Q) -> erlang:error(badarg, [Q]).

join({R1, F1}, {R2, F2}) when is_list(R1), is_list(F1), is_list(R2), is_list(F2) ->
    balance({R2 ++ lists:reverse(F2, R1), F1});
join(Q1, Q2) -> erlang:error(badarg, [Q1, Q2]).

split(N, Q) when is_integer(N), N >= 0 ->
    L = to_list(Q),
    case N =< length(L) of
        true ->
            {A, B} = lists:split(N, L),
            {from_list(A), from_list(B)};
        false -> erlang:error(badarg, [N, Q])
    end;
split(N, Q) -> erlang:error(badarg, [N, Q]).

filter(Fun, Q) when is_function(Fun, 1) ->
    from_list(lists:flatmap(fun(X) ->
                                    case Fun(X) of
                                        true -> [X];
                                        false -> [];
                                        L when is_list(L) -> L
                                    end
                            end, to_list(Q)));
filter(Fun, Q) -> erlang:error(badarg, [Fun, Q]).

filtermap(Fun, Q) when is_function(Fun, 1) -> from_list(lists:filtermap(Fun, to_list(Q)));
filtermap(Fun, Q) -> erlang:error(badarg, [Fun, Q]).

fold(Fun, Acc, Q) when is_function(Fun, 2) -> lists:foldl(Fun, Acc, to_list(Q));
fold(Fun, Acc, Q) -> erlang:error(badarg, [Fun, Acc, Q]).

any(P, Q) when is_function(P, 1) -> lists:any(P, to_list(Q));
any(P, Q) -> erlang:error(badarg, [P, Q]).

all(P, Q) when is_function(P, 1) -> lists:all(P, to_list(Q));
all(P, Q) -> erlang:error(badarg, [P, Q]).

delete(X, Q) -> from_list(lists:delete(X, to_list(Q))).
delete_r(X, Q) -> from_list(lists:reverse(lists:delete(X, lists:reverse(to_list(Q))))).

delete_with(P, Q) when is_function(P, 1) -> from_list(delete_first(P, to_list(Q))).
delete_with_r(P, Q) when is_function(P, 1) ->
    from_list(lists:reverse(delete_first(P, lists:reverse(to_list(Q))))).

delete_first(P, [H | T]) ->
    case P(H) of
        true -> T;
        false -> [H | delete_first(P, T)]
    end;
delete_first(_, []) -> [].

%% Okasaki API.
head(Q) -> get(Q).
tail(Q) -> drop(Q).
last(Q) -> get_r(Q).
liat(Q) -> drop_r(Q).
init(Q) -> drop_r(Q).
lait(Q) -> drop_r(Q).
daeh(Q) -> get_r(Q).
cons(X, Q) -> in_r(X, Q).
snoc(Q, X) -> in(X, Q).

%% Keep both sides non-empty when there are two or more items.
balance({[], [_, _ | _] = F}) ->
    {Front, Back} = lists:split(length(F) div 2, F),
    {lists:reverse(Back), Front};
balance({[_, _ | _] = R, []}) ->
    {Rear, Front} = lists:split(length(R) div 2, R),
    {Rear, lists:reverse(Front)};
balance(Q) -> Q.

fill_front({R, []}) -> {[], lists:reverse(R)};
fill_front(Q) -> Q.

fill_rear({[], F}) -> {lists:reverse(F), []};
fill_rear(Q) -> Q.
