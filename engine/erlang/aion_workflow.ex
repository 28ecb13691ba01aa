# The Elixir face of the engine's workflow library: `Aion.Workflow`.
#
# Every function delegates to the Erlang `aion` module (aion.erl beside this
# file), so an Elixir workflow calls the same natives in the same order and
# records the same history as its Erlang twin. What this layer adds is
# Elixir's shapes: structs are sent as plain maps, options may be keyword
# lists, query handlers may return structs, and `nil` is JSON's null both
# ways (the Erlang library uses the atom `null`). It calls no Elixir standard
# library module, so a workflow that uses only this module needs none of
# them at run time. Guide: docs/authoring.md.
defmodule Aion.Workflow do
  @moduledoc """
  Durable workflow steps for Elixir, over the engine's natives.

      def run(input) do
        %{"name" => name} = Aion.Workflow.decode(input)
        {:ok, greeting} = Aion.Workflow.activity(:greet, %{name: name})
        :ok = Aion.Workflow.sleep("5m")
        {:ok, %{greeting: greeting}}
      end
  """

  @doc "Durable sleep: milliseconds, or text with a unit (\"250ms\", \"5m\")."
  def sleep(duration), do: :aion.sleep(duration)

  # Results: JSON null arrives as nil.
  defp ok({:ok, value}), do: {:ok, elixir(value)}
  defp ok(other), do: other

  @doc "Runs `fun` under a durable deadline: `{:ok, value}` or `{:error, :timeout}`."
  def with_timeout(duration, fun), do: :aion.with_timeout(duration, fun)

  @doc """
  Runs activity `name` with `input` and waits: `{:ok, result}` or
  `{:error, reason}`. Options (keyword list or map): `retry:` (a policy as
  keywords or a map, or `:none`), `timeout:`, `task_queue:`.
  """
  def activity(name, input, options \\ []),
    do: ok(:aion.activity(name, plain(input), options(options)))

  @doc "Schedules an activity without waiting; `await/1` takes the handle."
  def start_activity(name, input, options \\ []),
    do: :aion.start_activity(name, plain(input), options(options))

  @doc "Starts a child workflow and returns a handle for `await/1` (`workflow_id:` option)."
  def child(type, input, options \\ []), do: :aion.child(type, plain(input), options(options))

  @doc "Waits for an activity or child handle: `{:ok, result}` or `{:error, reason}`."
  def await(handle), do: ok(:aion.await(handle))

  @doc "Runs every item (`{:activity, name, input}`, `{:child, type, input}`, ... or handles); results in order."
  def all(items), do: ok(:aion.all(items(items)))

  @doc """
  Runs the items together (activities, children, handles, in any mix) and
  answers for the first to settle as `await/1` would. Losing activities are
  cancelled; losing children keep running.
  """
  def race(items), do: ok(:aion.race(items(items)))

  @doc "Waits for the next signal `name`: `{:ok, payload}`; with a timeout, or `{:error, :timeout}`."
  def signal(name), do: ok(:aion.signal(name))
  def signal(name, timeout), do: ok(:aion.signal(name, timeout))

  @doc "Registers a query handler, `fn -> reply end` or `fn payload -> reply end`."
  def on_query(name, handler) when is_function(handler, 0),
    do: :aion.on_query(name, fn -> plain(handler.()) end)

  def on_query(name, handler) when is_function(handler, 1),
    do: :aion.on_query(name, fn payload -> plain(handler.(elixir(payload))) end)

  def on_query(name, handler), do: :aion.on_query(name, handler)

  @doc "Ends this run and starts the next with `input`."
  def continue_as_new(input), do: :aion.continue_as_new(plain(input))

  @doc "The workflow clock, milliseconds since the epoch (recorded)."
  def now, do: :aion.now()

  @doc "A float in [0, 1) (recorded)."
  def random, do: :aion.random()

  @doc "This workflow's id."
  def workflow_id, do: :aion.workflow_id()

  @doc "The JSON text of a term (structs as maps)."
  def encode(term), do: :aion.encode(plain(term))

  @doc "The term of a JSON text: maps with string keys."
  def decode(json), do: elixir(:aion.decode(json))

  # Structs become maps without `__struct__`, and nil null, all the way down.
  defp plain(nil), do: :null
  defp plain(%{__struct__: _} = struct), do: plain(:maps.remove(:__struct__, struct))
  defp plain(map) when is_map(map), do: :maps.map(fn _key, value -> plain(value) end, map)
  defp plain([head | tail]), do: [plain(head) | plain(tail)]
  defp plain(other), do: other

  # Decoded JSON as Elixir writes it: null is nil.
  defp elixir(:null), do: nil
  defp elixir(map) when is_map(map), do: :maps.map(fn _key, value -> elixir(value) end, map)
  defp elixir([head | tail]), do: [elixir(head) | elixir(tail)]
  defp elixir(other), do: other

  # Options as the Erlang library takes them: maps, with a keyword retry policy made a map too.
  defp options(options) when is_list(options), do: options(:maps.from_list(options))

  defp options(%{retry: retry} = options) when is_list(retry),
    do: options(%{options | retry: :maps.from_list(retry)})

  defp options(%{retry: %{backoff: backoff} = retry} = options) when is_list(backoff),
    do: %{options | retry: %{retry | backoff: :maps.from_list(backoff)}}

  defp options(options), do: options

  defp items([{:activity, name, input} | rest]), do: [{:activity, name, plain(input)} | items(rest)]

  defp items([{:activity, name, input, options} | rest]),
    do: [{:activity, name, plain(input), options(options)} | items(rest)]

  defp items([{:child, type, input} | rest]), do: [{:child, type, plain(input)} | items(rest)]

  defp items([{:child, type, input, options} | rest]),
    do: [{:child, type, plain(input), options(options)} | items(rest)]

  defp items([other | rest]), do: [other | items(rest)]
  defp items(other), do: other
end
