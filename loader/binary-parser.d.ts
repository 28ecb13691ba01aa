/**
 * binary-parser ships typings, but its package.json "exports" hide them from
 * `moduleResolution: bundler`; point the bare specifier at them.
 */
declare module "binary-parser" {
  export { Parser } from "binary-parser/dist/binary_parser.js";
}
