%% The io server behind `file:open/2` without `raw`: one process per open
%% file, holding a raw descriptor (the `aion_file` natives,
%% nifs/kernel/file-raw.ts) and answering the io protocol
%% ({io_request, From, ReplyAs, Request} -> {io_reply, ReplyAs, Reply}) and
%% the file requests of OTP's `file` module ({file_request, From, Ref, Req}
%% -> {file_reply, Ref, Reply}). This is what `io:get_line/2`,
%% `io:scan_erl_form/4` (epp, so compile:file/2), `io:setopts/2`,
%% `file:read/2`, `file:position/2` and `io:format/3` on such a file talk to.
%%
%% It is written in Erlang because `get_until` requests call back into
%% Erlang (`erl_scan:tokens/4` for epp). The server keeps unread bytes
%% (not characters) in its buffer, so `file:position(F, cur)` is the file
%% position minus the buffer, and it decodes them with the file's encoding
%% (`latin1` or `unicode`, changed by `io:setopts/2`) per request. The
%% workflow sandbox refuses the `aion_file` natives, so a workflow that
%% calls this module still cannot reach a file.
-module(aion_file_io).

-export([open/2, request/2, file_request/2]).
-export([put_chars/2, read/2, write/2, close/1, position/2, pread/3, pwrite/3,
         read_line/1, truncate/1, sync/1, datasync/1]).
%% The get_until callbacks behind get_chars and get_line requests.
-export([collect_chars/3, collect_line/2]).

-define(CHUNK, 8192).

-record(st, {fd, owner, mref, buf = <<>>, mode = list, enc = latin1}).

%% ---------------------------------------------------------------------------
%% Client side

%% Starts a server for Name opened with Modes; {ok, Pid} | {error, Reason}.
open(Name, Modes) when is_list(Modes) ->
    Self = self(),
    Ref = make_ref(),
    Pid = spawn(fun() -> init(Self, Ref, Name, Modes) end),
    Mref = erlang:monitor(process, Pid),
    receive
        {Ref, ok} ->
            erlang:demonitor(Mref, [flush]),
            {ok, Pid};
        {Ref, {error, _} = Error} ->
            erlang:demonitor(Mref, [flush]),
            Error;
        {'DOWN', Mref, _, _, Reason} ->
            {error, Reason}
    end;
open(_, _) ->
    {error, badarg}.

%% An io-protocol request to any io server (ours or another).
request(Pid, Request) when is_pid(Pid) ->
    Mref = erlang:monitor(process, Pid),
    Pid ! {io_request, self(), Mref, Request},
    receive
        {io_reply, Mref, Reply} ->
            erlang:demonitor(Mref, [flush]),
            Reply;
        {'DOWN', Mref, _, _, _} ->
            {error, terminated}
    end.

%% A request of OTP's `file` module (position, close, pread...).
file_request(Pid, Request) when is_pid(Pid) ->
    Mref = erlang:monitor(process, Pid),
    Pid ! {file_request, self(), Mref, Request},
    receive
        {file_reply, Mref, Reply} ->
            erlang:demonitor(Mref, [flush]),
            Reply;
        {'DOWN', Mref, _, _, _} ->
            {error, terminated}
    end.

put_chars(Pid, Chars) -> request(Pid, {put_chars, unicode, Chars}).

read(Pid, N) ->
    case request(Pid, {get_chars, latin1, '', N}) of
        Data when is_list(Data); is_binary(Data) -> {ok, Data};
        Other -> Other
    end.

write(Pid, Bytes) ->
    case request(Pid, {put_chars, latin1, Bytes}) of
        {error, terminated} -> {error, terminated};
        Other -> Other
    end.

read_line(Pid) ->
    case request(Pid, {get_line, latin1, ''}) of
        Data when is_list(Data); is_binary(Data) -> {ok, Data};
        Other -> Other
    end.

%% Closing a file whose server is gone is `ok`, as in OTP.
close(Pid) ->
    case file_request(Pid, close) of
        {error, terminated} -> ok;
        Other -> Other
    end.
position(Pid, At) -> file_request(Pid, {position, At}).
pread(Pid, At, N) -> file_request(Pid, {pread, At, N}).
pwrite(Pid, At, Bytes) -> file_request(Pid, {pwrite, At, Bytes}).
truncate(Pid) -> file_request(Pid, truncate).
sync(Pid) -> file_request(Pid, sync).
datasync(Pid) -> file_request(Pid, datasync).

