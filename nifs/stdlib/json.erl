%% The callback-taking part of the OTP 27 `json` module, for aion-bun.
%% (OTP 25 has no json module; behaviour follows the OTP 27 reference docs.)
%%
%% Natives in nifs/lib/json.ts: decode/1, encode/1, encode_binary/1,
%% encode_binary_escape_all/1, encode_integer/1, encode_float/1 and the
%% private '$aion_parse'/1, which parses one JSON value into a neutral tree
%% ({lit, Atom} | {integer, Text} | {float, Text} | {string, Bin} |
%% {array, Items} | {object, [{KeyBin, Tree}]}; float texts without a
%% fraction come as "M.0eE" so binary_to_float/1 reads them) plus the rest,
%% raising the same errors as decode/1. This file applies encoder and
%% decoder callbacks on top of them. Not implemented: the streaming API
%% (decode_start/3, decode_continue/2) and format/1,2,3.
-module(json).

-export([encode/2, encode_value/2, encode_atom/2, encode_list/2, encode_map/2,
         encode_map_checked/2, encode_key_value_list/2,
         encode_key_value_list_checked/2, decode/3]).

encode(Term, Encoder) when is_function(Encoder, 2) -> Encoder(Term, Encoder).

encode_value(Value, Encode) when is_atom(Value) -> encode_atom(Value, Encode);
encode_value(Value, Encode) when is_list(Value) -> encode_list(Value, Encode);
encode_value(Value, Encode) when is_map(Value) -> encode_map(Value, Encode);
encode_value(Value, _Encode) -> json:encode(Value).

encode_atom(null, _Encode) -> <<"null">>;
encode_atom(true, _Encode) -> <<"true">>;
encode_atom(false, _Encode) -> <<"false">>;
encode_atom(Atom, Encode) when is_atom(Atom) -> Encode(atom_to_binary(Atom, utf8), Encode).

encode_list([], _Encode) -> <<"[]">>;
encode_list([First | Rest], Encode) when is_function(Encode, 2) ->
    [$[, Encode(First, Encode), [[$,, Encode(E, Encode)] || E <- Rest], $]].

encode_map(Map, Encode) when is_map(Map), is_function(Encode, 2) ->
    object([[key(K, Encode), $:, Encode(V, Encode)] || {K, V} <- pairs(Map)]).

encode_map_checked(Map, Encode) when is_map(Map) ->
    encode_key_value_list_checked(pairs(Map), Encode).

encode_key_value_list(List, Encode) when is_function(Encode, 2) ->
    object([[key(K, Encode), $:, Encode(V, Encode)] || {K, V} <- List]).

encode_key_value_list_checked(List, Encode) when is_function(Encode, 2) ->
    object(checked(List, Encode, #{})).

checked([{K, V} | Rest], Encode, Seen) ->
    Key = iolist_to_binary(key(K, Encode)),
    case Seen of
        #{Key := _} -> erlang:error({duplicate_key, K});
        #{} -> [[Key, $:, Encode(V, Encode)] | checked(Rest, Encode, Seen#{Key => true})]
    end;
checked([], _Encode, _Seen) -> [].

%% Keys are strings: binaries and atoms go through the encoder, numbers are quoted.
key(K, Encode) when is_binary(K) -> Encode(K, Encode);
key(K, Encode) when is_atom(K) -> Encode(atom_to_binary(K, utf8), Encode);
key(K, _Encode) when is_integer(K) -> [$", integer_to_binary(K), $"];
key(K, _Encode) when is_float(K) -> [$", json:encode_float(K), $"].

object([]) -> <<"{}">>;
object([First | Rest]) -> [${, First, [[$, | E] || E <- Rest], $}].

%% Pairs in the map's iteration order (what OTP's encoder walks).
pairs(Map) -> iter(maps:next(maps:iterator(Map))).

iter({K, V, I}) -> [{K, V} | iter(maps:next(I))];
iter(none) -> [].

%% decode/3: parse, then fold the tree through the callbacks.
decode(Binary, Acc0, Decoders) when is_binary(Binary), is_map(Decoders) ->
    D = maps:merge(defaults(), Decoders),
    {Tree, Rest} = json:'$aion_parse'(Binary),
    {Value, Acc} = value(Tree, Acc0, D),
    {Value, Acc, Rest}.

defaults() ->
    #{array_start => fun(_) -> [] end,
      array_push => fun(E, A) -> [E | A] end,
      array_finish => fun(A, Old) -> {lists:reverse(A), Old} end,
      object_start => fun(_) -> [] end,
      object_push => fun(K, V, A) -> [{K, V} | A] end,
      object_finish => fun(A, Old) -> {maps:from_list(A), Old} end,
      float => fun erlang:binary_to_float/1,
      integer => fun erlang:binary_to_integer/1,
      string => fun(S) -> S end,
      null => null}.

value({lit, null}, Acc, #{null := Null}) -> {Null, Acc};
value({lit, B}, Acc, _D) -> {B, Acc};
value({integer, Text}, Acc, #{integer := F}) -> {F(Text), Acc};
value({float, Text}, Acc, #{float := F}) -> {F(Text), Acc};
value({string, S}, Acc, #{string := F}) -> {F(S), Acc};
value({array, Items}, Acc, #{array_start := Start, array_push := Push,
                             array_finish := Finish} = D) ->
    Inner = lists:foldl(fun(Item, A0) ->
                                {V, A1} = value(Item, A0, D),
                                Push(V, A1)
                        end, Start(Acc), Items),
    Finish(Inner, Acc);
value({object, Pairs}, Acc, #{object_start := Start, object_push := Push,
                              object_finish := Finish, string := Str} = D) ->
    Inner = lists:foldl(fun({K, Item}, A0) ->
                                {V, A1} = value(Item, A0, D),
                                Push(Str(K), V, A1)
                        end, Start(Acc), Pairs),
    Finish(Inner, Acc).
