%% `orddict` for aion-bun: key-value dictionaries as lists of {Key, Value}
%% sorted by key, without duplicate keys (the representation OTP documents).
%% Our own Erlang code. Keys compare with ==, like OTP's orddict; a missing
%% key in fetch/2 or update/3 is a function_clause. Functions given a key
%% store that key (update(2.0, F, [{2, V}]) gives [{2.0, F(V)}]).
-module(orddict).

-export([new/0, is_key/2, to_list/1, from_list/1, size/1, is_empty/1,
         fetch/2, find/2, fetch_keys/1, erase/2, take/2, store/3,
         append/3, append_list/3, update/3, update/4, update_counter/3,
         fold/3, map/2, filter/2, merge/3]).
-compile({no_auto_import, [size/1]}).

new() -> [].

is_key(Key, [{K, _} | D]) when Key > K -> is_key(Key, D);
is_key(Key, [{K, _} | _]) -> Key == K;
is_key(_, []) -> false.

to_list(D) -> D.

%% Later pairs override earlier ones: reversed, the first of equal keys wins.
from_list(Pairs) -> lists:ukeysort(1, reversed_pairs(Pairs, [])).

reversed_pairs([{_, _} = P | Ps], Acc) -> reversed_pairs(Ps, [P | Acc]);
reversed_pairs([], Acc) -> Acc.

size(D) -> length(D).

is_empty([]) -> true;
is_empty([_ | _]) -> false.

fetch(Key, [{K, _} | D]) when Key > K -> fetch(Key, D);
fetch(Key, [{K, V} | _]) when Key == K -> V.

find(Key, [{K, _} | D]) when Key > K -> find(Key, D);
find(Key, [{K, V} | _]) when Key == K -> {ok, V};
find(_, _) -> error.

fetch_keys([{K, _} | D]) -> [K | fetch_keys(D)];
fetch_keys([]) -> [].

erase(Key, [{K, _} = E | D]) when Key > K -> [E | erase(Key, D)];
erase(Key, [{K, _} | D]) when Key == K -> D;
erase(_, D) -> D.

take(Key, D) -> take(Key, D, []).

take(Key, [{K, _} = E | D], Acc) when Key > K -> take(Key, D, [E | Acc]);
take(Key, [{K, V} | D], Acc) when Key == K -> {V, lists:reverse(Acc, D)};
take(_, _, _) -> error.

store(Key, New, [{K, _} = E | D]) when Key > K -> [E | store(Key, New, D)];
store(Key, New, [{K, _} | D]) when Key == K -> [{Key, New} | D];
store(Key, New, D) -> [{Key, New} | D].

append(Key, Value, D) -> append_list(Key, [Value], D).

append_list(Key, L, [{K, _} = E | D]) when Key > K -> [E | append_list(Key, L, D)];
append_list(Key, L, [{K, Old} | D]) when Key == K -> [{Key, Old ++ L} | D];
append_list(Key, L, D) -> [{Key, L} | D].

update(Key, Fun, [{K, _} = E | D]) when Key > K -> [E | update(Key, Fun, D)];
update(Key, Fun, [{K, V} | D]) when Key == K -> [{Key, Fun(V)} | D].

update(Key, Fun, Init, [{K, _} = E | D]) when Key > K -> [E | update(Key, Fun, Init, D)];
update(Key, Fun, _, [{K, V} | D]) when Key == K -> [{Key, Fun(V)} | D];
update(Key, _, Init, D) -> [{Key, Init} | D].

update_counter(Key, Incr, [{K, _} = E | D]) when Key > K -> [E | update_counter(Key, Incr, D)];
update_counter(Key, Incr, [{K, V} | D]) when Key == K -> [{Key, V + Incr} | D];
update_counter(Key, Incr, D) -> [{Key, Incr} | D].

fold(F, Acc, [{K, V} | D]) -> fold(F, F(K, V, Acc), D);
fold(F, Acc, []) when is_function(F, 3) -> Acc.

map(F, [{K, V} | D]) -> [{K, F(K, V)} | map(F, D)];
map(F, []) when is_function(F, 2) -> [].

filter(F, [{K, V} = E | D]) ->
    case F(K, V) of
        true -> [E | filter(F, D)];
        false -> filter(F, D)
    end;
filter(F, []) when is_function(F, 2) -> [].

merge(F, [{K1, _} = E1 | D1], [{K2, _} | _] = D2) when K1 < K2 -> [E1 | merge(F, D1, D2)];
merge(F, [{K1, _} | _] = D1, [{K2, _} = E2 | D2]) when K1 > K2 -> [E2 | merge(F, D1, D2)];
merge(F, [{K1, V1} | D1], [{_, V2} | D2]) -> [{K1, F(K1, V1, V2)} | merge(F, D1, D2)];
merge(F, [], D2) when is_function(F, 3) -> D2;
merge(F, D1, []) when is_function(F, 3) -> D1.
