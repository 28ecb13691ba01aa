/**
 * Who is calling: the identity a request acts as once authenticated, and
 * what it may touch. Namespaces are the unit of isolation; deploying a
 * package is a grant of its own because a package is code the server runs.
 */

/** Every namespace (an operator). */
export const ALL_NAMESPACES = "*";

/** An authenticated caller. */
export interface Caller {
  /** A label for people (the token's subject); never used for decisions. */
  readonly subject: string;
  /** The namespaces it may use, or `*` for all. */
  readonly namespaces: typeof ALL_NAMESPACES | ReadonlySet<string>;
  /** Whether it may upload packages and move routes (code execution). */
  readonly deploy: boolean;
}

/** Whether `caller` holds a grant for `namespace`. */
export function mayUseNamespace(caller: Caller, namespace: string): boolean {
  return caller.namespaces === ALL_NAMESPACES || caller.namespaces.has(namespace);
}

/**
 * The caller restricted to `only` (from `x-aion-namespaces`): a caller can
 * give up grants for one request, never gain any.
 */
export function narrowCaller(caller: Caller, only: readonly string[]): Caller {
  const kept = only.filter((ns) => mayUseNamespace(caller, ns));
  return { ...caller, namespaces: new Set(kept) };
}

/** The JSON form of a caller (`GET /v1/whoami`). */
export function callerJson(caller: Caller): {
  subject: string;
  namespaces: string | string[];
  deploy: boolean;
} {
  return {
    subject: caller.subject,
    namespaces:
      caller.namespaces === ALL_NAMESPACES ? ALL_NAMESPACES : [...caller.namespaces].sort(),
    deploy: caller.deploy,
  };
}
