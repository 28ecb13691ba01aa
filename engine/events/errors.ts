/**
 * Errors raised by the event model: payload helpers and the event codec.
 *
 * Both carry a machine-readable `reason` so callers can branch without parsing
 * messages.
 */

/** Why a payload could not be built or read. */
export type PayloadErrorReason = "unserializable" | "not-json" | "invalid-json";

/** A payload could not be encoded from, or decoded to, a JSON value. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
  readonly reason: PayloadErrorReason;

  constructor(reason: PayloadErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * Why stored event bytes could not be decoded.
 *
 * - `unknown-version`: the bytes declare a format version this build cannot read
 *   (written by a newer engine, or garbage in the version byte).
 * - `corrupt`: the bytes are truncated, fail their checksum, or do not describe
 *   a well-formed event.
 */
export type EventDecodeReason = "unknown-version" | "corrupt";

/** Stored event bytes could not be turned back into an event. */
export class EventDecodeError extends Error {
  override readonly name = "EventDecodeError";
  readonly reason: EventDecodeReason;
  /** The format version found in the bytes, when one could be read. */
  readonly version: number | undefined;

  constructor(
    reason: EventDecodeReason,
    message: string,
    version?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.reason = reason;
    this.version = version;
  }
}

/** An event object does not match the shape its `kind` requires. */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
  /** Dotted path of the offending field, e.g. `event.input.bytes`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}
