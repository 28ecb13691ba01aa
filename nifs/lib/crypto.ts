/**
 * `crypto`: digests, HMAC, AES and ChaCha20-Poly1305 encryption, random bytes
 * and helpers, over node:crypto (see crypto-hash.ts, crypto-cipher.ts).
 * Errors are OTP 25's terms: plain `badarg` where OTP's Erlang code fails
 * (e.g. `iolist_to_binary` of the data), and `{badarg, {File, Line}, Text}`
 * where OTP's NIF reports one, so code matching on them sees the same term.
 *
 * Hash and MAC states are references mapped to a JS object: updating returns
 * a new state and leaves the old one usable, as OTP does.
 * `strong_rand_bytes/1` and `rand_uniform/2` read host randomness; the
 * workflow sandbox refuses them (a workflow uses `aion_flow_ffi:random`).
 */
import { randomBytes, randomInt } from "node:crypto";
import { A, Atom, atom } from "../../terms/atom.ts";
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { listFromArray, stringToList } from "../../terms/list.ts";
import { mapFromPairs } from "../../terms/map.ts";
import { Cons, NIL, Ref, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { ioToBitString } from "../erlang/iolist.ts";
import {
  AEAD_CIPHERS,
  aeadOpen,
  aeadSeal,
  CipherFailure,
  oneTime,
  type Padding,
  PLAIN_CIPHERS,
} from "./crypto-cipher.ts";
import { DIGESTS, type Digest, digestOf, hmac, newHash } from "./crypto-hash.ts";
import { badarg, fclause, raise } from "./util.ts";

/** `{badarg | error, {File, Line}, Text}` as OTP's crypto NIFs raise. */
function nifError(tag: string, file: string, line: number, text: string): never {
  return raise([atom(tag), [stringToList(file), line], stringToList(text)]);
}

/** Runs a cipher operation, turning its failure into OTP's error term. */
function cipherCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CipherFailure) return nifError(e.tag, e.file, e.line, e.description);
    throw e;
  }
}

/** The bytes of iodata, or null when it is not iodata. */
function iodata(t: Term): Uint8Array | null {
  if (t instanceof BitString) return (t.size & 7) === 0 ? t.bytes() : null;
  if (!(t instanceof Cons) && t !== NIL) return null;
  const flat = ioToBitString(t, false);
  return flat === null ? null : flat.buf;
}

/** The bytes of iodata, else plain `badarg`. */
function bytesArg(t: Term): Uint8Array {
  return iodata(t) ?? badarg();
}

const bin = (b: Uint8Array): BitString => binaryFromBytes(b);

function digestArg(t: Term, line: number): Digest {
  const d = t instanceof Atom ? DIGESTS.get(t.name) : undefined;
  return d ?? nifError("badarg", "hash.c", line, "Bad digest type");
}

function hmacDigestArg(t: Term): Digest {
  const d = t instanceof Atom ? DIGESTS.get(t.name) : undefined;
  return d ?? nifError("badarg", "mac.c", 263, "Bad digest algorithm for HMAC");
}

/** A streaming hash state: the digest and the data hashed so far. */
interface HashState {
  readonly digest: Digest;
  readonly hash: ReturnType<typeof newHash>;
}

/** A streaming HMAC state: everything needed to compute the MAC at the end. */
interface MacState {
  readonly digest: Digest;
  readonly key: Uint8Array;
  readonly chunks: readonly Uint8Array[];
}

const hashStates = new WeakMap<Ref, HashState>();
const macStates = new WeakMap<Ref, MacState>();

function newState<S>(p: Process, table: WeakMap<Ref, S>, s: S): Ref {
  const ref = p.vm.makeRef();
  table.set(ref, s);
  return ref;
}

function hashStateArg(t: Term, line: number): HashState {
  const s = t instanceof Ref ? hashStates.get(t) : undefined;
  return s ?? nifError("badarg", "hash.c", line, "Bad state");
}

function macStateArg(t: Term): MacState {
  const s = t instanceof Ref ? macStates.get(t) : undefined;
  return s ?? nifError("badarg", "mac.c", 0, "Bad state");
}

