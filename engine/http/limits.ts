/**
 * Request limits: body sizes and the shape of ids and names in requests.
 * Checked before any work, so a hostile request costs a bounded amount of
 * memory and never reaches the engine.
 */
import { DEFAULT_MAX_PACKAGE_BYTES, MAX_ID_LENGTH } from "../store/index.ts";
import { ApiError } from "./errors.ts";

/** Largest JSON request body: the store's payload limit (2 MiB). */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;
/** Largest package upload: the store's package limit (64 MiB). */
export const MAX_PACKAGE_BODY_BYTES = DEFAULT_MAX_PACKAGE_BYTES;

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "body_too_large", `request body exceeds the ${limit}-byte limit`);
}

/**
 * The request body, at most `limit` bytes. A declared `Content-Length` over
 * the limit is refused before reading; otherwise (chunked or undeclared) the
 * bytes are counted as they arrive and reading stops at the limit.
 * @throws ApiError 413 `body_too_large`, 400 for a malformed Content-Length
 */
export async function readBoundedBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null) {
    if (!/^\d+$/.test(declared.trim())) {
      throw new ApiError(400, "bad-request", `malformed content-length '${declared}'`);
    }
    if (Number(declared) > limit) throw tooLarge(limit);
  }
  if (req.body === null) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** C0 and C1 control characters and DEL: they corrupt logs and terminals. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A workflow id, type, signal or query name from a request: non-empty, at
 * most 1,024 characters, no control characters.
 * @throws ApiError 400 `bad-request` naming `what`
 */
export function checkRequestName(value: string, what: string): string {
  if (value.length === 0) throw new ApiError(400, "bad-request", `${what} is empty`);
  if (value.length > MAX_ID_LENGTH) {
    throw new ApiError(400, "bad-request", `${what} is longer than ${MAX_ID_LENGTH} characters`);
  }
  if (CONTROL.test(value)) {
    throw new ApiError(400, "bad-request", `${what} contains control characters`);
  }
  return value;
}
