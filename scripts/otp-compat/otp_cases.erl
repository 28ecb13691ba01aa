%% The OTP-compatibility case table, recorded from real erl.
%%
%% scripts/otp-compat/record.sh runs record/1, which evaluates every case
%% with otp_funs:run/4 (fixtures/otp/otp_funs.erl) and writes
%% fixtures/otp/otp_cases.expected, one line per case:
%%
%%   Module <TAB> Function <TAB> Norm <TAB> ArgsHex <TAB> Kind <TAB> Raw <TAB> Normalised
%%
%% ArgsHex is term_to_binary(Args) in hex, Kind is value, error, exit or
%% throw, Raw is the ~w of the result (or of the exception reason) and
%% Normalised the ~w of otp_funs:norm(Norm, Result) (the reason again for an
%% exception). test/otp/otp-stdlib.test.ts replays the table twice: OTP's own
%% .beam files on our VM must give Raw exactly; our library must give
%% Normalised, since it may build unspecified shapes differently.
-module(otp_cases).
-export([record/1, cases/0]).

record([Out]) ->
    ok = file:write_file(Out, [line(C) || C <- cases()]),
    halt(0).

line({Norm, M, F, Args}) ->
    {Kind, Raw, N} =
        case otp_funs:run(Norm, M, F, Args) of
            {value, V, NV} -> {value, fmt(V), fmt(NV)};
            {Class, Reason} -> {Class, fmt(Reason), fmt(Reason)}
        end,
    Hex = binary:encode_hex(term_to_binary(Args)),
    [atom_to_list(M), $\t, atom_to_list(F), $\t, atom_to_list(Norm), $\t, Hex, $\t,
     atom_to_list(Kind), $\t, Raw, $\t, N, $\n].

fmt(T) ->
    S = lists:flatten(io_lib:format("~w", [T])),
    %% ~w never emits tabs or newlines; the line format depends on it.
    false = lists:any(fun(C) -> C =:= $\t orelse C =:= $\n end, S),
    unicode:characters_to_binary(S).

cases() ->
    lists() ++ strings() ++ old_strings() ++ formats() ++ io_libs() ++
        proplists() ++ orddicts() ++ queues() ++ sets() ++ maps() ++ gb_trees() ++
        unicode_utils().

f(N) -> fun otp_funs:N/1.
f2(N) -> fun otp_funs:N/2.
f3(N) -> fun otp_funs:N/3.

w(M, Calls) -> [{w, M, F, A} || {F, A} <- Calls].

