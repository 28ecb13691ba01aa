/** The shape every `aion` subcommand module exports as `command`. */
export interface Command {
  /** One line for `aion help`. */
  readonly summary: string;
  /** Usage line(s) shown by `aion help NAME` and on bad arguments. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit status. */
  run(args: readonly string[]): Promise<number>;
}
