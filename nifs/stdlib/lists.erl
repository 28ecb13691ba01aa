%% The higher-order part of `lists`, for aion-bun.
%%
%% Natives (nifs/lib/lists.ts, nifs/lib/lists-keys.ts) provide every
%% first-order function: seq, reverse/1, append, flatten, nth, nthtail,
%% sublist, split, last, droplast, sum, max, min, duplicate, delete,
%% subtract, enumerate, zip, zip3, unzip, unzip3, sort/1, usort/1, merge/1,2,
%% merge3, umerge/1,2, umerge3, rumerge, rumerge3, uniq/1, prefix, suffix,
%% join, concat, flatlength and the key functions (keysort, ukeysort,
%% keydelete, keyreplace, keystore, keytake, keymerge, ukeymerge,
%% rukeymerge). The BIFs reverse/2, keyfind/3,
%% keymember/3, keysearch/3 and member/2 come from nifs/erlang. Natives take precedence
%% over same-named functions here, so this file defines none of them.
%%
%% Functions that call a fun must be Erlang code: natives cannot re-enter
%% the interpreter. Bad arguments raise function_clause, as in OTP.
-module(lists).

-export([map/2, foldl/3, foldr/3, filter/2, filtermap/2, zf/2, flatmap/2,
         foreach/2, all/2, any/2, dropwhile/2, takewhile/2, splitwith/2,
         partition/2, mapfoldl/3, mapfoldr/3, search/2, keymap/3,
         sort/2, usort/2, merge/3, umerge/3, uniq/2,
         zipwith/3, zipwith3/4, zip/3, zipwith/4]).

%% A non-list argument is a case_clause, as in OTP 25.
map(F, L) when is_function(F, 1) ->
    case L of
        [H | T] -> [F(H) | map_1(F, T)];
        [] -> []
    end.

map_1(F, [H | T]) -> [F(H) | map_1(F, T)];
map_1(_, []) -> [].

foldl(F, Acc, [H | T]) -> foldl(F, F(H, Acc), T);
foldl(F, Acc, []) when is_function(F, 2) -> Acc.

foldr(F, Acc, [H | T]) -> F(H, foldr(F, Acc, T));
foldr(F, Acc, []) when is_function(F, 2) -> Acc.

filter(P, L) when is_function(P, 1) -> [X || X <- L, P(X)].

filtermap(F, [H | T]) ->
    case F(H) of
        false -> filtermap(F, T);
        true -> [H | filtermap(F, T)];
        {true, V} -> [V | filtermap(F, T)]
    end;
filtermap(F, []) when is_function(F, 1) -> [].

zf(F, L) -> filtermap(F, L).

flatmap(F, [H | T]) -> F(H) ++ flatmap(F, T);
flatmap(F, []) when is_function(F, 1) -> [].

foreach(F, [H | T]) -> F(H), foreach(F, T);
foreach(F, []) when is_function(F, 1) -> ok.

all(P, [H | T]) ->
    case P(H) of
        true -> all(P, T);
        false -> false
    end;
all(P, []) when is_function(P, 1) -> true.

any(P, [H | T]) ->
    case P(H) of
        true -> true;
        false -> any(P, T)
    end;
any(P, []) when is_function(P, 1) -> false.

dropwhile(P, [H | T] = L) ->
    case P(H) of
        true -> dropwhile(P, T);
        false -> L
    end;
dropwhile(P, []) when is_function(P, 1) -> [].

takewhile(P, [H | T]) ->
    case P(H) of
        true -> [H | takewhile(P, T)];
        false -> []
    end;
takewhile(P, []) when is_function(P, 1) -> [].

splitwith(P, L) when is_function(P, 1) -> splitwith(P, L, []).

splitwith(P, [H | T] = L, Acc) ->
    case P(H) of
        true -> splitwith(P, T, [H | Acc]);
        false -> {lists:reverse(Acc), L}
    end;
splitwith(_, [], Acc) -> {lists:reverse(Acc), []}.

partition(P, L) when is_function(P, 1) -> partition(P, L, [], []).

partition(P, [H | T], Yes, No) ->
    case P(H) of
        true -> partition(P, T, [H | Yes], No);
        false -> partition(P, T, Yes, [H | No])
    end;
