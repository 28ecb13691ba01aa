/**
 * JIT template for `bs_create_bin` in its common shape: an optional append
 * base (`<<Acc/binary, ...>>`), integer fields of constant size up to 32
 * bits, and whole binaries (`B/binary`). Records built by appending
 * length-prefixed fields into one binary are exactly this, and the closure
 * (ops/bs-create.ts) pays for a generic segment loop, a size pass and a
 * `putInteger` call per field.
 *
 * The generated fast path checks every operand first (small integers,
 * byte-aligned binaries) and only then reserves room and writes, so when a
 * check fails nothing has changed and the closure runs instead: it stays the
 * single definition of the semantics (bignums, errors and their order, the
 * guard fail label). Runs of big-endian fields that together fill whole
 * bytes are packed into one word first (sub-byte fields such as `F:1, K:3,
 * S:12`); little-endian fields must be whole bytes.
 */
import type { Operand } from "../../../loader/module.ts";
import { atom } from "../../../terms/atom.ts";
import { segFlags } from "../bits/flags.ts";
import { isAppendSegment, ownerAppendRegister } from "./append-owner.ts";
import type { Emitter, JitInstr } from "./emitter.ts";

const INTEGER = atom("integer");
const BINARY = atom("binary");
const ALL = atom("all");

/** An integer field of constant size. */
interface IntField {
  readonly kind: "int";
  readonly value: Operand;
  readonly bits: number;
  readonly little: boolean;
}

/** A whole binary (`B/binary`, size `all`, unit 8). */
interface BinField {
  readonly kind: "bin";
  readonly value: Operand;
}

type Field = IntField | BinField;

interface Plan {
  readonly base: Operand | null;
  readonly fields: readonly Field[];
  readonly constBits: number;
}

/** A small non-negative number operand (`u` or `int`), else -1. */
function num(o: Operand | undefined): number {
  if (o?.kind === "u") return o.value;
  return o?.kind === "int" && typeof o.value === "number" && o.value >= 0 ? o.value : -1;
}

/** The segments as a plan, or null when any is outside the template's shape. */
function plan(items: readonly Operand[]): Plan | null {
  if (items.length % 6 !== 0) return null;
  let base: Operand | null = null;
  const fields: Field[] = [];
  let constBits = 0;
  for (let g = 0; g < items.length; g += 6) {
    const [type, , unit, flags, value, size] = items.slice(g, g + 6) as Operand[];
    if (type?.kind !== "atom" || value === undefined || size === undefined) return null;
    if (isAppendSegment(type)) {
      if (g !== 0) return null;
      base = value;
    } else if (type.value === INTEGER) {
      const n = num(size);
      const bits = n * num(unit);
      if (n < 0 || num(unit) < 0) return null;
      if (bits < 1 || bits > 32) return null;
      const { little } = segFlags(flags!);
      if (little && bits % 8 !== 0) return null;
      fields.push({ kind: "int", value, bits, little });
      constBits += bits;
    } else if (type.value === BINARY) {
      if (size.kind !== "atom" || size.value !== ALL || num(unit) !== 8) return null;
      fields.push({ kind: "bin", value });
    } else return null;
  }
  return { base, fields, constBits };
}

/**
 * Splits the fields into writes that each start on a byte boundary: a
 * whole-byte field, a packed run of big-endian fields filling whole bytes
 * (at most 32 bits), or a binary. Null if the fields cannot be cut so.
 */
function groups(fields: readonly Field[]): Field[][] | null {
  const out: Field[][] = [];
  let run: IntField[] = [];
  let runBits = 0;
  for (const f of fields) {
    if (run.length === 0 && (f.kind === "bin" || f.bits % 8 === 0)) {
      out.push([f]);
      continue;
    }
    if (f.kind === "bin" || f.little) return null;
    run.push(f);
    runBits += f.bits;
    if (runBits > 32) return null;
    if (runBits % 8 === 0) {
      out.push(run);
      run = [];
      runBits = 0;
    }
  }
  return run.length === 0 ? out : null;
}

/** Statements writing `bytes` bytes of the 32-bit pattern `w` at `b[i]`, advancing `i`. */
function writeWord(e: Emitter, w: string, bytes: number, little: boolean): void {
  const parts: string[] = [];
  for (let k = 0; k < bytes; k++) {
    const shift = little ? 8 * k : 8 * (bytes - 1 - k);
    parts.push(`b[i${k ? ` + ${k}` : ""}] = ${shift ? `${w} >>> ${shift}` : w};`);
  }
  e.emit(`${parts.join(" ")} i += ${bytes};`);
}

