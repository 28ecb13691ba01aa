%% `gb_sets` for aion-bun: ordered sets built on our gb_trees (each element
%% a key with the value []). The representation therefore differs from
%% OTP's {Size, {K, S, B}} form: gb_sets are opaque. Erlang code only.
-module(gb_sets).

-export([empty/0, new/0, is_empty/1, size/1, singleton/1, is_member/2,
         is_element/2, insert/2, add/2, add_element/2, delete/2,
         delete_any/2, del_element/2, balance/1, union/2, union/1,
         intersection/2, intersection/1, difference/2, subtract/2,
         is_disjoint/2, is_subset/2, is_set/1, to_list/1, from_list/1,
         from_ordset/1, smallest/1, largest/1, take_smallest/1,
         take_largest/1, fold/3, filter/2, map/2, iterator/1, next/1]).
-compile({no_auto_import, [size/1]}).

empty() -> {gb_set, gb_trees:empty()}.
new() -> empty().

is_empty({gb_set, T}) -> gb_trees:is_empty(T).
size({gb_set, T}) -> gb_trees:size(T).
singleton(X) -> add(X, empty()).

is_member(X, {gb_set, T}) -> gb_trees:is_defined(X, T).
is_element(X, S) -> is_member(X, S).

insert(X, {gb_set, T}) -> {gb_set, gb_trees:insert(X, [], T)}.
add(X, {gb_set, T}) -> {gb_set, gb_trees:enter(X, [], T)}.
add_element(X, S) -> add(X, S).

delete(X, {gb_set, T}) -> {gb_set, gb_trees:delete(X, T)}.
delete_any(X, {gb_set, T}) -> {gb_set, gb_trees:delete_any(X, T)}.
del_element(X, S) -> delete_any(X, S).

balance({gb_set, T}) -> {gb_set, gb_trees:balance(T)}.

to_list({gb_set, T}) -> gb_trees:keys(T).
from_list(L) -> from_ordset(lists:usort(L)).
from_ordset(L) -> {gb_set, gb_trees:from_orddict([{X, []} || X <- L])}.

union(A, B) -> from_ordset(ordsets:union(to_list(A), to_list(B))).
union(Sets) -> from_ordset(ordsets:union([to_list(S) || S <- Sets])).
intersection(A, B) -> from_ordset(ordsets:intersection(to_list(A), to_list(B))).
intersection(Sets) -> from_ordset(ordsets:intersection([to_list(S) || S <- Sets])).
difference(A, B) -> from_ordset(ordsets:subtract(to_list(A), to_list(B))).
subtract(A, B) -> difference(A, B).
is_disjoint(A, B) -> ordsets:is_disjoint(to_list(A), to_list(B)).
is_subset(A, B) -> ordsets:is_subset(to_list(A), to_list(B)).
is_set({gb_set, {N, _}}) when is_integer(N) -> true;
is_set(_) -> false.

smallest({gb_set, T}) -> element(1, gb_trees:smallest(T)).
largest({gb_set, T}) -> element(1, gb_trees:largest(T)).
take_smallest({gb_set, T}) ->
    {K, _, T1} = gb_trees:take_smallest(T),
    {K, {gb_set, T1}}.
take_largest({gb_set, T}) ->
    {K, _, T1} = gb_trees:take_largest(T),
    {K, {gb_set, T1}}.

fold(F, Acc, S) when is_function(F, 2) -> lists:foldl(F, Acc, to_list(S)).
filter(P, S) when is_function(P, 1) -> from_ordset(lists:filter(P, to_list(S))).
map(F, S) when is_function(F, 1) -> from_list(lists:map(F, to_list(S))).

iterator(S) -> to_list(S).
next([X | Rest]) -> {X, Rest};
next([]) -> none.
