/**
 * Bearer tokens: parsing the token configuration (`aion serve --tokens FILE`
 * or `AION_TOKENS`) and recognising a presented token in constant time.
 *
 * The configuration is one JSON document:
 *
 * ```json
 * {"tokens": [
 *   {"token": "…at least 16 characters…", "subject": "ci", "namespaces": ["default"], "deploy": false},
 *   {"token": "…", "subject": "ops", "namespaces": "*", "deploy": true}
 * ]}
 * ```
 *
 * Only SHA-256 digests of the tokens are kept. A presented token is hashed
 * and compared with every digest using `timingSafeEqual`, without stopping
 * at a match, so neither the comparison nor the position of the matching
 * entry shows in the response time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { NAMESPACE_PATTERN } from "../store/index.ts";
import { ALL_NAMESPACES, type Caller } from "./caller.ts";

/** Shortest accepted token: guessing must stay out of reach. */
export const MIN_TOKEN_LENGTH = 16;
/** Longest accepted token (a header value, not a document). */
export const MAX_TOKEN_LENGTH = 4096;
/** What a token may contain: visible ASCII, so it survives any header. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
const KNOWN_KEYS: ReadonlySet<string> = new Set(["token", "subject", "namespaces", "deploy"]);

/** The token configuration is malformed; the message names where. */
export class TokenConfigError extends Error {
  override readonly name = "TokenConfigError";
  constructor(
    readonly source: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${source}: ${path}: ${problem}`);
  }
}

interface Entry {
  readonly digest: Buffer;
  readonly caller: Caller;
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** A set of configured tokens. */
export class TokenSet {
  readonly #entries: readonly Entry[];

  private constructor(entries: readonly Entry[]) {
    this.#entries = entries;
  }

  /**
   * Parses a configuration document (see the file comment).
   * @param source names the document in errors (a file path or `AION_TOKENS`).
   * @throws TokenConfigError naming the offending entry and field
   */
  static parse(text: string, source: string): TokenSet {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new TokenConfigError(source, "$", `not JSON (${(e as Error).message})`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new TokenConfigError(source, "$", 'must be an object {"tokens": [...]}');
    }
    const list = (doc as { tokens?: unknown }).tokens;
    if (!Array.isArray(list) || list.length === 0) {
      throw new TokenConfigError(source, "tokens", "must be a non-empty array");
    }
    const seen = new Set<string>();
    const entries = list.map((raw: unknown, i) => {
      const path = `tokens[${i}]`;
      const entry = parseEntry(raw, source, path);
      const key = entry.digest.toString("hex");
      if (seen.has(key)) throw new TokenConfigError(source, `${path}.token`, "duplicate token");
      seen.add(key);
      return entry;
    });
    return new TokenSet(entries);
  }

  /** How many tokens are configured. */
  get size(): number {
    return this.#entries.length;
  }

  /** The caller a presented token stands for, or undefined when it is not configured. */
  authenticate(presented: string): Caller | undefined {
    const d = digest(presented);
    let found: Caller | undefined;
    for (const e of this.#entries) {
      // Every entry is compared; the match only selects, it never ends the loop.
      const same = timingSafeEqual(d, e.digest);
      if (same && found === undefined) found = e.caller;
    }
    return found;
  }
}

function parseEntry(raw: unknown, source: string, path: string): Entry {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TokenConfigError(source, path, "must be an object");
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN_KEYS.has(k)) {
      throw new TokenConfigError(
        source,
        `${path}.${k}`,
        "unknown field (token, subject, namespaces, deploy)",
      );
    }
  }
  const token = o.token;
  if (
    typeof token !== "string" ||
    token.length < MIN_TOKEN_LENGTH ||
    token.length > MAX_TOKEN_LENGTH ||
    !TOKEN_CHARS.test(token)
  ) {
    throw new TokenConfigError(
      source,
      `${path}.token`,
      `must be ${MIN_TOKEN_LENGTH}-${MAX_TOKEN_LENGTH} visible ASCII characters (no spaces)`,
    );
  }
  const subject = o.subject ?? `token-${path.slice(7, -1)}`;
  if (typeof subject !== "string" || subject.length === 0 || subject.length > 256) {
    throw new TokenConfigError(source, `${path}.subject`, "must be a string of 1-256 characters");
  }
  const deploy = o.deploy ?? false;
  if (typeof deploy !== "boolean") {
    throw new TokenConfigError(source, `${path}.deploy`, "must be true or false");
  }
  return {
    digest: digest(token),
    caller: { subject, deploy, namespaces: parseGrants(o, source, path) },
  };
}

function parseGrants(
  o: Record<string, unknown>,
  source: string,
  path: string,
): Caller["namespaces"] {
  const ns = o.namespaces;
  if (ns === ALL_NAMESPACES) return ALL_NAMESPACES;
  const problem = `must be "*" or a non-empty list of namespace names (${NAMESPACE_PATTERN.source})`;
  if (!Array.isArray(ns) || ns.length === 0) {
    throw new TokenConfigError(source, `${path}.namespaces`, problem);
  }
  for (const [i, n] of ns.entries()) {
    if (typeof n !== "string" || !NAMESPACE_PATTERN.test(n)) {
      throw new TokenConfigError(source, `${path}.namespaces[${i}]`, problem);
    }
  }
  return new Set(ns as string[]);
}