partition(_, [], Yes, No) -> {lists:reverse(Yes), lists:reverse(No)}.

mapfoldl(F, Acc0, [H | T]) ->
    {R, Acc1} = F(H, Acc0),
    {Rs, Acc2} = mapfoldl(F, Acc1, T),
    {[R | Rs], Acc2};
mapfoldl(F, Acc, []) when is_function(F, 2) -> {[], Acc}.

mapfoldr(F, Acc0, [H | T]) ->
    {Rs, Acc1} = mapfoldr(F, Acc0, T),
    {R, Acc2} = F(H, Acc1),
    {[R | Rs], Acc2};
mapfoldr(F, Acc, []) when is_function(F, 2) -> {[], Acc}.

search(P, [H | T]) ->
    case P(H) of
        true -> {value, H};
        false -> search(P, T)
    end;
search(P, []) when is_function(P, 1) -> false.

keymap(F, N, [T | Ts]) ->
    [setelement(N, T, F(element(N, T))) | keymap(F, N, Ts)];
keymap(F, N, []) when is_function(F, 1), is_integer(N), N >= 1 -> [].

%% Stable bottom-up merge sort: Ord(A, B) means A may come before B.
sort(Ord, L) when is_function(Ord, 2) ->
    case L of
        [] -> [];
        [_] -> L;
        _ -> merge_all(Ord, [[X] || X <- L])
    end.

merge_all(_, [Run]) -> Run;
merge_all(Ord, Runs) -> merge_all(Ord, merge_pairs(Ord, Runs)).

merge_pairs(Ord, [A, B | Rest]) -> [merge(Ord, A, B) | merge_pairs(Ord, Rest)];
merge_pairs(_, Runs) -> Runs.

%% Merges two lists sorted by Ord; on ties the element of the first list wins.
merge(Ord, [A | As] = L1, [B | Bs] = L2) ->
    case Ord(A, B) of
        true -> [A | merge(Ord, As, L2)];
        false -> [B | merge(Ord, L1, Bs)]
    end;
merge(Ord, [], L2) when is_function(Ord, 2) -> L2;
merge(Ord, L1, []) when is_function(Ord, 2) -> L1.

usort(Ord, L) when is_function(Ord, 2) ->
    dedup(Ord, sort(Ord, L)).

dedup(Ord, [A, B | T]) ->
    case Ord(B, A) of
        true -> dedup(Ord, [A | T]);
        false -> [A | dedup(Ord, [B | T])]
    end;
dedup(_, L) -> L.

umerge(Ord, L1, L2) -> dedup(Ord, merge(Ord, L1, L2)).

uniq(F, L) when is_function(F, 1) -> uniq(F, L, #{}).

uniq(F, [H | T], Seen) ->
    K = F(H),
    case Seen of
        #{K := _} -> uniq(F, T, Seen);
        _ -> [H | uniq(F, T, Seen#{K => true})]
    end;
uniq(_, [], _) -> [].

zipwith(F, [X | Xs], [Y | Ys]) -> [F(X, Y) | zipwith(F, Xs, Ys)];
zipwith(F, [], []) when is_function(F, 2) -> [].

zipwith3(F, [X | Xs], [Y | Ys], [Z | Zs]) -> [F(X, Y, Z) | zipwith3(F, Xs, Ys, Zs)];
zipwith3(F, [], [], []) when is_function(F, 3) -> [].

%% OTP 26 additions: zip/3 and zipwith/4 with a "how" for unequal lengths.
zip(Xs, Ys, How) -> zipwith(fun(X, Y) -> {X, Y} end, Xs, Ys, How).

zipwith(F, [X | Xs], [Y | Ys], How) -> [F(X, Y) | zipwith(F, Xs, Ys, How)];
zipwith(F, [], [], _) when is_function(F, 2) -> [];
zipwith(F, _, _, trim) when is_function(F, 2) -> [];
zipwith(F, [], Ys, {pad, {DX, _}}) -> [F(DX, Y) || Y <- Ys];
zipwith(F, Xs, [], {pad, {_, DY}}) -> [F(X, DY) || X <- Xs].