function macKind(t: Term): void {
  if (t !== HMAC) nifError("badarg", "mac.c", 233, "Unknown mac algorithm");
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** The HMAC of `data` (iodata, else OTP's "Bad text"). */
function macOf(hashT: Term, keyT: Term, dataT: Term): Uint8Array {
  const d = hmacDigestArg(hashT);
  const key = bytesArg(keyT);
  const data = iodata(dataT) ?? nifError("badarg", "mac.c", 175, "Bad text");
  return hmac(d, key, data);
}

/** A MAC truncated to `n` bytes; longer than the MAC is `badarg`. */
function truncated(mac: Uint8Array, n: Term): BitString {
  if (typeof n !== "number" || n < 0 || n > mac.length) return badarg();
  return bin(mac.subarray(0, n));
}

const HMAC = atom("hmac");
const ENCRYPT = atom("encrypt");
const PADDING = atom("padding");

/** `true | false | [{encrypt, B} | {padding, P}]` as crypto_one_time takes it. */
function oneTimeOptions(t: Term): { encrypt: boolean; padding: Padding } {
  if (t === A.true || t === A.false) return { encrypt: t === A.true, padding: "none" };
  const opts: Term[] = [];
  let x = t;
  while (x instanceof Cons) {
    opts.push(x.head);
    x = x.tail;
  }
  if (x !== NIL) nifError("badarg", "api_ng.c", 120, "Options are not a boolean or a proper list");
  let encrypt = true;
  let padding: Padding = "none";
  for (const o of opts) {
    if (
      Array.isArray(o) &&
      o.length === 2 &&
      o[0] === ENCRYPT &&
      (o[1] === A.true || o[1] === A.false)
    )
      encrypt = o[1] === A.true;
    else if (Array.isArray(o) && o.length === 2 && o[0] === PADDING) {
      const v = o[1] instanceof Atom ? o[1].name : "";
      if (v === "none") padding = "none";
      else if (v === "pkcs_padding") padding = "pkcs";
      else nifError("badarg", "api_ng.c", 168, "Bad 'padding' option value");
    } else nifError("badarg", "api_ng.c", 0, "Bad option");
  }
  return { encrypt, padding };
}

function cipherName(t: Term): string {
  if (!(t instanceof Atom)) return nifError("badarg", "api_ng.c", 242, "Unknown cipher");
  if (AEAD_CIPHERS.has(t.name))
    nifError("badarg", "api_ng.c", 250, "Missing arguments for this cipher");
  return t.name;
}

function oneTimeCall(c: Term, k: Term, iv: Term | null, data: Term, flags: Term): BitString {
  const name = cipherName(c);
  const key = bytesArg(k);
  const ivBytes = iv === null ? null : bytesArg(iv);
  const input = bytesArg(data);
  const { encrypt, padding } = oneTimeOptions(flags);
  return bin(cipherCall(() => oneTime(name, key, ivBytes, input, encrypt, padding)));
}

function aeadName(t: Term): string {
  if (t instanceof Atom && AEAD_CIPHERS.has(t.name)) return t.name;
  if (t instanceof Atom && PLAIN_CIPHERS.has(t.name))
    return raise([A.badarg, stringToList("Not an AEAD cipher")]);
  return raise([A.badarg, stringToList("Not an AEAD cipher")]);
}

function aeadText(t: Term): Uint8Array {
  return iodata(t) ?? nifError("badarg", "aead.c", 67, "non-binary text");
}

function aeadCall(
  c: Term,
  k: Term,
  iv: Term,
  text: Term,
  aad: Term,
  tagOrLen: Term,
  enc: Term,
): Term {
  const name = aeadName(c);
  const key = bytesArg(k);
  const ivBytes = bytesArg(iv);
  const input = aeadText(text);
  const aadBytes = bytesArg(aad);
  if (enc === A.true) {
    if (typeof tagOrLen !== "number") return badarg();
    const r = cipherCall(() => aeadSeal(name, key, ivBytes, input, aadBytes, tagOrLen));
    return [bin(r.ciphertext), bin(r.tag)];
  }
  if (enc !== A.false) return badarg();
  const tag = bytesArg(tagOrLen);
  const plain = cipherCall(() => aeadOpen(name, key, ivBytes, input, aadBytes, tag));
  return plain === null ? A.error : bin(plain);
}

const atoms = (names: readonly string[]): Term => listFromArray(names.map((n) => atom(n)));

/** What `supports/1` lists for each key (only what this VM implements). */
function supported(kind: string): Term | null {
  switch (kind) {
    case "hashs":
      return atoms([...DIGESTS.keys()]);
    case "ciphers":
      return atoms([...AEAD_CIPHERS.keys(), ...PLAIN_CIPHERS.keys()]);
    case "macs":
      return atoms(["hmac"]);
    case "public_keys":
    case "curves":
    case "rsa_opts":
      return NIL;
    default:
      return null;
  }
}

const SUPPORT_KEYS = ["hashs", "ciphers", "public_keys", "macs", "curves", "rsa_opts"];

export const cryptoNatives: NativeModule = defineNatives("crypto", {
  "hash/2": (_p, h, d) => {
    const digest = digestArg(h!, 108);
    return bin(digestOf(digest, bytesArg(d!)));
  },
  "hash_init/1": (p, h) => {
    const digest = digestArg(h!, 142);
    return newState(p, hashStates, { digest, hash: newHash(digest) });
  },
  "hash_update/2": (p, s, d) => {
    const st = hashStateArg(s!, 171);
    const data = bytesArg(d!);
    return newState(p, hashStates, { digest: st.digest, hash: st.hash.copy().update(data) });
  },
  "hash_final/1": (_p, s) => bin(new Uint8Array(hashStateArg(s!, 205).hash.copy().digest())),
  "hash_info/1": (_p, h) => {
    const d = h instanceof Atom ? DIGESTS.get(h.name) : undefined;
    if (d === undefined) return badarg();
    return mapFromPairs([
      [atom("block_size"), d.blockSize],
      [atom("size"), d.size],
      [atom("type"), d.nid],
    ]);
  },
  "mac/4": (_p, type, h, k, d) => {
    macKind(type!);
    return bin(macOf(h!, k!, d!));
  },
  "mac/3": (_p, type, _k, _d) => {
    macKind(type!);
    return nifError("badarg", "mac.c", 0, "Unsupported mac algorithm");
  },
  "macN/5": (_p, type, h, k, d, n) => {
    macKind(type!);
    return truncated(macOf(h!, k!, d!), n!);
  },
  "mac_init/3": (p, type, h, k) => {
    macKind(type!);
    return newState(p, macStates, { digest: hmacDigestArg(h!), key: bytesArg(k!), chunks: [] });
  },
  "mac_update/2": (p, s, d) => {
    const st = macStateArg(s!);
    const data = iodata(d!) ?? nifError("badarg", "mac.c", 175, "Bad text");
    return newState(p, macStates, { ...st, chunks: [...st.chunks, data] });
  },
  "mac_final/1": (_p, s) => {
    const st = macStateArg(s!);
    return bin(hmac(st.digest, st.key, concat(st.chunks)));
  },
  "mac_finalN/2": (_p, s, n) => {
    const st = macStateArg(s!);
    return truncated(hmac(st.digest, st.key, concat(st.chunks)), n!);
  },
  "exor/2": (_p, a, b) => {
    const x = bytesArg(a!);
    const y = bytesArg(b!);
    if (x.length !== y.length) return badarg();
    return bin(x.map((v, i) => v ^ y[i]!));
  },
  "strong_rand_bytes/1": (_p, n) => {
    if (typeof n !== "number" || n < 0 || n > 2 ** 31 - 1) return badarg();
    return bin(new Uint8Array(randomBytes(n)));
  },
  "rand_uniform/2": (_p, lo, hi) => {
    if (typeof lo !== "number" || typeof hi !== "number" || hi <= lo) return badarg();
    if (!Number.isSafeInteger(hi - lo) || hi - lo > 2 ** 48 - 1) return badarg();
    return lo + randomInt(hi - lo);
  },
  "supports/0": () => listFromArray(SUPPORT_KEYS.map((k): Term => [atom(k), supported(k)!])),
  "supports/1": (_p, k) => {
    const list = k instanceof Atom ? supported(k.name) : null;
    return list ?? fclause();
  },
  "crypto_one_time/4": (_p, c, k, d, f) => oneTimeCall(c!, k!, null, d!, f!),
  "crypto_one_time/5": (_p, c, k, iv, d, f) => oneTimeCall(c!, k!, iv!, d!, f!),
  "crypto_one_time_aead/6": (_p, c, k, iv, t, aad, enc) =>
    aeadCall(c!, k!, iv!, t!, aad!, 16, enc!),
  "crypto_one_time_aead/7": (_p, c, k, iv, t, aad, tl, enc) =>
    aeadCall(c!, k!, iv!, t!, aad!, tl!, enc!),
});
