/**
 * Reading an original-API request body and its fields. Failures of the body
 * itself are plain-text rejections (415 content type, 413 size, 400 not JSON,
 * 422 a missing field or a field of the wrong type), like the original
 * server's extractor; a field that has the right type but a bad value (a
 * non-UUID id) is a JSON `invalid_input` (400), checked later.
 */
import { ApiError } from "../errors.ts";
import { MAX_JSON_BODY_BYTES, readBoundedBody } from "../limits.ts";
import { BodyRejection, CallerApiError } from "./errors.ts";
import { isUuid } from "./wire.ts";

/** A parsed request body (a JSON object). */
export type Body = Readonly<Record<string, unknown>>;

/** Reads the body: declared JSON, at most 2 MiB, UTF-8, one JSON object. @throws BodyRejection */
export async function readCallerBody(req: Request): Promise<Body> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new BodyRejection(415, "Expected request with `Content-Type: application/json`");
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBoundedBody(req, MAX_JSON_BODY_BYTES);
  } catch (e) {
    if (e instanceof ApiError && e.status === 413) throw new BodyRejection(413, e.message);
    throw new BodyRejection(400, e instanceof Error ? e.message : String(e));
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new BodyRejection(
      400,
      `Failed to parse the request body as JSON: ${(e as Error).message}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BodyRejection(422, "Failed to deserialize the JSON body: expected an object");
  }
  return value as Body;
}

function wrongType(key: string, expected: string): BodyRejection {
  return new BodyRejection(
    422,
    `Failed to deserialize the JSON body into the target type: ${key}: invalid type, expected ${expected}`,
  );
}

/** A required string field. @throws BodyRejection 422 */
export function requiredString(body: Body, key: string): string {
  const v = body[key];
  if (v === undefined) {
    throw new BodyRejection(
      422,
      `Failed to deserialize the JSON body into the target type: missing field \`${key}\``,
    );
  }
  if (typeof v !== "string") throw wrongType(key, "a string");
  return v;
}

/** An optional string field (absent or null: undefined). @throws BodyRejection 422 */
export function optionalString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw wrongType(key, "a string");
  return v;
}

/** An optional boolean field. @throws BodyRejection 422 */
export function optionalBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw wrongType(key, "a boolean");
  return v;
}

/** A workflow id: a UUID string. @throws CallerApiError invalid_input */
export function checkWorkflowId(id: string): string {
  if (!isUuid(id)) {
    throw new CallerApiError("invalid_input", `workflow_id '${id.slice(0, 100)}' is not a UUID`);
  }
  return id;
}

/** A run id: absent, null or "" mean the latest run; else a UUID. @throws CallerApiError */
export function checkRunId(id: string | undefined): string | undefined {
  if (id === undefined || id === "") return undefined;
  if (!isUuid(id)) {
    throw new CallerApiError("invalid_input", `run_id '${id.slice(0, 100)}' is not a UUID`);
  }
  return id;
}

/**
 * A payload: plain JSON, or the raw envelope `{content_type, bytes}` (both
 * keys present, `bytes` a byte array) holding JSON text. The engine's
 * payloads are JSON, so an envelope of another content type is refused.
 * @throws CallerApiError invalid_input
 */
export function payloadOf(value: unknown, what: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const o = value as Record<string, unknown>;
  if (!("content_type" in o) || !("bytes" in o)) return value;
  const ct = o.content_type;
  if (typeof ct !== "string" || !/json/i.test(ct)) {
    throw new CallerApiError("invalid_input", `${what}: only JSON payloads are supported here`);
  }
  const bytes = o.bytes;
  if (
    !Array.isArray(bytes) ||
    !bytes.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255)
  ) {
    throw new CallerApiError("invalid_input", `${what}: bytes must be an array of bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes as number[]));
  } catch {
    throw new CallerApiError("invalid_input", `${what}: bytes are not UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CallerApiError("invalid_input", `${what}: bytes are not a JSON document`);
  }
}
