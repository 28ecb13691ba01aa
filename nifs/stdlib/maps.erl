%% The higher-order part of `maps`, for aion-bun.
%%
%% Natives in nifs/lib/maps.ts: new/0, size/1, take/2, with/2,
%% without/2, from_keys/2, intersect/2, iterator/1,2, next/1.
%% BIFs from nifs/erlang: get/2, get/3, find/2, put/3, remove/2, update/3, keys/1,
%% values/1, to_list/1, from_list/1, merge/2, is_key/2.
%% This file defines none of those (natives take precedence anyway).
%%
%% Functions that take a map also accept an iterator from maps:iterator/1,2,
%% walked with maps:next/1. Errors follow OTP: {badmap, M} for a non-map,
%% badarg for a bad fun, {badkey, K} from update_with/3.
-module(maps).

-export([map/2, filter/2, filtermap/2, fold/3, foreach/2, update_with/3,
         update_with/4, merge_with/3, intersect_with/3, groups_from_list/2,
         groups_from_list/3]).

map(F, M) when is_function(F, 2) ->
    maps:from_list([{K, F(K, V)} || {K, V} <- pairs(M)]);
map(F, M) -> badarg_or_badmap(F, M).

filter(P, M) when is_function(P, 2) ->
    maps:from_list([{K, V} || {K, V} <- pairs(M), P(K, V)]);
filter(P, M) -> badarg_or_badmap(P, M).

filtermap(F, M) when is_function(F, 2) ->
    maps:from_list(filtermap_pairs(F, pairs(M)));
filtermap(F, M) -> badarg_or_badmap(F, M).

filtermap_pairs(F, [{K, V} | T]) ->
    case F(K, V) of
        true -> [{K, V} | filtermap_pairs(F, T)];
        {true, V1} -> [{K, V1} | filtermap_pairs(F, T)];
        false -> filtermap_pairs(F, T)
    end;
filtermap_pairs(_, []) -> [].

fold(F, Acc, M) when is_function(F, 3) -> fold_pairs(F, Acc, pairs(M));
fold(F, _, M) -> badarg_or_badmap(F, M).

fold_pairs(F, Acc, [{K, V} | T]) -> fold_pairs(F, F(K, V, Acc), T);
fold_pairs(_, Acc, []) -> Acc.

foreach(F, M) when is_function(F, 2) ->
    lists:foreach(fun({K, V}) -> F(K, V) end, pairs(M));
foreach(F, M) -> badarg_or_badmap(F, M).

update_with(K, F, M) when is_map(M), is_function(F, 1) ->
    case M of
        #{K := V} -> M#{K := F(V)};
        #{} -> erlang:error({badkey, K}, [K, F, M])
    end;
update_with(K, F, M) -> erlang:error(bad_or_badmap(F, M), [K, F, M]).

update_with(K, F, Init, M) when is_map(M), is_function(F, 1) ->
    case M of
        #{K := V} -> M#{K := F(V)};
        #{} -> M#{K => Init}
    end;
update_with(K, F, Init, M) -> erlang:error(bad_or_badmap(F, M), [K, F, Init, M]).

%% Values of keys present in both maps are combined with F(K, V1, V2).
merge_with(F, M1, M2) when is_map(M1), is_map(M2), is_function(F, 3) ->
    {Small, Big, Combine} =
        case map_size(M1) =< map_size(M2) of
            true -> {M1, M2, fun(K, V1, V2) -> F(K, V1, V2) end};
            false -> {M2, M1, fun(K, V2, V1) -> F(K, V1, V2) end}
        end,
    fold_pairs(fun(K, V, Acc) ->
                       case Acc of
                           #{K := VB} -> Acc#{K := Combine(K, V, VB)};
                           #{} -> Acc#{K => V}
                       end
               end, Big, maps:to_list(Small));
merge_with(F, M1, M2) ->
    erlang:error(first_bad(F, [M1, M2]), [F, M1, M2]).

intersect_with(F, M1, M2) when is_map(M1), is_map(M2), is_function(F, 3) ->
    maps:from_list([{K, F(K, V1, V2)} || {K, V1} <- maps:to_list(M1),
                                         V2 <- case M2 of
                                                   #{K := X} -> [X];
                                                   #{} -> []
                                               end]);
intersect_with(F, M1, M2) ->
    erlang:error(first_bad(F, [M1, M2]), [F, M1, M2]).

groups_from_list(KeyFun, L) ->
    groups_from_list(KeyFun, fun(X) -> X end, L).

groups_from_list(KeyFun, ValFun, L)
  when is_function(KeyFun, 1), is_function(ValFun, 1), is_list(L) ->
    Groups = lists:foldl(fun(X, Acc) ->
                                 K = KeyFun(X),
                                 V = ValFun(X),
                                 case Acc of
                                     #{K := Vs} -> Acc#{K := [V | Vs]};
                                     #{} -> Acc#{K => [V]}
                                 end
                         end, #{}, L),
    maps:map(fun(_, Vs) -> lists:reverse(Vs) end, Groups);
groups_from_list(KeyFun, ValFun, L) ->
    erlang:error(badarg, [KeyFun, ValFun, L]).

%% Key/value pairs of a map (in iterator order, which is what OTP's
%% fold/map/filter walk) or of what remains of an iterator.
pairs(M) when is_map(M) -> iter_pairs(maps:next(maps:iterator(M)));
pairs(none) -> [];
pairs([_ | _] = It) -> iter_pairs(maps:next(It));
pairs(M) -> erlang:error({badmap, M}).

iter_pairs({K, V, It}) -> [{K, V} | iter_pairs(maps:next(It))];
iter_pairs(none) -> [].

badarg_or_badmap(F, M) -> erlang:error(bad_or_badmap(F, M)).

bad_or_badmap(_F, M) when not is_map(M) -> {badmap, M};
bad_or_badmap(_F, _M) -> badarg.

first_bad(_F, [M | _]) when not is_map(M) -> {badmap, M};
first_bad(F, [_ | Ms]) -> first_bad(F, Ms);
first_bad(_F, []) -> badarg.