%% ---------------------------------------------------------------------------
%% Server side

init(Owner, Ref, Name, Modes) ->
    case parse_modes(Modes, list, latin1, []) of
        {error, _} = Error ->
            Owner ! {Ref, Error};
        {Mode, Enc, RawModes} ->
            case aion_file:open(Name, [binary | RawModes]) of
                {ok, Fd} ->
                    ok = aion_file:io_server(),
                    Mref = erlang:monitor(process, Owner),
                    Owner ! {Ref, ok},
                    loop(#st{fd = Fd, owner = Owner, mref = Mref, mode = Mode, enc = Enc});
                {error, _} = Error ->
                    Owner ! {Ref, Error}
            end
    end.

parse_modes([], Mode, Enc, Acc) -> {Mode, Enc, lists:reverse(Acc)};
parse_modes([binary | T], _, Enc, Acc) -> parse_modes(T, binary, Enc, Acc);
parse_modes([list | T], _, Enc, Acc) -> parse_modes(T, list, Enc, Acc);
parse_modes([{encoding, E} | T], Mode, _, Acc) ->
    case encoding(E) of
        {ok, Enc} -> parse_modes(T, Mode, Enc, Acc);
        error -> {error, badarg}
    end;
parse_modes([M | T], Mode, Enc, Acc) -> parse_modes(T, Mode, Enc, [M | Acc]);
parse_modes(_, _, _, _) -> {error, badarg}.

encoding(latin1) -> {ok, latin1};
encoding(unicode) -> {ok, unicode};
encoding(utf8) -> {ok, unicode};
encoding(_) -> error.

loop(#st{mref = Mref, fd = Fd} = St) ->
    receive
        {io_request, From, ReplyAs, Request} when is_pid(From) ->
            {Reply, St1} = io_request(Request, St),
            From ! {io_reply, ReplyAs, Reply},
            loop(St1);
        {file_request, From, Ref, Request} when is_pid(From) ->
            case file_req(Request, St) of
                {stop, Reply} ->
                    ok = aion_file:io_server_done(),
                    From ! {file_reply, Ref, Reply};
                {Reply, St1} ->
                    From ! {file_reply, Ref, Reply},
                    loop(St1)
            end;
        {'DOWN', Mref, _, _, _} ->
            _ = aion_file:close(Fd),
            aion_file:io_server_done();
        _Other ->
            loop(St)
    end.

%% --- io requests -----------------------------------------------------------

io_request({put_chars, Enc, Chars}, St) -> put(Enc, Chars, St);
io_request({put_chars, Enc, M, F, A}, St) ->
    case catch apply(M, F, A) of
        {'EXIT', _} -> {{error, F}, St};
        Chars -> put(Enc, Chars, St)
    end;
io_request({put_chars, Chars}, St) -> put(latin1, Chars, St);
io_request({put_chars, M, F, A}, St) -> io_request({put_chars, latin1, M, F, A}, St);
io_request({get_chars, Enc, _Prompt, N}, St) -> collect(Enc, collect_chars, [N], St);
io_request({get_chars, _Prompt, N}, St) -> collect(latin1, collect_chars, [N], St);
io_request({get_line, Enc, _Prompt}, St) -> collect(Enc, collect_line, [], St);
io_request({get_line, _Prompt}, St) -> collect(latin1, collect_line, [], St);
io_request({get_until, Enc, _Prompt, M, F, A}, St) -> get_until(Enc, M, F, A, St);
io_request({get_until, _Prompt, M, F, A}, St) -> get_until(latin1, M, F, A, St);
io_request({setopts, Opts}, St) when is_list(Opts) -> setopts(Opts, St);
io_request(getopts, #st{mode = Mode, enc = Enc} = St) ->
    {[{binary, Mode =:= binary}, {encoding, Enc}], St};
io_request({get_geometry, _}, St) -> {{error, enotsup}, St};
io_request({requests, Reqs}, St) -> requests(Reqs, {ok, St});
io_request(_, St) -> {{error, request}, St}.

requests([], Acc) -> Acc;
requests([R | Rs], {_, St}) ->
    case io_request(R, St) of
        {{error, _}, _} = Error -> Error;
        Ok -> requests(Rs, Ok)
    end.

setopts([], St) -> {ok, St};
setopts([binary | T], St) -> setopts(T, St#st{mode = binary});
setopts([list | T], St) -> setopts(T, St#st{mode = list});
setopts([{binary, B} | T], St) when is_boolean(B) ->
    setopts(T, St#st{mode = case B of true -> binary; false -> list end});
setopts([{encoding, E} | T], St) ->
    case encoding(E) of
        {ok, Enc} -> setopts(T, St#st{enc = Enc});
        error -> {{error, badarg}, St}
    end;
setopts(_, St) -> {{error, enotsup}, St}.

put(InEnc, Chars, #st{enc = FileEnc} = St0) ->
    St = drop_buffer(St0),
    case to_bytes(Chars, InEnc, FileEnc) of
        {ok, Bytes} ->
            case aion_file:write(St#st.fd, Bytes) of
                ok -> {ok, St};
                Error -> {Error, St}
            end;
        error ->
            {{error, {no_translation, InEnc, FileEnc}}, St}
    end.

to_bytes(Chars, latin1, latin1) ->
    try {ok, iolist_to_binary(Chars)} catch _:_ -> error end;
to_bytes(Chars, InEnc, FileEnc) ->
    Out = case FileEnc of latin1 -> latin1; unicode -> utf8 end,
    case unicode:characters_to_binary(Chars, InEnc, Out) of
        B when is_binary(B) -> {ok, B};
        _ -> error
    end.

%% Forgets read-ahead: the descriptor goes back to where the caller is.
drop_buffer(#st{buf = <<>>} = St) -> St;
drop_buffer(#st{buf = Buf, fd = Fd} = St) ->
    _ = aion_file:position(Fd, {cur, -byte_size(Buf)}),
    St#st{buf = <<>>}.

%% get_chars and get_line: collect a list, then give it in the file's mode.
collect(OutEnc, F, A, #st{mode = Mode} = St) ->
    {Result, St1} = get_until(OutEnc, ?MODULE, F, A, St#st{mode = list}),
    {in_mode(Result, OutEnc, Mode), St1#st{mode = Mode}}.

in_mode(Chars, latin1, binary) when is_list(Chars) -> list_to_binary(Chars);
in_mode(Chars, unicode, binary) when is_list(Chars) -> unicode:characters_to_binary(Chars);
in_mode(Other, _, _) -> Other.

%% The io protocol's get_until: feed characters to M:F until it is done.
get_until(OutEnc, M, F, A, St) -> get_until(OutEnc, M, F, A, [], St).

get_until(OutEnc, M, F, A, Cont, St0) ->
    case next_chars(St0) of
        {error, Reason, St} ->
            {{error, Reason}, St};
        {Data, St} ->
            In = deliver(Data, OutEnc, St),
            case In of
                {error, _} = Error ->
                    {Error, St0};
                _ ->
                    case catch apply(M, F, [Cont, In | A]) of
                        {done, Result, Rest} ->
                            {Result, unread(Rest, OutEnc, St)};
                        {more, Cont1} when Data =/= eof ->
                            get_until(OutEnc, M, F, A, Cont1, St);
                        {more, _} ->
                            {eof, St};
                        Other ->
                            {{error, {get_until, Other}}, St}
                    end
            end
    end.

%% The buffered characters (and the buffer left), reading a chunk when empty.
next_chars(#st{buf = <<>>, fd = Fd} = St) ->
    case aion_file:read(Fd, ?CHUNK) of
        {ok, Bytes} -> decode(Bytes, St);
        eof -> {eof, St};
        {error, Reason} -> {error, Reason, St}
    end;
next_chars(#st{buf = Buf} = St) ->
    decode(Buf, St#st{buf = <<>>}).

decode(Bytes, #st{enc = latin1} = St) ->
    {binary_to_list(Bytes), St};
decode(Bytes, #st{enc = unicode, fd = Fd} = St) ->
    case unicode:characters_to_list(Bytes, utf8) of
        L when is_list(L) ->
            {L, St};
        {incomplete, L, Rest} ->
            %% A character cut by the chunk: read on to complete it.
            case aion_file:read(Fd, ?CHUNK) of
                {ok, More} ->
                    {L2, St2} = decode(<<Rest/binary, More/binary>>, St),
                    {L ++ L2, St2};
                _ when L =:= [] ->
                    {error, {no_translation, unicode, unicode}, St};
                _ ->
                    {L, St#st{buf = Rest}}
            end;
        {error, [], _} ->
            {error, {no_translation, unicode, unicode}, St};
        {error, L, Rest} ->
            {L, St#st{buf = Rest}}
    end.

%% Characters as the request wants them: a list, or a binary in binary mode.
deliver(eof, _, _) -> eof;
deliver(Chars, latin1, #st{enc = unicode} = St) ->
    case lists:all(fun(C) -> C =< 255 end, Chars) of
        true -> deliver(Chars, latin1, St#st{enc = latin1});
        false -> {error, {no_translation, unicode, latin1}}
    end;
deliver(Chars, _, #st{mode = list}) -> Chars;
deliver(Chars, latin1, #st{mode = binary}) -> list_to_binary(Chars);
deliver(Chars, unicode, #st{mode = binary}) -> unicode:characters_to_binary(Chars).

%% Puts characters M:F did not use back in front of the buffer, as bytes.
unread(eof, _, St) -> St;
unread([], _, St) -> St;
unread(<<>>, _, St) -> St;
unread(Rest, OutEnc, #st{enc = FileEnc, buf = Buf} = St) ->
    Chars = case Rest of
                B when is_binary(B), OutEnc =:= unicode -> unicode:characters_to_list(B);
                B when is_binary(B) -> binary_to_list(B);
                L -> L
            end,
    Bytes = case FileEnc of
                latin1 -> list_to_binary(Chars);
                unicode -> unicode:characters_to_binary(Chars)
            end,
    St#st{buf = <<Bytes/binary, Buf/binary>>}.

%% --- collectors for get_chars and get_line (the get_until callback shape) --

collect_chars([], eof, _N) -> {done, eof, eof};
collect_chars(Acc, eof, _N) -> {done, lists:reverse(Acc), eof};
collect_chars(Acc, Chars, N) ->
    Have = length(Acc),
    case length(Chars) of
        L when Have + L >= N ->
            {Mine, Rest} = lists:split(N - Have, Chars),
            {done, lists:reverse(Acc, Mine), Rest};
        _ ->
            {more, lists:reverse(Chars, Acc)}
    end.

collect_line([], eof) -> {done, eof, eof};
collect_line(Acc, eof) -> {done, lists:reverse(Acc), eof};
collect_line(Acc, Chars) ->
    case lists:splitwith(fun(C) -> C =/= $\n end, Chars) of
        {Line, [$\n | Rest]} -> {done, lists:reverse(Acc, Line ++ "\n"), Rest};
        {Line, []} -> {more, lists:reverse(Line, Acc)}
    end.

%% --- file requests -----------------------------------------------------------

file_req(close, #st{fd = Fd}) ->
    {stop, aion_file:close(Fd)};
file_req({position, At}, #st{fd = Fd, buf = Buf} = St) ->
    At1 = case At of
              cur -> {cur, -byte_size(Buf)};
              {cur, Off} -> {cur, Off - byte_size(Buf)};
              _ -> At
          end,
    {aion_file:position(Fd, At1), St#st{buf = <<>>}};
file_req({pread, At, N}, St0) ->
    St = drop_buffer(St0),
    case aion_file:position(St#st.fd, At) of
        {ok, _} ->
            case collect(latin1, collect_chars, [N], St) of
                {Data, St1} when is_list(Data); is_binary(Data) -> {{ok, Data}, St1};
                Other -> Other
            end;
        Error -> {Error, St}
    end;
file_req({pwrite, At, Data}, St0) ->
    St = drop_buffer(St0),
    case aion_file:position(St#st.fd, At) of
        {ok, _} -> put(latin1, Data, St);
        Error -> {Error, St}
    end;
file_req(truncate, St0) ->
    St = drop_buffer(St0),
    {aion_file:truncate(St#st.fd), St};
file_req(sync, St) -> {aion_file:sync(St#st.fd), St};
file_req(datasync, St) -> {aion_file:datasync(St#st.fd), St};
file_req({advise, _, _, _}, St) -> {ok, St};
file_req(Other, St) -> {{error, {request, Other}}, St}.
