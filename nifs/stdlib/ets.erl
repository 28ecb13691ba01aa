%% The higher-order part of `ets` for aion-bun. Everything else (new,
%% insert, lookup, delete, match, select, tab2list, ...) is native
%% (nifs/lib/ets.ts); these folds walk a snapshot from ets:tab2list/1.
-module(ets).

-export([foldl/3, foldr/3]).

foldl(F, Acc, Tab) when is_function(F, 2) -> lists:foldl(F, Acc, ets:tab2list(Tab)).

foldr(F, Acc, Tab) when is_function(F, 2) -> lists:foldr(F, Acc, ets:tab2list(Tab)).
