%% `sets` for aion-bun: our own implementation. A set is a map whose keys
%% are the elements and whose values are [] (the representation OTP 24+
%% uses for `{version, 2}` sets). OTP 25's default is an older record-based
%% form: sets are opaque, so only the order of to_list/1 and fold/3 can
%% differ (ours follow map iteration order). All functions are Erlang code.
-module(sets).

-export([new/0, new/1, is_set/1, size/1, is_empty/1, to_list/1, from_list/1,
         from_list/2, is_element/2, add_element/2, del_element/2, union/1,
         union/2, intersection/1, intersection/2, is_disjoint/2, subtract/2,
         is_subset/2, is_equal/2, fold/3, filter/2, map/2, filtermap/2]).

new() -> #{}.
new(_Opts) -> #{}.

is_set(S) -> is_map(S).

size(S) when is_map(S) -> map_size(S).

is_empty(S) when is_map(S) -> map_size(S) =:= 0.

to_list(S) when is_map(S) -> maps:keys(S).

from_list(L) when is_list(L) -> maps:from_keys(L, []).
from_list(L, _Opts) -> from_list(L).

is_element(X, S) when is_map(S) -> is_map_key(X, S).

add_element(X, S) when is_map(S) -> S#{X => []}.

del_element(X, S) when is_map(S) -> maps:remove(X, S).

union(A, B) when is_map(A), is_map(B) -> maps:merge(A, B).
union(Sets) when is_list(Sets) -> lists:foldl(fun union/2, #{}, Sets).

intersection(A, B) when is_map(A), is_map(B) -> maps:intersect(A, B).
intersection([S | Sets]) -> lists:foldl(fun intersection/2, S, Sets).

is_disjoint(A, B) when is_map(A), is_map(B) -> map_size(maps:intersect(A, B)) =:= 0.

subtract(A, B) when is_map(A), is_map(B) -> maps:without(maps:keys(B), A).

is_subset(A, B) when is_map(A), is_map(B) ->
    lists:all(fun(X) -> is_map_key(X, B) end, maps:keys(A)).

is_equal(A, B) when is_map(A), is_map(B) ->
    map_size(A) =:= map_size(B) andalso is_subset(A, B).

fold(F, Acc, S) when is_function(F, 2), is_map(S) ->
    maps:fold(fun(K, _, A) -> F(K, A) end, Acc, S).

filter(P, S) when is_function(P, 1), is_map(S) ->
    maps:filter(fun(K, _) -> P(K) end, S).

map(F, S) when is_function(F, 1), is_map(S) ->
    from_list([F(X) || X <- maps:keys(S)]).

filtermap(F, S) when is_function(F, 1), is_map(S) ->
    from_list(lists:filtermap(F, maps:keys(S))).
