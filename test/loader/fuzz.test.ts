/**
 * Mutation fuzzing of the loader over the real fixture beams: bit flips,
 * truncations, corrupted size and count words, duplicated, dropped and
 * shuffled chunks, overwritten byte runs. Every mutant must load or raise a
 * LoadError; nothing else, no hang. Loaded mutants are also disassembled.
 *
 * Reproducible: a seeded PRNG (FUZZ_SEED, default below) drives everything,
 * and a failure reports the seed, iteration and mutation. FUZZ_ITERATIONS
 * sets the number of mutants (default 3000, about 5 s).
 */
import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { readChunks } from "../../loader/iff.ts";
import { codeView, disassemble, LoadError, loadBeam } from "../../loader/index.ts";
import type { ChunkInfo } from "../../loader/module.ts";
import { TEST_TIMEOUT_MS } from "../timeouts.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eedbea);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 3000);
const ROOT = join(import.meta.dir, "..", "..");

/** mulberry32: small, fast, good enough to drive mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seed {
  name: string;
  bytes: Uint8Array;
  chunks: ChunkInfo[];
}

const INTERESTING = [
  0, 1, 2, 3, 4, 7, 8, 15, 16, 255, 256, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffff0,
  0xffffffff,
];

type Mutator = (s: Seed, rnd: () => number) => { bytes: Uint8Array; what: string };

const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);

/** Chunks the loader decodes; mutations favour them over Dbgi, Docs and the like. */
const DECODED = new Set([
  "AtU8",
  "Code",
  "StrT",
  "ImpT",
  "ExpT",
  "FunT",
  "LitT",
  "LocT",
  "Line",
  "Attr",
  "CInf",
  "Type",
]);

function pickChunk(s: Seed, rnd: () => number): ChunkInfo {
  const pool = rnd() < 0.8 ? s.chunks.filter((c) => DECODED.has(c.id)) : s.chunks;
  return pool[int(rnd, pool.length)] ?? s.chunks[0]!;
}

function setU32(b: Uint8Array, at: number, v: number): void {
  if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0);
}

function fixFormSize(b: Uint8Array): Uint8Array {
  setU32(b, 4, b.length - 8);
  return b;
}

/** The raw bytes (header + data + padding) of chunk `c`. */
function chunkBytes(s: Seed, c: ChunkInfo): Uint8Array {
  return s.bytes.subarray(
    c.offset - 8,
    Math.min(s.bytes.length, c.offset + Math.ceil(c.size / 4) * 4),
  );
}

function rebuild(s: Seed, list: ChunkInfo[]): Uint8Array {
  const parts = list.map((c) => chunkBytes(s, c));
  const out = new Uint8Array(12 + parts.reduce((n, p) => n + p.length, 0));
  out.set(s.bytes.subarray(0, 12));
  let o = 12;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return fixFormSize(out);
}

