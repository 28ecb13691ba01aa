/**
 * ChaCha20-Poly1305 (RFC 8439), written here because Bun's node:crypto does
 * not provide it and `crypto:crypto_one_time_aead(chacha20_poly1305, ...)`
 * must work for workflows. Payloads are small (messages, tokens), so the
 * Poly1305 arithmetic uses bigints for clarity rather than speed.
 */

/** One ChaCha20 quarter round on the state words a, b, c, d. */
function quarterRound(s: Uint32Array, a: number, b: number, c: number, d: number): void {
  s[a] = (s[a]! + s[b]!) >>> 0;
  s[d] = rotl(s[d]! ^ s[a]!, 16);
  s[c] = (s[c]! + s[d]!) >>> 0;
  s[b] = rotl(s[b]! ^ s[c]!, 12);
  s[a] = (s[a]! + s[b]!) >>> 0;
  s[d] = rotl(s[d]! ^ s[a]!, 8);
  s[c] = (s[c]! + s[d]!) >>> 0;
  s[b] = rotl(s[b]! ^ s[c]!, 7);
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** The 64-byte keystream block for (key, counter, 12-byte nonce). */
function chachaBlock(key: Uint8Array, counter: number, nonce: Uint8Array): Uint8Array {
  const init = new Uint32Array(16);
  // "expand 32-byte k" as four little-endian words.
  init[0] = 0x61707865;
  init[1] = 0x3320646e;
  init[2] = 0x79622d32;
  init[3] = 0x6b206574;
  const kv = new DataView(key.buffer, key.byteOffset, 32);
  for (let i = 0; i < 8; i++) init[4 + i] = kv.getUint32(4 * i, true);
  init[12] = counter >>> 0;
  const nv = new DataView(nonce.buffer, nonce.byteOffset, 12);
  for (let i = 0; i < 3; i++) init[13 + i] = nv.getUint32(4 * i, true);
  const s = init.slice();
  for (let round = 0; round < 10; round++) {
    quarterRound(s, 0, 4, 8, 12);
    quarterRound(s, 1, 5, 9, 13);
    quarterRound(s, 2, 6, 10, 14);
    quarterRound(s, 3, 7, 11, 15);
    quarterRound(s, 0, 5, 10, 15);
    quarterRound(s, 1, 6, 11, 12);
    quarterRound(s, 2, 7, 8, 13);
    quarterRound(s, 3, 4, 9, 14);
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(4 * i, (s[i]! + init[i]!) >>> 0, true);
  return out;
}

/** `data` XORed with the ChaCha20 keystream starting at block `counter`. */
function chachaXor(
  key: Uint8Array,
  nonce: Uint8Array,
  counter: number,
  data: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let off = 0, n = counter; off < data.length; off += 64, n++) {
    const ks = chachaBlock(key, n, nonce);
    const end = Math.min(64, data.length - off);
    for (let i = 0; i < end; i++) out[off + i] = data[off + i]! ^ ks[i]!;
  }
  return out;
}

/** A little-endian unsigned integer from bytes. */
function leInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

const P1305 = (1n << 130n) - 5n;

/** The Poly1305 one-time authenticator of `msg` under a 32-byte key. */
function poly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const r = leInt(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leInt(key.subarray(16, 32));
  let acc = 0n;
  for (let off = 0; off < msg.length; off += 16) {
    const chunk = msg.subarray(off, Math.min(off + 16, msg.length));
    const n = leInt(chunk) | (1n << BigInt(8 * chunk.length));
    acc = ((acc + n) * r) % P1305;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(tag & 0xffn);
    tag >>= 8n;
  }
  return out;
}

/** The Poly1305 input: AAD and ciphertext, each zero-padded to 16 bytes, then both lengths. */
function macData(aad: Uint8Array, ct: Uint8Array): Uint8Array {
  const pad = (n: number) => (16 - (n % 16)) % 16;
  const total = aad.length + pad(aad.length) + ct.length + pad(ct.length) + 16;
  const out = new Uint8Array(total);
  out.set(aad, 0);
  const ctAt = aad.length + pad(aad.length);
  out.set(ct, ctAt);
  const v = new DataView(out.buffer);
  v.setBigUint64(total - 16, BigInt(aad.length), true);
  v.setBigUint64(total - 8, BigInt(ct.length), true);
  return out;
}

/** The full 16-byte tag for a ciphertext. */
function aeadTag(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  const polyKey = chachaBlock(key, 0, nonce).subarray(0, 32);
  return poly1305(polyKey, macData(aad, ct));
}

/** Encrypts: the ciphertext and the 16-byte tag (key 32 bytes, nonce 12). */
export function chachaPolySeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plain: Uint8Array,
  aad: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  const ciphertext = chachaXor(key, nonce, 1, plain);
  return { ciphertext, tag: aeadTag(key, nonce, aad, ciphertext) };
}

/**
 * Decrypts and checks `tag` (which may be a truncated tag, compared on its
 * own length); null when it does not match.
 */
export function chachaPolyOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  tag: Uint8Array,
): Uint8Array | null {
  const expected = aeadTag(key, nonce, aad, ciphertext);
  if (tag.length === 0 || tag.length > 16) return null;
  let diff = 0;
  for (let i = 0; i < tag.length; i++) diff |= expected[i]! ^ tag[i]!;
  return diff === 0 ? chachaXor(key, nonce, 1, ciphertext) : null;
}
