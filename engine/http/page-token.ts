/**
 * The opaque page tokens of the workflow lists (`next` / `prev` in answers,
 * `cursor` in requests): a keyset position and the direction to read from
 * it, as base64url JSON. Opaque so callers never build one (the format may
 * change); decoded strictly so a damaged or forged token is a 400 naming the
 * parameter, never a store error.
 */
import { MAX_ID_LENGTH, type QueryCursor, type QueryOrder } from "../store/index.ts";
import { ApiError } from "./errors.ts";

/** Where a page continues: the rows strictly after `after` in `order`. */
export interface PageToken {
  readonly order: QueryOrder;
  readonly after: QueryCursor;
}

/** Format version inside the token, so an old token is refused clearly if it ever changes. */
const VERSION = 1;
/** Longest token accepted: a 1024-character id, escaped, base64url'd, fits with room. */
const MAX_TOKEN_LENGTH = 16_384;

/** The token for "the rows after `row` in `order`". */
export function encodePageToken(order: QueryOrder, row: QueryCursor): string {
  const json = JSON.stringify([VERSION, order, row.startTime, row.workflowId]);
  return Buffer.from(json, "utf8").toString("base64url");
}

/** Reads a token from parameter `param`. @throws ApiError 400 */
export function decodePageToken(raw: string, param: string): PageToken {
  const bad = (): ApiError =>
    new ApiError(
      400,
      "bad-request",
      `'${param}' is not a page token from this server (use the 'next' or 'prev' of an answer)`,
    );
  if (raw.length === 0 || raw.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw bad();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw bad();
  const [version, order, startTime, workflowId] = parsed as unknown[];
  if (version !== VERSION || (order !== "asc" && order !== "desc")) throw bad();
  if (typeof startTime !== "number" || !Number.isSafeInteger(startTime) || startTime < 0) {
    throw bad();
  }
  if (typeof workflowId !== "string" || workflowId.length === 0) throw bad();
  if (workflowId.length > MAX_ID_LENGTH) throw bad();
  return { order, after: { startTime, workflowId } };
}
