%% `gb_trees` for aion-bun: our own implementation of ordered key/value
%% trees with OTP's representation {Size, Tree}, Tree = nil |
%% {Key, Value, Smaller, Bigger}. Keys compare with ==, as in OTP.
%% Balancing: a plain binary-search-tree insert, and a full rebuild into a
%% perfectly balanced tree whenever the height exceeds twice log2(Size + 1)
%% (the same family of "general balanced trees" OTP uses; the exact shapes
%% can differ from OTP's after the same operations, so treat trees as
%% opaque). All functions are Erlang code.
-module(gb_trees).

-export([empty/0, is_empty/1, size/1, lookup/2, get/2, is_defined/2,
         insert/3, enter/3, update/3, delete/2, delete_any/2, take/2,
         take_any/2, smallest/1, largest/1, take_smallest/1, take_largest/1,
         keys/1, values/1, to_list/1, from_orddict/1, balance/1, iterator/1,
         iterator/2, iterator_from/2, next/1, map/2]).
-compile({no_auto_import, [size/1, get/2]}).

empty() -> {0, nil}.

is_empty({0, nil}) -> true;
is_empty({_, _}) -> false.

size({N, _}) when is_integer(N), N >= 0 -> N.

lookup(K, {_, T}) -> lookup_1(K, T).

lookup_1(K, {K1, _, S, _}) when K < K1 -> lookup_1(K, S);
lookup_1(K, {K1, _, _, B}) when K > K1 -> lookup_1(K, B);
lookup_1(_, {_, V, _, _}) -> {value, V};
lookup_1(_, nil) -> none.

get(K, T) ->
    case lookup(K, T) of
        {value, V} -> V;
        none -> erlang:error(function_clause, [K, T])
    end.

is_defined(K, T) -> lookup(K, T) =/= none.

insert(K, V, {N, T}) ->
    case lookup_1(K, T) of
        none -> rebalance({N + 1, insert_1(K, V, T)});
        _ -> erlang:error({key_exists, K})
    end.

insert_1(K, V, {K1, V1, S, B}) when K < K1 -> {K1, V1, insert_1(K, V, S), B};
insert_1(K, V, {K1, V1, S, B}) when K > K1 -> {K1, V1, S, insert_1(K, V, B)};
insert_1(K, V, nil) -> {K, V, nil, nil}.

update(K, V, {N, T}) -> {N, update_1(K, V, T)}.

update_1(K, V, {K1, V1, S, B}) when K < K1 -> {K1, V1, update_1(K, V, S), B};
update_1(K, V, {K1, V1, S, B}) when K > K1 -> {K1, V1, S, update_1(K, V, B)};
update_1(_, V, {K1, _, S, B}) -> {K1, V, S, B};
update_1(K, _, nil) -> erlang:error({badkey, K}).

enter(K, V, T) ->
    case is_defined(K, T) of
        true -> update(K, V, T);
        false -> insert(K, V, T)
    end.

delete(K, {N, T}) -> {N - 1, delete_1(K, T)}.

delete_1(K, {K1, V1, S, B}) when K < K1 -> {K1, V1, delete_1(K, S), B};
delete_1(K, {K1, V1, S, B}) when K > K1 -> {K1, V1, S, delete_1(K, B)};
delete_1(_, {_, _, S, B}) -> merge(S, B);
delete_1(K, nil) -> erlang:error(function_clause, [K, nil]).

merge(S, nil) -> S;
merge(nil, B) -> B;
merge(S, B) ->
    {K, V, B1} = take_smallest_1(B),
    {K, V, S, B1}.

delete_any(K, T) ->
    case is_defined(K, T) of
        true -> delete(K, T);
        false -> T
    end.

take(K, T) ->
    {value, V} = lookup(K, T),
    {V, delete(K, T)}.

take_any(K, T) ->
    case lookup(K, T) of
        {value, V} -> {V, delete(K, T)};
        none -> error
    end.

smallest({_, T}) -> smallest_1(T).
smallest_1({K, V, nil, _}) -> {K, V};
smallest_1({_, _, S, _}) -> smallest_1(S).

largest({_, T}) -> largest_1(T).
largest_1({K, V, _, nil}) -> {K, V};
largest_1({_, _, _, B}) -> largest_1(B).

take_smallest({N, T}) ->
    {K, V, T1} = take_smallest_1(T),
    {K, V, {N - 1, T1}}.

take_smallest_1({K, V, nil, B}) -> {K, V, B};
take_smallest_1({K, V, S, B}) ->
    {K1, V1, S1} = take_smallest_1(S),
    {K1, V1, {K, V, S1, B}}.

take_largest({N, T}) ->
    {K, V, T1} = take_largest_1(T),
    {K, V, {N - 1, T1}}.

take_largest_1({K, V, S, nil}) -> {K, V, S};
take_largest_1({K, V, S, B}) ->
    {K1, V1, B1} = take_largest_1(B),
    {K1, V1, {K, V, S, B1}}.

to_list({_, T}) -> to_list_1(T, []).

to_list_1({K, V, S, B}, Acc) -> to_list_1(S, [{K, V} | to_list_1(B, Acc)]);
to_list_1(nil, Acc) -> Acc.

keys(T) -> [K || {K, _} <- to_list(T)].
values(T) -> [V || {_, V} <- to_list(T)].

from_orddict(L) when is_list(L) -> {length(L), build(L)}.

balance({N, T}) -> {N, build(to_list_1(T, []))}.

%% A perfectly balanced tree from a sorted list of pairs.
build([]) -> nil;
build(L) ->
    {Left, [{K, V} | Right]} = lists:split(length(L) div 2, L),
    {K, V, build(Left), build(Right)}.

rebalance({N, T} = Tree) ->
    case height(T) > 2 * log2(N + 1) of
        true -> balance(Tree);
        false -> Tree
    end.

height(nil) -> 0;
height({_, _, S, B}) -> 1 + max(height(S), height(B)).

log2(X) -> math:log2(X).

map(F, {N, T}) when is_function(F, 2) -> {N, map_1(F, T)}.

map_1(F, {K, V, S, B}) -> {K, F(K, V), map_1(F, S), map_1(F, B)};
map_1(_, nil) -> nil.

%% Iterators walk a list of pending pairs: simple and opaque.
iterator(T) -> to_list(T).
iterator(T, ordered) -> to_list(T);
iterator(T, reversed) -> lists:reverse(to_list(T)).
iterator_from(K, T) -> [P || {K1, _} = P <- to_list(T), K1 >= K].

next([{K, V} | Rest]) -> {K, V, Rest};
next([]) -> none.
