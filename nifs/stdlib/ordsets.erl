%% `ordsets` for aion-bun: sets as sorted lists without duplicates (the
%% representation OTP documents). Our own Erlang code; elements compare
%% with == like OTP's ordsets.
-module(ordsets).

-export([new/0, is_set/1, size/1, is_empty/1, to_list/1, from_list/1,
         is_element/2, add_element/2, del_element/2, union/2, union/1,
         intersection/2, intersection/1, is_disjoint/2, subtract/2,
         is_subset/2, fold/3, filter/2, map/2, filtermap/2]).
-compile({no_auto_import, [size/1]}).

new() -> [].

is_set(L) when is_list(L) -> L =:= lists:usort(L);
is_set(_) -> false.

size(S) -> length(S).
is_empty(S) -> S =:= [].
to_list(S) -> S.
from_list(L) -> lists:usort(L).

is_element(X, [Y | _]) when X < Y -> false;
is_element(X, [Y | S]) when X > Y -> is_element(X, S);
is_element(_, [_ | _]) -> true;
is_element(_, []) -> false.

add_element(X, S) -> union([X], S).
del_element(X, S) -> subtract(S, [X]).

union([X | A], [Y | _] = B) when X < Y -> [X | union(A, B)];
union([X | _] = A, [Y | B]) when X > Y -> [Y | union(A, B)];
union([X | A], [_ | B]) -> [X | union(A, B)];
union([], B) -> B;
union(A, []) -> A.

union(Sets) -> lists:foldl(fun(S, Acc) -> union(Acc, S) end, [], Sets).

intersection([X | A], [Y | _] = B) when X < Y -> intersection(A, B);
intersection([X | _] = A, [Y | B]) when X > Y -> intersection(A, B);
intersection([X | A], [_ | B]) -> [X | intersection(A, B)];
intersection(_, _) -> [].

intersection([S | Sets]) -> lists:foldl(fun(T, Acc) -> intersection(Acc, T) end, S, Sets).

is_disjoint(A, B) -> intersection(A, B) =:= [].

subtract([X | A], [Y | _] = B) when X < Y -> [X | subtract(A, B)];
subtract([X | _] = A, [Y | B]) when X > Y -> subtract(A, B);
subtract([_ | A], [_ | B]) -> subtract(A, B);
subtract(A, []) -> A;
subtract([], _) -> [].

is_subset(A, B) -> subtract(A, B) =:= [].

fold(F, Acc, S) -> lists:foldl(F, Acc, S).
filter(P, S) -> lists:filter(P, S).
map(F, S) -> lists:usort(lists:map(F, S)).
filtermap(F, S) -> lists:usort(lists:filtermap(F, S)).
