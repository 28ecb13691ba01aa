/**
 * `rand` with OTP's default algorithm `exsss` (Xorshift116**, 58-bit words,
 * seeded through SplitMix64) and its sibling `exsp` (Xorshift116+). Given a
 * seed, `uniform/0,1`, `uniform_s/1,2` and `uniform_real/0` (for all but
 * the ~2^-56 rare deep-bits case) produce exactly OTP's streams.
 *
 * Not stream-equal: `normal/0,2` and `normal_s/1,3` use the Marsaglia polar
 * method rather than OTP's Ziggurat tables (same distribution, other
 * numbers). Other algorithms (exrop, exs1024s, exro928ss...) are `badarg`.
 *
 * The state lives in the process dictionary under `rand_seed`, as in OTP.
 * Our state term is `{#{type => Alg, bits => 58, ...}, [S0 | S1]}`: OTP's
 * handler map also holds funs, which natives cannot create; the term is
 * opaque to callers either way.
 */

import { Atom } from "../../terms/atom.ts";
import { binaryFromBytes } from "../../terms/binary.ts";
import { normBig } from "../../terms/integer.ts";
import { MapTerm, mapFromPairs } from "../../terms/map.ts";
import { Cons, Float, type Term } from "../../terms/term.ts";
import { defineNatives, type NativeModule, type Process } from "../../vm/index.ts";
import { at, badarg, fclause } from "./util.ts";

const M58 = (1n << 58n) - 1n;
const M64 = (1n << 64n) - 1n;
const TWO_POW_MINUS53 = 2 ** -53;

type Alg = "exsss" | "exsp";

interface State {
  alg: Alg;
  s0: bigint;
  s1: bigint;
}

function splitmix64(x0: bigint): [bigint, bigint] {
  const x = (x0 + 0x9e3779b97f4a7c15n) & M64;
  let z = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return [(z ^ (z >> 31n)) & M64, x];
}

/** One non-zero 58-bit seed word and the next SplitMix state. */
function seed58one(x: bigint): [bigint, bigint] {
  for (;;) {
    const [z, nx] = splitmix64(x);
    const w = z & M58;
    if (w !== 0n) return [w, nx];
    x = nx;
  }
}

function seedState(alg: Alg, seed: Term): State {
  if (typeof seed === "number" || typeof seed === "bigint") {
    const [a, x1] = seed58one(BigInt(seed));
    const [b] = seed58one(x1);
    return { alg, s0: a, s1: b };
  }
  if (Array.isArray(seed) && seed.length === 3) {
    const [a1, a2, a3] = seed.map((t) =>
      typeof t === "number" || typeof t === "bigint" ? BigInt(t) : badarg(),
    );
    const [, x0] = seed58one(a1!);
    const [s0, x1] = seed58one(a2! ^ x0);
    const [s1] = seed58one(a3! ^ x1);
    return { alg, s0, s1 };
  }
  return badarg();
}

/** Xorshift116 step plus the algorithm's scrambler; returns the 58-bit output. */
function next(st: State): bigint {
  // The Erlang state is [S1 | S0] with the members swapped in the step.
  const s1 = st.s0;
  const s0 = st.s1 & M58;
  const s1b = (s1 & M58) ^ ((s1 << 24n) & M58);
  const ns1 = s1b ^ s0 ^ (s1b >> 11n) ^ (s0 >> 41n);
  st.s0 = s0;
  st.s1 = ns1;
  if (st.alg === "exsp") return (s0 + ns1) & M58;
  // ((S * 5) rotl 7) * 9, modulo 2^58
  const va = (s0 + ((s0 << 2n) & M58)) & M58;
  const vb = ((va << 7n) & M58) | (va >> 51n);
  return (vb + ((vb << 3n) & M58)) & M58;
}

function uniformFloat(st: State): number {
  return Number(next(st) >> 5n) * TWO_POW_MINUS53;
}

function uniformN(st: State, range: bigint): bigint {
  for (;;) {
    const v = next(st);
    const maxMinus = (1n << 58n) - range;
    if (maxMinus >= 0n) {
      if (v < range) return v + 1n;
      const i = v % range;
      if (v - i <= maxMinus) return i + 1n;
      continue;
    }
    return uniformWide(st, range, v);
  }
}

