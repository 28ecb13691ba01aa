/**
 * The loader's single error type. Every malformed, truncated or hostile input
 * surfaces as a {@link LoadError}; no other exception escapes `loadBeam`.
 */

export class LoadError extends Error {
  override readonly name = "LoadError";

  constructor(
    /** The file name given to `loadBeam` (or `"<memory>"`). */
    readonly file: string,
    /** Four-letter chunk id where the problem was found, or `"FOR1"` for the container. */
    readonly chunk: string,
    /** Absolute byte offset in the file where the problem was detected. */
    readonly offset: number,
    /** What is wrong, in words (no location; see {@link LoadError.toString}). */
    message: string,
  ) {
    super(message);
  }

  /** `LoadError: file: chunk at byte N: message`, for logs and the CLI. */
  override toString(): string {
    return `LoadError: ${this.file}: ${this.chunk} at byte ${this.offset}: ${this.message}`;
  }
}

/**
 * Where errors are reported from: the file, the chunk being decoded and the
 * chunk's absolute start, so decoders can raise with chunk-relative offsets.
 */
export class ErrorSite {
  constructor(
    readonly file: string,
    readonly chunk: string,
    /** Absolute offset of the chunk's first data byte. */
    readonly base: number,
  ) {}

  /** A LoadError at `pos` bytes into this chunk's data. */
  error(pos: number, message: string): LoadError {
    return new LoadError(this.file, this.chunk, this.base + pos, message);
  }
}