lists() ->
    L = [3, 1, 4, 1, 5, 9, 2, 6],
    KL = [{b, 2}, {a, 1}, {c, 3}, {a, 0}],
    w(lists,
      [{append, [[1], [2, 3]]}, {append, [[], []]}, {append, [[1], x]},
       {append, [[[1], [2], [], [3, [4]]]]}, {append, [[]]}, {append, [[[a] | b]]},
       {concat, [[a, "b", 1, 2.5, 'c d']]}, {concat, [[]]},
       {delete, [1, L]}, {delete, [7, L]}, {delete, [a, []]},
       {droplast, [[1, 2, 3]]}, {droplast, [[]]},
       {dropwhile, [f(is_small), L]}, {dropwhile, [f(is_small), []]},
       {duplicate, [3, x]}, {duplicate, [0, x]}, {duplicate, [-1, x]},
       {enumerate, [[a, b, c]]}, {enumerate, [5, [a, b]]}, {enumerate, [[]]},
       {filter, [f(is_even), L]}, {filter, [f(is_even), [a]]},
       {filtermap, [f(even_pair), L]},
       {flatlength, [[1, [2, [3, 4]], [], 5]]}, {flatlength, [[a | b]]},
       {flatmap, [f(dup), [1, 2, 3]]}, {flatmap, [f(dup), []]},
       {flatten, [[1, [2, [3, [4, []]]], [[]], 5]]}, {flatten, [[a, [b]], [tail]]},
       {flatten, [[[a] | b]]},
       {foldl, [f2(add), 0, L]}, {foldl, [f2(cons), [], L]}, {foldr, [f2(cons), [], L]},
       {foldl, [f2(add), 0, [1, a]]}, {foldr, [f2(add), 0, x]},
       {foreach, [f(double), [1, 2]]},
       {join, [x, [a, b, c]]}, {join, [x, []]}, {join, [x, [a]]},
       {keydelete, [a, 1, KL]}, {keydelete, [z, 1, KL]}, {keydelete, [2, 2, KL]},
       {keymap, [f(double), 2, KL]},
       {keymerge, [1, [{a, 1}, {c, 3}], [{b, 2}, {c, 4}]]},
       {keyreplace, [a, 1, KL, {a, new}]}, {keyreplace, [z, 1, KL, {z}]},
       {keysort, [1, KL]}, {keysort, [2, KL]}, {keysort, [3, KL]}, {keysort, [1, []]},
       {keystore, [a, 1, KL, {a, s}]}, {keystore, [z, 1, KL, {z, s}]},
       {keytake, [a, 1, KL]}, {keytake, [z, 1, KL]},
       {keyfind, [c, 1, KL]}, {keymember, [d, 1, KL]}, {keysearch, [1, 2, KL]},
       {last, [L]}, {last, [[]]},
       {map, [f(double), L]}, {map, [f(double), []]}, {map, [f(double), [a]]},
       {mapfoldl, [f2(sum_acc), 0, L]}, {mapfoldr, [f2(max_acc), 0, L]},
       {max, [L]}, {max, [[a, 1, "s", {t}]]}, {max, [[]]}, {min, [L]}, {min, [[1, 1.0]]},
       {member, [5, L]}, {member, [x, L]},
       {merge, [[[1, 4], [2, 3], [0, 5]]]}, {merge, [[1, 3, 5], [2, 4]]},
       {merge, [f2(ge), [5, 3, 1], [4, 2]]}, {merge3, [[1, 4], [2, 5], [3, 6]]},
       {nth, [3, L]}, {nth, [0, L]}, {nth, [9, L]},
       {nthtail, [3, L]}, {nthtail, [0, L]}, {nthtail, [9, L]},
       {partition, [f(is_even), L]}, {partition, [f(is_even), []]},
       {prefix, [[3, 1], L]}, {prefix, [[1], L]}, {prefix, [[], []]},
       {reverse, [L]}, {reverse, [L, [tail]]}, {reverse, [[]]},
       {rukeymerge, [1, [{c, 3}, {a, 1}], [{b, 2}]]}, {rumerge, [[5, 3, 1], [4, 2]]},
       {rumerge3, [[7, 4, 1], [8, 5, 2], [9, 6, 3]]},
       {search, [f(is_even), L]}, {search, [f(is_even), [1, 3]]},
       {seq, [1, 10]}, {seq, [1, 0]}, {seq, [1, -1]}, {seq, [1, 10, 3]}, {seq, [10, 1, -3]},
       {seq, [1, 1, 0]}, {seq, [1, 2, 0]}, {seq, [a, b]},
       {sort, [L]}, {sort, [[b, 1, "x", {}, 2.0, 1.0, [], <<>>, #{}]]},
       {sort, [f2(ge), L]}, {sort, [f2(first_lt), KL]}, {sort, [[]]},
       {split, [2, L]}, {split, [0, L]}, {split, [9, L]}, {split, [8, L]},
       {splitwith, [f(is_small), L]},
       {sublist, [L, 3]}, {sublist, [L, 20]}, {sublist, [L, 2, 3]}, {sublist, [L, 9, 1]},
       {sublist, [L, 10, 1]}, {sublist, [L, 0, 1]},
       {subtract, [L, [1, 9]]}, {subtract, [[a, b, a], [a, z]]},
       {suffix, [[2, 6], L]}, {suffix, [[], L]}, {suffix, [[1], []]},
       {sum, [L]}, {sum, [[1, 2.5]]}, {sum, [[]]}, {sum, [[a]]},
       {takewhile, [f(is_small), L]},
       {ukeymerge, [1, [{a, 1}, {c, 3}], [{a, 2}, {b, 2}]]},
       {ukeysort, [1, KL]}, {ukeysort, [2, [{x, 1}, {y, 1}, {z, 0}]]},
       {umerge, [[[1, 4], [1, 3], [0, 5]]]}, {umerge, [[1, 3, 5], [1, 2, 3]]},
       {umerge, [f2(ge), [5, 3], [5, 4]]}, {umerge3, [[1, 4], [1, 5], [4, 6]]},
       {uniq, [[a, b, a, c, b]]}, {uniq, [f(tag), [1, 2, 3, 4, 5]]},
       {unzip, [KL]}, {unzip3, [[{1, 2, 3}, {4, 5, 6}]]},
       {usort, [L]}, {usort, [[1, 1.0, 2]]}, {usort, [f2(le), L]}, {usort, [f2(first_lt), KL]},
       {zip, [[1, 2], [a, b]]}, {zip, [[1], [a, b]]}, {zip3, [[1], [a], [x]]},
       {zipwith, [f2(add), [1, 2], [10, 20]]}, {zipwith3, [f3(combine), [a], [1], [2]]},
       {all, [f(is_even), [2, 4]]}, {all, [f(is_even), L]}, {any, [f(is_even), L]},
       {any, [f(is_even), []]}, {all, [f(is_even), []]},
       {zf, [f(even_pair), L]}, {keymerge, [2, [{a, 1}], [{b, 0}]]},
       {foldl, [f2(add), 0, lists:seq(1, 2000)]},
       {sort, [lists:reverse(lists:seq(1, 300))]},
       {usort, [[X rem 17 || X <- lists:seq(1, 200)]]},
       {sort, [[{X rem 5, X} || X <- lists:seq(1, 60)]]},
       {keysort, [1, [{X rem 4, X} || X <- lists:seq(1, 40)]]}]).

strings() ->
    U = "åäö ÅÄÖ",
    G = [$e, 16#301, $x, $\r, $\n, $y],
    w(string,
      [{length, ["abc"]}, {length, [G]}, {length, [<<"héllo"/utf8>>]}, {length, [[<<"a">>, "b", $c]]},
       {is_empty, [""]}, {is_empty, [[[], <<>>]]}, {is_empty, [" "]},
       {to_graphemes, [G]}, {to_graphemes, [<<"a\r\nb"/utf8>>]},
       {reverse, [G]}, {reverse, [<<"abc">>]},
       {slice, ["héllo wörld", 2]}, {slice, ["héllo", 1, 3]}, {slice, [<<"héllo"/utf8>>, 1, 3]},
       {slice, ["abc", 5]}, {slice, ["abc", 0, infinity]},
       {equal, ["abc", <<"abc">>]}, {equal, ["ABC", "abc", true]},
       {equal, [[$e, 16#301], [16#e9], false, nfc]}, {equal, ["a", "b"]},
       {uppercase, [U]}, {lowercase, [U]}, {titlecase, ["ǆungla"]}, {casefold, ["Straße"]},
       {uppercase, [<<"straße"/utf8>>]}, {lowercase, [<<"ÅÄÖ"/utf8>>]},
       {uppercase, ["ǆ"]}, {titlecase, [<<"hello"/utf8>>]}, {titlecase, [""]},
       {trim, ["  ab  "]}, {trim, ["  ab  ", leading]}, {trim, ["  ab  ", trailing]},
       {trim, ["xxabxx", both, "x"]}, {trim, [<<"\r\n ab \r\n">>]},
       {trim, ["..a.b..", trailing, "."]}, {trim, [[$a, $\r, $\n]]},
       {chomp, ["abc\n"]}, {chomp, ["abc\r\n"]}, {chomp, [<<"abc\n\n">>]}, {chomp, ["abc"]},
       {pad, ["ab", 5]}, {pad, ["ab", 5, leading]}, {pad, ["ab", 5, both, $-]},
       {pad, ["abcdef", 3]}, {pad, [<<"é"/utf8>>, 3, trailing, $.]},
       {prefix, ["abcdef", "abc"]}, {prefix, ["abcdef", "x"]}, {prefix, [<<"abcdef">>, "ab"]},
       {split, ["a,b,c", ","]}, {split, ["a,b,c", ",", all]}, {split, ["a,b,c", ",", trailing]},
       {split, [<<"a--b--c">>, "--", all]}, {split, ["abc", "x"]}, {split, ["", ","]},
       {replace, ["a.b.c", ".", "-"]}, {replace, ["a.b.c", ".", "-", all]},
       {replace, ["a.b.c", ".", "-", trailing]}, {replace, [<<"aXbXc">>, "X", "YY", all]},
       {find, ["hello world", "o"]}, {find, ["hello world", "o", trailing]},
       {find, ["hello", "z"]}, {find, [<<"hello">>, "ll"]},
       {lexemes, ["a b  c", " "]}, {lexemes, [" a,b;c ", ",; "]}, {lexemes, ["", " "]},
       {lexemes, [[$a, $\r, $\n, $b], [[$\r, $\n]]]},
       {nth_lexeme, ["a b c", 2, " "]}, {nth_lexeme, ["a b c", 5, " "]},
       {take, ["aaabc", "a"]}, {take, ["aaabc", "a", true]}, {take, ["abccc", "c", false, trailing]},
       {take, [<<"123abc">>, "0123456789"]},
       {next_grapheme, [G]}, {next_grapheme, [""]}, {next_grapheme, [<<"\r\nx">>]},
       {next_codepoint, [G]}, {next_codepoint, [<<"éx"/utf8>>]}, {next_codepoint, [[]]},
       {to_integer, ["123abc"]}, {to_integer, ["-7"]}, {to_integer, ["x"]}, {to_integer, [<<"+42 ">>]},
       {to_float, ["1.5e3x"]}, {to_float, ["1.5"]}, {to_float, ["1"]}, {to_float, [<<"-0.25">>]},
       {to_integer, [[1 | 2]]}, {to_float, ["1e10"]},
       {length, [[16#1F1F8, 16#1F1EA, 16#1F1F8]]}, {length, [[16#1F468, 16#200D, 16#1F469]]},
       {to_graphemes, [[16#1F1F8, 16#1F1EA, 16#1F1F8, 16#1F1EA]]}, {to_graphemes, [[$a, 16#300, 16#301, $b]]},
       {slice, [[16#1100, 16#1161, 16#11A8, $a], 0, 1]},
       {uppercase, [[16#3C3, 16#3C2]]}, {lowercase, [[16#130]]}, {casefold, [[16#130, 16#3A3]]}]).

old_strings() ->
    w(string,
      [{len, ["abc"]}, {concat, ["ab", "cd"]}, {chr, ["hello", $l]}, {rchr, ["hello", $l]},
       {chr, ["hello", $z]}, {str, ["hello", "ll"]}, {rstr, ["hello hello", "ll"]},
       {str, ["hello", "x"]}, {span, ["abcxyz", "cba"]}, {cspan, ["abcxyz", "zx"]},
       {substr, ["hello", 2]}, {substr, ["hello", 2, 2]}, {sub_string, ["hello", 2, 4]},
       {tokens, ["a,b;;c", ",;"]}, {tokens, ["", ","]}, {join, [["a", "b", "c"], ", "]},
       {chars, [$x, 3]}, {chars, [$x, 3, "tail"]}, {copies, ["ab", 3]},
       {words, ["hello big  world"]}, {words, ["a.b.c", $.]}, {sub_word, ["a b c", 2]},
       {sub_word, ["a.b.c", 3, $.]},
       {strip, ["  ab  "]}, {strip, ["xxabxx", both, $x]}, {strip, ["  ab  ", left]},
       {strip, ["  ab  ", right]},
       {left, ["ab", 5]}, {left, ["abcdef", 3]}, {left, ["ab", 5, $.]},
       {right, ["ab", 5]}, {right, ["abcdef", 3, $.]}, {centre, ["ab", 6]}, {centre, ["ab", 5, $*]},
       {to_lower, ["ÅBC"]}, {to_upper, ["åbc"]}, {to_upper, [$a]}, {to_lower, [$Z]}]).

fmt_cases() ->
    Big = [{K, lists:seq(1, K), #{K => [K]}} || K <- lists:seq(1, 6)],
    [{"~c", [$a]}, {"~5c", [$a]}, {"~-5c|", [$a]}, {"~c", [16#e5]}, {"~tc", [16#3b1]},
     {"~s", ["abc"]}, {"~s", [<<"abc">>]}, {"~s", [abc]}, {"~10s|", ["abc"]}, {"~-10s|", ["abc"]},
     {"~.2s", ["abc"]}, {"~10.2s|", ["abc"]}, {"~10..*s|", ["abc"]}, {"~ts", [[16#3b1, 16#3b2]]},
     {"~ts", [<<"åäö"/utf8>>]}, {"~s", [[<<"a">>, "b", [$c]]]}, {"~s", [[16#3b1]]},
     {"~w", [[1, 2, 3]]}, {"~w", ["abc"]}, {"~w", [{a, 'B c', <<1, 2>>, 1.5, -3}]},
     {"~w", [<<1, 2:3>>]}, {"~w", [#{a => 1, b => [2]}]}, {"~w", [[a | b]]}, {"~w", [1.0e100]},
     {"~w", [0.1]}, {"~w", [-0.0]}, {"~w", [123456789012345678901234567890]},
     {"~p", ["abc"]}, {"~p", [[1, 2, 3]]}, {"~p", [<<"abc">>]}, {"~p", [<<"åäö"/utf8>>]},
     {"~tp", [<<"åäö"/utf8>>]}, {"~p", [[16#3b1]]}, {"~tp", [[16#3b1]]}, {"~p", [Big]},
     {"~p", [lists:seq(1, 40)]}, {"~p", [#{a => 1, "k" => {x, y}}]}, {"~p", ['hello world']},
     {"~10p", [{aaaa, bbbb, cccc}]}, {"~p", [{[1, 2], "text", <<"bin">>, 3.14}]},
     {"~lp", ["abc"]}, {"~p", [[[104, 105], [1, 2]]]}, {"~p", [[]]}, {"~p", [{}]},
     {"~W", [lists:seq(1, 10), 4]}, {"~P", [Big, 6]}, {"~P", [{a, {b, {c, {d}}}}, 3]},
     {"~W", [#{a => #{b => #{c => 1}}}, 3]}, {"~W", [<<1, 2, 3, 4, 5, 6>>, 3]},
     {"~e", [3.14159]}, {"~.3e", [3.14159]}, {"~12.3e|", [-3.14159]}, {"~e", [0.0]},
     {"~f", [3.14159]}, {"~.2f", [3.14159]}, {"~10.2f|", [-3.14159]}, {"~-10.2f|", [2.5]},
     {"~.0f", [2.5]}, {"~f", [1.0e20]}, {"~.1f", [0.05]}, {"~f", [-0.0]},
     {"~g", [3.14159]}, {"~g", [1.0e-10]}, {"~g", [123456789.0]}, {"~.3g", [0.0001234]},
     {"~g", [100.0]}, {"~.2g", [1.0e5]},
     {"~b", [255]}, {"~.2b", [5]}, {"~.16b", [255]}, {"~.16B", [-255]}, {"~.36b", [123456]},
     {"~8.2.0b", [5]}, {"~x", [255, "0x"]}, {"~.16x", [255, "0x"]}, {"~.16X", [-255, "0x"]},
     {"~#", [255]}, {"~.16#", [255]}, {"~.2#", [-5]}, {"~+", [255]}, {"~.16+", [255]},
     {"~B", [123456789012345678901234567890]}, {"~.16B", [1 bsl 70]},
     {"~i~w", [skipped, shown]}, {"a~nb", []}, {"~~", []}, {"~5~|", []},
     {"~*c", [3, $x]}, {"~.*f", [2, 1.5]}, {"~*.*f|", [8, 2, 1.5]}, {"~-*w|", [6, ab]},
     {"~5w|", [abc]}, {"~-5w|", [abc]}, {"~5w|", [abcdefg]}, {"~5.1w|", [x]},
     {"~10.3.*w|", [$., x]}, {"~5p|", [a]},
     {"~s ~w ~p", ["x", y, "z"]}, {"unicode ~ts!", [[16#1F600]]},
     {"~w", [x, y]}, {"~s", [1]}, {"~d", [1]}, {"~c", [-1]}, {"~b", [1.5]}, {"~f", [1]},
     {"~z", [1]}, {"~s", [[1 | 2]]}, {"~p", []}, {bad, []}].

formats() ->
    [{flat, io_lib, format, [F, A]} || {F, A} <- fmt_cases()] ++
        [{flat, io_lib, format, ["~p ~s ~w", [lists:seq(1, 30), lists:duplicate(20, $a), x], [{chars_limit, 40}]]},
         {flat, io_lib, format, ["~p", [lists:seq(1, 100)], [{chars_limit, 30}]]},
         {flat, io_lib, format, ["~tp", [#{k => <<"åäö"/utf8>>}], [{chars_limit, 10}]]}].

io_libs() ->
    [{flat, io_lib, F, A} || {F, A} <-
        [{write, [{a, [1, 2], "s", <<"b">>, 1.5}]}, {write, [lists:seq(1, 20), 5]},
         {write, [#{a => [1]}]}, {write_atom, ['hello world']}, {write_atom, [ok]},
         {write_atom, ['Ok']}, {write_atom, ['']}, {write_atom, ['a\nb']}, {write_atom, [[]]},
         {write_string, ["a\"b\n"]}, {write_string, ["abc", $']}, {write_string, [[16#3b1]]},
         {write_latin1_string, ["åb"]}, {write_char, [$a]}, {write_char, [$\n]}, {write_char, [16#3b1]},
         {write_char, [$\s]}, {write_latin1_char, [16#e5]},
         {print, [{a, "s", [1, 2]}]}, {print, [lists:seq(1, 30), 1, 40, -1]},
         {nl, []}, {fwrite, ["~w~n", [x]]}, {indentation, ["ab\ncd", 4]}, {indentation, ["\t", 0]},
         {quote_atom, [a, [$a]]}, {quote_atom, ['A', "A"]}]] ++
    w(io_lib,
      [{char_list, ["abc"]}, {char_list, [[1 | 2]]}, {char_list, [[16#3b1]]},
       {deep_char_list, [["ab", [$c]]]}, {deep_char_list, [[a]]},
       {printable_list, ["abc\n"]}, {printable_list, [[1, 2]]}, {printable_list, [[16#e5]]},
       {printable_list, [[16#3b1]]}, {printable_latin1_list, ["åäö"]},
       {printable_unicode_list, [[16#3b1, $\t]]}, {printable_unicode_list, [[16#D800]]},
       {latin1_char_list, [[255]]}, {latin1_char_list, [[256]]},
       {deep_latin1_char_list, [["a", [[$b]]]]},
       {scan_format, ["~w ~10.2f~n", [a, 1.5]]}, {unscan_format, [io_lib:scan_format("a~wb~5s", [x, "y"])]},
       {build_text, [io_lib:scan_format("~w-~p", [a, "b"])]},
       {write_atom_as_latin1, ['åäö']}, {limit_term, [lists:seq(1, 20), 5]},
       {fread, ["~d ~s", "12 abc rest"]}, {fread, ["~f", "1.5"]}, {fread, ["~a~d", "x1"]}]).

proplists() ->
    P = [a, {b, 1}, {c, 2}, {b, 3}, {d, false}, e, {f, 1, 2}],
    w(proplists,
      [{get_value, [b, P]}, {get_value, [z, P]}, {get_value, [z, P, def]}, {get_value, [a, P]},
       {get_all_values, [b, P]}, {get_bool, [a, P]}, {get_bool, [d, P]}, {get_bool, [z, P]},
       {lookup, [b, P]}, {lookup, [a, P]}, {lookup, [z, P]}, {lookup_all, [b, P]},
       {is_defined, [e, P]}, {is_defined, [z, P]}, {delete, [b, P]},
       {append_values, [b, P]}, {get_keys, [P]}, {compact, [[{a, true}, b, {c, 1}]]},
       {unfold, [[a, {b, 1}]]}, {property, [{a, true}]}, {property, [b, 1]}, {property, [{c, 1}]},
       {substitute_aliases, [[{b, bb}], P]}, {substitute_negations, [[{no_a, a}], [no_a, b]]},
       {expand, [[{a, [x, {y, 1}]}], [a, b]]}, {normalize, [[a, {no_b, true}], [{negations, [{no_b, b}]}]]},
       {split, [P, [b, e]]}, {to_map, [P]}, {to_map, [[a, {no_x, true}], [{negations, [{no_x, x}]}]]},
       {from_map, [#{a => 1}]}, {get_value, [b, [{b}]]}, {get_value, [b, [x | y]]}]).

orddicts() ->
    [{w, otp_funs, orddict_ops, [A]} || A <- [[{b, 2}, {a, 1}, {c, 3}, {n, 1}], [], [{m, 2}]]] ++
        w(orddict, [{from_list, [[{b, 1}, {a, 2}, {b, 3}]]}, {new, []}, {fetch, [a, [{a, 1}]]},
                    {fetch, [b, [{a, 1}]]}, {store, [b, 2, [{a, 1}, {c, 3}]]}]).

queues() ->
    [{w, otp_funs, queue_ops, [A]} || A <- [[1, 2, 3], [], lists:seq(1, 25), [a]]] ++
        [{queue, queue, F, A} || {F, A} <-
            [{from_list, [[1, 2, 3]]}, {in, [x, {[], []}]}, {reverse, [{[3, 2], [1]}]},
             {filter, [f(even_pair), {[6, 5], [1, 2]}]}]] ++
        w(queue, [{to_list, [{[3, 2], [1]}]}, {len, [{[1], []}]}, {out, [{[], []}]},
                  {from_list, [x]}, {get, [{[], []}]}, {peek, [{[], [a]}]}]).

sets() ->
    [{w, otp_funs, sets_ops, [O, L]} || O <- [[{version, 1}], [{version, 2}]],
                                         L <- [[a, b, c, 1, 2], [], [x, x, y], lists:seq(1, 40)]] ++
        [{sets, sets, from_list, [[c, a, b, a]]}, {w, sets, is_set, [foo]},
         {w, sets, size, [sets:from_list([1, 2, 2])]}].

maps() ->
    M = #{a => 1, b => 2, c => 3},
    Big = maps:from_list([{K, K * K} || K <- lists:seq(1, 40)]),
    w(maps,
      [{map, [f2(map_kv), M]}, {filter, [f2(pred_kv), #{1 => a, 2 => b, 3 => c}]},
       {filtermap, [fun otp_funs:map_kv/2, M]}, {fold, [f3(fold_kv), 0, #{1 => 2, 3 => 4}]},
       {fold, [f3(key_gt), [], M]}, {to_list, [M]}, {to_list, [Big]}, {keys, [Big]},
       {with, [[a, c, z], M]}, {without, [[a, z], M]}, {update_with, [a, f(double), M]},
       {update_with, [z, f(double), 0, M]}, {update_with, [z, f(double), M]},
       {take, [a, M]}, {take, [z, M]}, {size, [M]}, {new, []}, {iterator, [#{}]},
       {next, [maps:iterator(M)]}, {next, [none]}, {from_keys, [[a, b], 0]},
       {groups_from_list, [f(is_even), [1, 2, 3, 4]]}, {merge_with, [f3(combine), #{a => 1, b => 2}, #{b => 10, c => 3}]},
       {intersect, [#{a => 1, b => 2}, #{b => 3, c => 4}]}, {intersect_with, [f3(combine), #{a => 1, b => 2}, #{b => 3}]},
       {foreach, [f2(map_kv), M]}, {get, [a, M, def]}, {get, [z, M, def]},
       {map, [f2(map_kv), x]}, {fold, [f3(fold_kv), 0, x]}, {to_list, [x]}, {with, [x, M]},
       {filter, [f2(pred_kv), Big]}, {fold, [f3(fold_kv), 0, Big]}]) ++
        [{w, otp_funs, maps_iter, [X]} || X <- [M, #{}, #{1 => x}]] ++ [{sort, otp_funs, maps_iter, [Big]}].

gb_trees() ->
    [{w, otp_funs, gbt_ops, [A]} || A <- [[{b, 2}, {a, 1}, {c, 3}, {d, 4}], [{b, 1}],
                                         [{K, K} || K <- [m, d, x, a, b, q, z, e]]]] ++
        [{gbt, gb_trees, from_orddict, [[{a, 1}, {b, 2}]]}, {gbt, gb_trees, insert, [k, v, gb_trees:empty()]}] ++
        w(gb_trees, [{empty, []}, {size, [{0, nil}]}, {lookup, [x, {0, nil}]}, {get, [x, {0, nil}]}]).

unicode_utils() ->
    w(unicode_util,
      [{gc, ["abc"]}, {gc, [[$e, 16#301, $x]]}, {gc, [[$\r, $\n]]}, {gc, [<<"ab">>]}, {gc, [[]]},
       {cp, ["abc"]}, {cp, [<<"éa"/utf8>>]}, {cp, [[]]}, {cp, [[<<>>, "x"]]},
       {uppercase, ["aß"]}, {lowercase, ["AΣ"]}, {titlecase, ["ǆx"]}, {casefold, ["ẞ"]},
       {nfd, ["é"]}, {nfc, [[$e, 16#301]]}, {nfkd, [[16#FB01]]}, {nfkc, [[16#2460]]},
       {whitespace, []}, {lookup, [$a]},
       {get_case, [$a]}, {spec_version, []}, {gc, [[16#1F1F8, 16#1F1EA, $x]]}]).