/**
 * Ranges beyond 2^58: concatenate outputs until there are enough bits
 * (dropping the algorithm's weak low bits of the earlier words).
 */
function uniformWide(st: State, range: bigint, v0: bigint): bigint {
  const weak = st.alg === "exsp" ? 1n : 0n;
  const shift = 58n - weak;
  const mask = ~((1n << weak) - 1n);
  let v = v0;
  for (;;) {
    const pow2 = (range & (range - 1n)) === 0n;
    let r = pow2 ? range >> 58n : range >> 56n;
    let bits = 58n;
    while (r > 1n) {
      v = ((v & mask) << shift) | next(st);
      r >>= shift;
      bits += shift;
    }
    if (pow2) return (v & (range - 1n)) + 1n;
    const i = v % range;
    if (v - i <= (1n << bits) - range) return i + 1n;
    v = next(st);
  }
}

function uniformReal(st: State): number {
  const m1 = next(st) >> 2n;
  const r = topBits(m1, 0);
  if (r !== null) return r;
  // Fewer than 53 bits: fill up from the next output.
  return realMore(st, m1, -56, next(st), 58n);
}

/** The four "enough bits" cases of a 56-bit draw `m` scaled by 2^bitNo. */
function topBits(m: bigint, bitNo: number): number | null {
  if (m >= 1n << 55n) return Number(m >> 3n) * 2 ** (bitNo - 53);
  if (m >= 1n << 54n) return Number(m >> 2n) * 2 ** (bitNo - 54);
  if (m >= 1n << 53n) return Number(m >> 1n) * 2 ** (bitNo - 55);
  if (m >= 1n << 52n) return Number(m) * 2 ** (bitNo - 56);
  return null;
}

function bitLength(v: bigint): number {
  return v.toString(2).length;
}

function realMore(st: State, m0: bigint, bitNo: number, v1: bigint, bits: bigint): number {
  if (m0 === 0n) {
    const m1 = v1 >> (bits - 56n);
    const r = topBits(m1, bitNo);
    if (r !== null) return r;
    // Astronomically unlikely (runs of zero words): start over.
    if (bitNo <= -1008) return uniformReal(st);
    return realMore(st, m1, bitNo - 56, next(st), 58n);
  }
  // Append the missing bits (53 - bit length of m0) from the new word.
  const b0 = BigInt(53 - bitLength(m0));
  return Number((m0 << b0) | (v1 >> (bits - b0))) * 2 ** (bitNo - Number(b0));
}

