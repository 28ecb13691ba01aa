%% The part of the minimal kernel's logger (nifs/kernel/logger.ts) that runs
%% Erlang funs: a report's report_cb (fun/1 or fun/2) and lazy message funs.
%% The native logger traps here when an event needs one; this code runs the
%% fun in the logging process, as OTP's logger_formatter does under the
%% default handler, and logs the resulting text, or OTP's REPORT_CB/LAZY_FUN
%% error and crash texts, back through logger:log/4, which only formats (the
%% event's metadata goes along: it may name the header's title).
-module(aion_logger_format).
-export([report/4, lazy/4]).

%% What logger_formatter passes a fun/2 report_cb under the default handler.
-define(CB2_CONFIG, #{chars_limit => unlimited, depth => unlimited, single_line => false}).

report(Level, Report, Cb, Meta) when is_function(Cb, 1) ->
    try Cb(Report) of
        {Format, Args} when is_list(Format), is_list(Args) ->
            logger:log(Level, Format, Args, Meta);
        Other ->
            logger:log(Level, "REPORT_CB/1 ERROR: ~tp; Returned: ~tp", [Report, Other], Meta)
    catch
        C:R:S ->
            logger:log(Level, "REPORT_CB/1 CRASH: ~tp; Reason: ~tp",
                       [Report, {C, R, above_here(S)}], Meta)
    end;
report(Level, Report, Cb, Meta) when is_function(Cb, 2) ->
    try Cb(Report, ?CB2_CONFIG) of
        Chars when is_list(Chars); is_binary(Chars) ->
            case unicode:characters_to_list(Chars) of
                Text when is_list(Text) ->
                    logger:log(Level, "~ts", [Text], Meta);
                _ ->
                    logger:log(Level, "REPORT_CB/2 ERROR: ~tp; Returned: ~tp",
                               [Report, Chars], Meta)
            end;
        Other ->
            logger:log(Level, "REPORT_CB/2 ERROR: ~tp; Returned: ~tp", [Report, Other], Meta)
    catch
        C:R:S ->
            logger:log(Level, "REPORT_CB/2 CRASH: ~tp; Reason: ~tp",
                       [Report, {C, R, above_here(S)}], Meta)
    end.

%% A lazy message: Fun(FunArgs) gives the message, maybe with more metadata.
lazy(Level, Fun, FunArgs, Meta) ->
    try Fun(FunArgs) of
        {Msg, #{} = FunMeta} -> lazy_result(Level, Msg, maps:merge(Meta, FunMeta), {Fun, FunArgs});
        Msg -> lazy_result(Level, Msg, Meta, {Fun, FunArgs})
    catch
        C:R ->
            logger:log(Level, "LAZY_FUN CRASH: ~tp; Reason: ~tp", [{Fun, FunArgs}, {C, R}], Meta)
    end.

lazy_result(_Level, ignore, _Meta, _Call) ->
    ok;
lazy_result(Level, {Format, Args}, Meta, _Call)
  when (is_list(Format) orelse is_binary(Format) orelse is_atom(Format)), is_list(Args) ->
    logger:log(Level, Format, Args, Meta);
lazy_result(Level, Report, Meta, _Call) when is_map(Report) ->
    logger:log(Level, Report, Meta);
lazy_result(Level, [Pair | _] = Report, Meta, _Call) when is_tuple(Pair) ->
    logger:log(Level, Report, Meta);
lazy_result(Level, Text, Meta, _Call) when is_list(Text); is_binary(Text) ->
    logger:log(Level, Text, Meta);
lazy_result(Level, Other, Meta, Call) ->
    logger:log(Level, "LAZY_FUN ERROR: ~tp; Returned: ~tp", [Call, Other], Meta).

%% The frames of a crash inside the fun: those above this module's own.
above_here([{?MODULE, _, _, _} | _]) -> [];
above_here([Frame | Rest]) -> [Frame | above_here(Rest)];
above_here([]) -> [].