const mutators: Mutator[] = [
  (s, rnd) => {
    // Bit flips inside one decoded chunk.
    const b = s.bytes.slice();
    const c = pickChunk(s, rnd);
    const n = 1 + int(rnd, 8);
    for (let i = 0; i < n; i++) b[c.offset + int(rnd, Math.max(1, c.size))]! ^= 1 << int(rnd, 8);
    return { bytes: b, what: `flip ${n} bits in ${c.id}` };
  },
  (s, rnd) => {
    const at = int(rnd, s.bytes.length);
    return { bytes: s.bytes.slice(0, at), what: `truncate at ${at}` };
  },
  (s, rnd) => {
    // A chunk's size word, or one of the first words of its data (counts,
    // header fields), set to an interesting or nearby value.
    const b = s.bytes.slice();
    const c = pickChunk(s, rnd);
    const at = rnd() < 0.3 ? c.offset - 4 : c.offset + 4 * int(rnd, 6);
    const old = at + 4 <= b.length ? new DataView(b.buffer).getUint32(at) : 0;
    const v = rnd() < 0.6 ? INTERESTING[int(rnd, INTERESTING.length)]! : old + int(rnd, 9) - 4;
    setU32(b, at, v);
    return { bytes: b, what: `${c.id} word at ${at} := ${v >>> 0}` };
  },
  (s, rnd) => {
    const list = [...s.chunks];
    const i = int(rnd, list.length);
    list.splice(i + int(rnd, 2), 0, list[i]!);
    return { bytes: rebuild(s, list), what: `duplicate ${list[i]!.id}` };
  },
  (s, rnd) => {
    const list = [...s.chunks];
    const [c] = list.splice(int(rnd, list.length), 1);
    return { bytes: rebuild(s, list), what: `drop ${c!.id}` };
  },
  (s, rnd) => {
    const list = [...s.chunks];
    for (let i = list.length - 1; i > 0; i--) {
      const j = int(rnd, i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return { bytes: rebuild(s, list), what: "shuffle chunks" };
  },
  (s, rnd) => {
    const b = s.bytes.slice();
    const c = pickChunk(s, rnd);
    const at = c.offset + int(rnd, Math.max(1, c.size));
    const n = 1 + int(rnd, 16);
    const v = [0, 0xff, int(rnd, 256)][int(rnd, 3)]!;
    for (let i = 0; i < n && at + i < b.length; i++)
      b[at + i] = v === 0 || v === 0xff ? v : int(rnd, 256);
    return { bytes: b, what: `${c.id} ${n} bytes at ${at}` };
  },
];

async function seeds(): Promise<Seed[]> {
  const out: Seed[] = [];
  for (const rel of new Bun.Glob("fixtures/**/*.beam").scanSync({ cwd: ROOT })) {
    const bytes = new Uint8Array(await Bun.file(join(ROOT, rel)).arrayBuffer());
    // Large modules make each mutant slow; the smaller ones cover every chunk kind.
    if (bytes.length > 40_000) continue;
    out.push({ name: rel, bytes, chunks: readChunks(bytes, rel) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

test(`fuzz: ${ITERATIONS} mutants, seed ${SEED}`, async () => {
  const corpus = await seeds();
  expect(corpus.length).toBeGreaterThan(0);
  const rnd = prng(SEED);
  const tally = { loaded: 0, rejected: 0 };
  for (let i = 0; i < ITERATIONS; i++) {
    const s = corpus[int(rnd, corpus.length)]!;
    const k = int(rnd, mutators.length);
    const { bytes, what } = mutators[k]!(s, rnd);
    try {
      disassemble(loadBeam(bytes, s.name));
      tally.loaded++;
    } catch (e) {
      // The loader turns its own bugs into "internal error" LoadErrors: those fail too.
      if (!(e instanceof LoadError) || e.message.startsWith("internal error")) {
        throw new Error(
          `seed ${SEED} iteration ${i}: ${s.name}, ${what}: ${(e as Error)?.stack ?? String(e)}`,
        );
      }
      tally.rejected++;
    }
  }
  console.log(`fuzz tally: ${JSON.stringify(tally)}`);
  // Both outcomes must occur, or the mutations are not exercising the loader.
  expect(tally.rejected).toBeGreaterThan(ITERATIONS / 4);
  expect(tally.loaded).toBeGreaterThan(0);
}, 30_000);

/** "ok", or the LoadError's message; anything else fails the test. */
function outcome(run: () => void, where: string): string {
  try {
    run();
    return "ok";
  } catch (e) {
    if (!(e instanceof LoadError) || e.message.startsWith("internal error")) {
      throw new Error(`${where}: ${(e as Error)?.stack ?? String(e)}`);
    }
    return e.message;
  }
}

// Lazy loading (the VM's) scans at load and decodes each function and
// literal on first use: a mutant must be refused by one or the other exactly
// when a full load refuses it, and always with a LoadError.
test(`fuzz, lazy loads agree with full ones: ${ITERATIONS / 2} mutants`, async () => {
  const corpus = await seeds();
  const seed = SEED ^ 0x1a2b;
  const rnd = prng(seed);
  const tally = { loaded: 0, rejected: 0, atLoad: 0 };
  for (let i = 0; i < ITERATIONS / 2; i++) {
    const s = corpus[int(rnd, corpus.length)]!;
    const { bytes, what } = mutators[int(rnd, mutators.length)]!(s, rnd);
    const where = `seed ${seed} iteration ${i}: ${s.name}, ${what}`;
    const full = outcome(() => disassemble(loadBeam(bytes, s.name)), where);
    let loaded = false;
    const lazy = outcome(() => {
      const m = loadBeam(bytes, s.name, { lazy: true });
      loaded = true;
      const v = codeView(m);
      for (let k = 0; k < v.length; k++) v.instr(k);
      disassemble(m);
    }, where);
    if ((full === "ok") !== (lazy === "ok")) {
      throw new Error(`${where}: full load ${full}, lazy load ${lazy}`);
    }
    if (full === "ok") tally.loaded++;
    else {
      tally.rejected++;
      if (!loaded) tally.atLoad++;
    }
  }
  console.log(`lazy fuzz tally: ${JSON.stringify(tally)}`);
  expect(tally.rejected).toBeGreaterThan(ITERATIONS / 8);
  expect(tally.loaded).toBeGreaterThan(0);
}, 60_000);
