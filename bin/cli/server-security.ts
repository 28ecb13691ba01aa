/**
 * The security flags of `aion serve`: where its bearer tokens come from
 * (`--tokens FILE`, else the `AION_TOKENS` environment variable — the only
 * place the server reads it) and which extra Host names it answers to. The
 * policy is built before anything is opened, so a refused configuration
 * (a public bind without tokens, a malformed token file) touches nothing.
 */
import { readFileSync, statSync } from "node:fs";
import {
  type HttpSecurity,
  httpSecurity,
  InsecureBindError,
  TokenConfigError,
  TokenSet,
} from "../../engine/http/index.ts";
import { usageError } from "./errors.ts";

/** What the flags say. */
export interface SecurityFlags {
  readonly host: string;
  /** `--tokens FILE`, if given. */
  readonly tokensFile: string | undefined;
  /** `--allow-host NAME`, every occurrence. */
  readonly allowHosts: readonly string[];
  /** The environment to read `AION_TOKENS` from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where warnings go. */
  readonly warn: (line: string) => void;
}

/** Reads the tokens the flags name, if any. @throws CliError */
function loadTokens(f: SecurityFlags): TokenSet | undefined {
  try {
    if (f.tokensFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(f.tokensFile, "utf8");
      } catch (e) {
        throw usageError(`--tokens: cannot read ${f.tokensFile}: ${(e as Error).message}`);
      }
      // Tokens are secrets: say so when other users can read the file.
      if ((statSync(f.tokensFile).mode & 0o077) !== 0) {
        f.warn(`${f.tokensFile} is readable by other users; chmod 600 it`);
      }
      return TokenSet.parse(text, f.tokensFile);
    }
    const env = f.env.AION_TOKENS;
    return env === undefined || env.trim() === "" ? undefined : TokenSet.parse(env, "AION_TOKENS");
  } catch (e) {
    if (e instanceof TokenConfigError) throw usageError(e.message);
    throw e;
  }
}

/** The server's policy. @throws CliError usage (bad tokens, a public bind without tokens) */
export function serverSecurity(f: SecurityFlags): HttpSecurity {
  const tokens = loadTokens(f);
  try {
    return httpSecurity({
      bindHost: f.host,
      allowHosts: f.allowHosts,
      ...(tokens ? { tokens } : {}),
    });
  } catch (e) {
    if (e instanceof InsecureBindError) throw usageError(e.message);
    throw e;
  }
}
