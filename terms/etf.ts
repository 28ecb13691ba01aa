/**
 * External Term Format: `binary_to_term` / `term_to_binary` and the loader's
 * literal tables. Decoder and encoder live in their own files.
 */
export {
  DEFAULT_MAX_INFLATED,
  type DecodeOptions,
  decodeExternalTerm,
  decodeExternalTermAt,
} from "./etf-decode.ts";
export { type EncodeOptions, encodeExternalTerm } from "./etf-encode.ts";
export { EtfError } from "./etf-tags.ts";
