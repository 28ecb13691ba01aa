/**
 * The symmetric ciphers of `crypto:crypto_one_time/4,5` (AES in CTR, CBC and
 * ECB modes) and `crypto:crypto_one_time_aead/6,7` (AES-GCM and
 * ChaCha20-Poly1305), over node:crypto where it has them. Failures are
 * {@link CipherFailure}s naming OTP's error so crypto.ts can raise the same
 * `{badarg, {File, Line}, Description}` term.
 */
import { type CipherGCM, createCipheriv, createDecipheriv, type DecipherGCM } from "node:crypto";
import { chachaPolyOpen, chachaPolySeal } from "./chacha20-poly1305.ts";

/** A failure as OTP's crypto NIFs report it. */
export class CipherFailure extends Error {
  constructor(
    readonly tag: "badarg" | "error",
    readonly file: string,
    readonly line: number,
    readonly description: string,
  ) {
    super(description);
  }
}

interface PlainCipher {
  readonly mode: "ctr" | "cbc" | "ecb";
  readonly keyBytes: number;
}

/** The non-AEAD ciphers accepted, by OTP name. */
export const PLAIN_CIPHERS: ReadonlyMap<string, PlainCipher> = new Map(
  (["ctr", "cbc", "ecb"] as const).flatMap((mode) =>
    [128, 192, 256].map((bits): [string, PlainCipher] => [
      `aes_${bits}_${mode}`,
      { mode, keyBytes: bits / 8 },
    ]),
  ),
);

/** The AEAD ciphers accepted, by OTP name, with their key size. */
export const AEAD_CIPHERS: ReadonlyMap<string, number> = new Map([
  ["aes_128_gcm", 16],
  ["aes_192_gcm", 24],
  ["aes_256_gcm", 32],
  ["chacha20_poly1305", 32],
]);

/** Padding of a block mode: none (only whole blocks are processed) or PKCS #7. */
export type Padding = "none" | "pkcs";

/** `crypto_one_time` for a CTR/CBC/ECB cipher; `iv` is null for ECB. */
export function oneTime(
  name: string,
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
  encrypt: boolean,
  padding: Padding,
): Uint8Array {
  const c = PLAIN_CIPHERS.get(name);
  if (c === undefined) throw new CipherFailure("badarg", "api_ng.c", 242, "Unknown cipher");
  if (key.length !== c.keyBytes) throw new CipherFailure("badarg", "api_ng.c", 244, "Bad key size");
  if (c.mode !== "ecb" && (iv === null || iv.length !== 16))
    throw new CipherFailure("badarg", "api_ng.c", 310, "Bad iv size");
  const nodeName = `aes-${c.keyBytes * 8}-${c.mode}`;
  const ivArg = c.mode === "ecb" ? null : iv;
  const cipher = encrypt
    ? createCipheriv(nodeName, key, ivArg)
    : createDecipheriv(nodeName, key, ivArg);
  const block = c.mode === "ctr" ? 1 : 16;
  const pkcs = padding === "pkcs" && block > 1;
  cipher.setAutoPadding(pkcs);
  // Without padding OTP processes only whole blocks and drops the rest.
  const input = pkcs ? data : data.subarray(0, data.length - (data.length % block));
  try {
    return new Uint8Array(Buffer.concat([cipher.update(input), cipher.final()]));
  } catch {
    throw new CipherFailure("error", "api_ng.c", 0, "Can't finalize");
  }
}

/** `crypto_one_time_aead` encryption: ciphertext and a tag of `tagLength` bytes. */
export function aeadSeal(
  name: string,
  key: Uint8Array,
  iv: Uint8Array,
  plain: Uint8Array,
  aad: Uint8Array,
  tagLength: number,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  checkAead(name, key, iv);
  if (tagLength < 1 || tagLength > 16)
    throw new CipherFailure("error", "aead.c", 156, "Can't get Tag");
  if (name === "chacha20_poly1305") {
    const r = chachaPolySeal(key, iv, plain, aad);
    return { ciphertext: r.ciphertext, tag: r.tag.subarray(0, tagLength) };
  }
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as "aes-128-gcm", key, iv) as CipherGCM;
  c.setAAD(aad);
  const ciphertext = new Uint8Array(Buffer.concat([c.update(plain), c.final()]));
  return { ciphertext, tag: new Uint8Array(c.getAuthTag()).subarray(0, tagLength) };
}

/** `crypto_one_time_aead` decryption: the plaintext, or null when the tag does not match. */
export function aeadOpen(
  name: string,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  tag: Uint8Array,
): Uint8Array | null {
  checkAead(name, key, iv);
  if (name === "chacha20_poly1305") return chachaPolyOpen(key, iv, ciphertext, aad, tag);
  if (tag.length < 4 || tag.length > 16) return null;
  try {
    const d = createDecipheriv(`aes-${key.length * 8}-gcm` as "aes-128-gcm", key, iv, {
      authTagLength: tag.length,
    }) as DecipherGCM;
    d.setAAD(aad);
    d.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]));
  } catch {
    return null;
  }
}

function checkAead(name: string, key: Uint8Array, iv: Uint8Array): void {
  const keyBytes = AEAD_CIPHERS.get(name);
  if (keyBytes === undefined || key.length !== keyBytes)
    throw new CipherFailure("badarg", "aead.c", 90, "Unknown cipher or invalid key size");
  const ivOk = name === "chacha20_poly1305" ? iv.length === 12 : iv.length > 0;
  if (!ivOk) throw new CipherFailure("badarg", "aead.c", 111, "Bad IV length");
}