/** Marsaglia's polar method (two uniforms per draw; the spare is discarded). */
function normal(st: State): number {
  for (;;) {
    const u = 2 * uniformFloat(st) - 1;
    const v = 2 * uniformFloat(st) - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

// ---- state terms ------------------------------------------------------------

function algArg(t: Term): Alg {
  if (t === at("default") || t === at("exsss")) return "exsss";
  if (t === at("exsp")) return "exsp";
  return badarg();
}

function handler(alg: Alg): MapTerm {
  const pairs: [Term, Term][] = [
    [at("type"), at(alg)],
    [at("bits"), 58],
  ];
  if (alg === "exsp") pairs.push([at("weak_low_bits"), 1]);
  return mapFromPairs(pairs);
}

function stateTerm(st: State): Term {
  return [handler(st.alg), new Cons(normBig(st.s0), normBig(st.s1))];
}

function fromTerm(t: Term): State {
  if (Array.isArray(t) && t.length === 2) {
    const [h, s] = t;
    let alg: Alg | null = null;
    if (h instanceof MapTerm) alg = algArg(h.get(at("type")) ?? badarg());
    else if (h instanceof Atom) alg = algArg(h);
    if (alg !== null && s instanceof Cons) {
      const a = s.head;
      const b = s.tail;
      if (
        (typeof a === "number" || typeof a === "bigint") &&
        (typeof b === "number" || typeof b === "bigint")
      ) {
        return { alg, s0: BigInt(a), s1: BigInt(b) };
      }
    }
  }
  return badarg();
}

const KEY = at("rand_seed");

function randomSeed(): Term {
  const w = crypto.getRandomValues(new Uint32Array(3));
  return [w[0]!, w[1]!, w[2]!];
}

/** The process's generator, seeding it on first use as OTP does. */
function getState(p: Process): State {
  const t = p.dict.get(KEY);
  if (t === undefined) return seedState("exsss", randomSeed());
  return fromTerm(t);
}

function withState<T>(p: Process, f: (st: State) => T): T {
  const st = getState(p);
  const r = f(st);
  p.dict.put(KEY, stateTerm(st));
  return r;
}

function seedPut(p: Process, st: State): Term {
  const t = stateTerm(st);
  p.dict.put(KEY, t);
  return t;
}

function posRange(n: Term): bigint {
  if ((typeof n === "number" || typeof n === "bigint") && n >= 1) return BigInt(n);
  return fclause();
}

function fl(v: number): Float {
  return new Float(v);
}

function numArg(t: Term): number {
  if (typeof t === "number") return t;
  if (typeof t === "bigint") return Number(t);
  if (t instanceof Float) return t.value;
  return badarg();
}

export const randNatives: NativeModule = defineNatives("rand", {
  "seed/1": (p, a) => {
    if (Array.isArray(a)) return seedPut(p, fromTerm(a));
    return seedPut(p, seedState(algArg(a), randomSeed()));
  },
  "seed/2": (p, a, s) => seedPut(p, seedState(algArg(a), s)),
  "seed_s/1": (_p, a) =>
    Array.isArray(a) ? stateTerm(fromTerm(a)) : stateTerm(seedState(algArg(a), randomSeed())),
  "seed_s/2": (_p, a, s) => stateTerm(seedState(algArg(a), s)),
  "export_seed/0": (p) => {
    const t = p.dict.get(KEY);
    if (t === undefined) return at("undefined");
    const st = fromTerm(t);
    return [at(st.alg), new Cons(normBig(st.s0), normBig(st.s1))];
  },
  "export_seed_s/1": (_p, s) => {
    const st = fromTerm(s);
    return [at(st.alg), new Cons(normBig(st.s0), normBig(st.s1))];
  },
  "uniform/0": (p) => fl(withState(p, uniformFloat)),
  "uniform/1": (p, n) => {
    const r = posRange(n);
    return normBig(withState(p, (st) => uniformN(st, r)));
  },
  "uniform_s/1": (_p, s) => {
    const st = fromTerm(s);
    const v = uniformFloat(st);
    return [fl(v), stateTerm(st)];
  },
  "uniform_s/2": (_p, n, s) => {
    const r = posRange(n);
    const st = fromTerm(s);
    const v = uniformN(st, r);
    return [normBig(v), stateTerm(st)];
  },
  "uniform_real/0": (p) => fl(withState(p, uniformReal)),
  "uniform_real_s/1": (_p, s) => {
    const st = fromTerm(s);
    const v = uniformReal(st);
    return [fl(v), stateTerm(st)];
  },
  "normal/0": (p) => fl(withState(p, normal)),
  "normal/2": (p, mean, variance) => {
    const m = numArg(mean);
    const v = numArg(variance);
    return fl(m + Math.sqrt(v) * withState(p, normal));
  },
  "normal_s/1": (_p, s) => {
    const st = fromTerm(s);
    const v = normal(st);
    return [fl(v), stateTerm(st)];
  },
  "normal_s/3": (_p, mean, variance, s) => {
    const vr = numArg(variance);
    if (!(vr > 0)) return fclause();
    const st = fromTerm(s);
    const v = numArg(mean) + Math.sqrt(vr) * normal(st);
    return [fl(v), stateTerm(st)];
  },
  "bytes/1": (p, n) => {
    if (typeof n !== "number" || n < 0) return fclause();
    return withState(p, (st) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 7) {
        // 56 of the 58 bits, as whole bytes.
        let v = next(st) >> 2n;
        for (let k = 0; k < 7 && i + k < n; k++) {
          out[i + k] = Number(v & 0xffn);
          v >>= 8n;
        }
      }
      return binaryFromBytes(out);
    });
  },
});