export function createBin(e: Emitter, ins: JitInstr): boolean | null {
  const [, , , unit, d, list] = ins.args;
  if (d === undefined || !e.isReg(d) || list?.kind !== "list") return null;
  // The append base must be a multiple of the unit; the fast path checks whole bytes.
  const u = num(unit);
  if (u < 1 || 8 % u !== 0) return null;
  const p = plan(list.items);
  if (p === null) return null;
  const gs = groups(p.fields);
  if (gs === null) return null;
  // Read every operand first: loads must happen outside the fast path's `if`.
  const base = p.base === null ? null : e.srcTmp(p.base);
  const vals = new Map<Field, string>();
  for (const f of p.fields) {
    const s = e.srcTmp(f.value);
    if (s === null) return null;
    vals.set(f, s);
  }
  if (p.base !== null && base === null) return null;
  e.withSlowPath(ins, (ok) => {
    const checks: string[] = [];
    if (base !== null)
      checks.push(`${base} instanceof BitString`, `((${base}.offset | ${base}.size) & 7) === 0`);
    const binSizes: string[] = [];
    for (const f of p.fields) {
      const v = vals.get(f)!;
      if (f.kind === "int") checks.push(`typeof ${v} === "number"`);
      else {
        checks.push(`${v} instanceof BitString`, `(${v}.size & 7) === 0`);
        binSizes.push(`${v}.size`);
      }
    }
    e.emit(`if (${checks.length ? checks.join(" && ") : "true"}) {`);
    const total = [String(p.constBits), ...binSizes].join(" + ");
    e.emit(`const tot = ${total};`);
    e.emit("if (tot <= MAX_BITS) {");
    if (base !== null) {
      // appendGrow's common case inline (the buffer has room after the
      // base's last bit and nobody appended there since): no call per
      // append, which JSC's first tiers do not inline. An owner append
      // grows the accumulator this code allocated itself (append-owner.ts).
      const owner = e.owners.has(ownerAppendRegister(ins));
      const fresh = `new BitString(g.buf, ${base}.offset, bsz + tot, g)`;
      e.emit(
        `const g = ${base}.grow, bsz = ${base}.size; let o; if (g !== null && g.used === ${base}.offset + bsz && g.buf === ${base}.buf && g.used + tot <= g.buf.length * 8) { g.used += tot; ${owner ? `if (${base} === own) { o = ${base}; o.size = bsz + tot; } else o = ${fresh};` : `o = ${fresh};`} } else o = rt.appendGrow(${base}, tot);`,
      );
      if (owner) e.emit("own = o;");
      e.emit("const b = o.buf; let i = (o.offset + bsz) >>> 3;");
    } else {
      e.emit("const b = new Uint8Array(tot >>> 3); const o = new BitString(b, 0, tot); let i = 0;");
    }
    for (const g of gs) {
      const f = g[0]!;
      if (f.kind === "bin") {
        const v = vals.get(f)!;
        // Short binaries byte by byte: a subarray view per field costs more.
        e.emit(
          `if ((${v}.offset & 7) === 0) { const s = ${v}.offset >>> 3, n = ${v}.size >>> 3, sb = ${v}.buf; if (n <= 16) { for (let j = 0; j < n; j++) b[i + j] = sb[s + j]; } else b.set(sb.subarray(s, s + n), i); } else rt.copyBits(${v}.buf, ${v}.offset, b, i << 3, ${v}.size);`,
        );
        e.emit(`i += ${v}.size >>> 3;`);
      } else if (g.length === 1 && f.bits % 8 === 0) {
        writeWord(e, vals.get(f)!, f.bits >>> 3, f.little);
      } else {
        // Packed big-endian run: each field's low bits, shifted into place.
        let width = 0;
        for (const x of g) width += (x as IntField).bits;
        let shift = width;
        const terms = g.map((x) => {
          const bits = (x as IntField).bits;
          shift -= bits;
          const masked = `(${vals.get(x)!} & ${bits === 32 ? -1 : 2 ** bits - 1})`;
          return shift ? `(${masked} << ${shift})` : masked;
        });
        const w = e.fresh("w");
        e.emit(`const ${w} = ${terms.join(" | ")};`);
        writeWord(e, w, width >>> 3, false);
      }
    }
    e.dst(d, "o");
    e.emit(`${ok} = true; } }`);
  });
  return true;
}
