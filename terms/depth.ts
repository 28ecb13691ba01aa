/**
 * The error of term walkers that keep a depth bound instead of an explicit
 * stack (the `~p` layout, whose passes are mutually recursive). Throwing it
 * replaces a JS stack overflow, which could strike anywhere, with a typed
 * error the VM turns into Erlang's `system_limit`.
 */

/** A term nested deeper than a walker supports. */
export class TermTooDeepError extends Error {
  constructor(
    /** The walker, e.g. `"~p"`. */
    readonly walker: string,
    /** The deepest nesting it supports. */
    readonly limit: number,
  ) {
    super(`${walker}: term nested deeper than ${limit} levels`);
    this.name = "TermTooDeepError";
  }
}
