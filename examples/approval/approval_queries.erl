%% Query handling for the approval example. An await returns the sentinel
%% {error, <<"aion_query:", Json/binary>>} while a query is pending; await/1
%% answers it with the handler registered for its name, then waits again.
-module(approval_queries).
-export([register/2, await/1]).

register(Name, Handler) when is_function(Handler, 1) ->
    put({aion_query_handler, Name}, Handler),
    aion_flow_ffi:register_query(Name, <<"{}">>).

await(Wait) ->
    case Wait() of
        {error, <<"aion_query:", Json/binary>>} ->
            answer(json:decode(Json)),
            await(Wait);
        Other ->
            Other
    end.

answer(#{<<"query_id">> := Id, <<"name">> := Name} = Query) ->
    Payload = maps:get(<<"payload">>, Query, <<"null">>),
    case get({aion_query_handler, Name}) of
        undefined ->
            aion_flow_ffi:reply_query_error(Id, <<"no handler">>);
        Handler ->
            try Handler(Payload) of
                Reply -> aion_flow_ffi:reply_query(Id, Reply)
            catch
                Class:Reason ->
                    Text = iolist_to_binary(io_lib:format("~p:~p", [Class, Reason])),
                    aion_flow_ffi:reply_query_error(Id, Text)
            end
    end.
