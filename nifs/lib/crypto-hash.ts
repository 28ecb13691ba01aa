/**
 * The digests `crypto` knows, mapped to node:crypto's names, with the facts
 * `crypto:hash_info/1` reports (OpenSSL's NID as `type`, sizes in bytes),
 * and HMAC over any of them. HMAC is computed here from the digest (RFC 2104)
 * for the BLAKE2 digests, which Bun's createHmac does not accept but OTP does.
 */
import { createHash, createHmac, type Hash } from "node:crypto";

/** One digest: its node:crypto name and what hash_info/1 says about it. */
export interface Digest {
  readonly node: string;
  /** OpenSSL's numeric id (NID), reported by OTP as `type`. */
  readonly nid: number;
  readonly size: number;
  readonly blockSize: number;
  /** Whether node's createHmac accepts it (else HMAC is built from the digest). */
  readonly nodeHmac: boolean;
}

/** The digests supported, in the order `crypto:supports(hashs)` lists them. */
export const DIGESTS: ReadonlyMap<string, Digest> = new Map<string, Digest>([
  ["blake2s", { node: "blake2s256", nid: 1057, size: 32, blockSize: 64, nodeHmac: false }],
  ["blake2b", { node: "blake2b512", nid: 1056, size: 64, blockSize: 128, nodeHmac: false }],
  ["sha3_512", { node: "sha3-512", nid: 1099, size: 64, blockSize: 72, nodeHmac: true }],
  ["sha3_384", { node: "sha3-384", nid: 1098, size: 48, blockSize: 104, nodeHmac: true }],
  ["sha3_256", { node: "sha3-256", nid: 1097, size: 32, blockSize: 136, nodeHmac: true }],
  ["sha3_224", { node: "sha3-224", nid: 1096, size: 28, blockSize: 144, nodeHmac: true }],
  ["sha512", { node: "sha512", nid: 674, size: 64, blockSize: 128, nodeHmac: true }],
  ["sha384", { node: "sha384", nid: 673, size: 48, blockSize: 128, nodeHmac: true }],
  ["sha256", { node: "sha256", nid: 672, size: 32, blockSize: 64, nodeHmac: true }],
  ["sha224", { node: "sha224", nid: 675, size: 28, blockSize: 64, nodeHmac: true }],
  ["sha", { node: "sha1", nid: 64, size: 20, blockSize: 64, nodeHmac: true }],
  ["ripemd160", { node: "ripemd160", nid: 117, size: 20, blockSize: 64, nodeHmac: true }],
  ["md5", { node: "md5", nid: 4, size: 16, blockSize: 64, nodeHmac: true }],
  ["md4", { node: "md4", nid: 257, size: 16, blockSize: 64, nodeHmac: true }],
]);

/** A fresh streaming hash for a digest. */
export function newHash(d: Digest): Hash {
  return createHash(d.node);
}

/** The digest of `data` in one go. */
export function digestOf(d: Digest, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(d.node).update(data).digest());
}

/** HMAC of `data` under `key` with digest `d`. */
export function hmac(d: Digest, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (d.nodeHmac) return new Uint8Array(createHmac(d.node, key).update(data).digest());
  // RFC 2104: a key longer than a block is hashed first, then zero-padded to one block.
  const k = new Uint8Array(d.blockSize);
  k.set(key.length > d.blockSize ? digestOf(d, key) : key);
  const inner = createHash(d.node);
  const outer = createHash(d.node);
  const ipad = k.map((b) => b ^ 0x36);
  const opad = k.map((b) => b ^ 0x5c);
  inner.update(ipad).update(data);
  outer.update(opad).update(inner.digest());
  return new Uint8Array(outer.digest());
}
