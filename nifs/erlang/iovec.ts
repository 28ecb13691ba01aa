/**
 * `erlang:iolist_to_iovec/1`: an iolist as a list of binaries, split exactly
 * where OTP 25 splits it (so that `~w` of the result matches).
 *
 * OTP copies bytes and small binaries into an accumulator and passes large
 * binaries (256 bytes or more) through untouched when the accumulator is
 * empty or itself large; a large binary arriving after a small accumulator is
 * merged when the two stay under 512 bytes, otherwise the accumulator is
 * topped up to 256 bytes from it and the rest passed on as a sub-binary. The
 * accumulator doubles its allocation as it grows and is emitted instead once
 * that allocation has reached 8 KiB.
 */
import { BitString, binaryFromBytes } from "../../terms/binary.ts";
import { listFromArray } from "../../terms/list.ts";
import { Cons, NIL, type Term } from "../../terms/term.ts";

const SMALL = 256;
const REALLOC_LIMIT = SMALL * 32;

class Accumulator {
  readonly out: BitString[] = [];
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** Bytes OTP would have allocated for the accumulator (0: none). */
  private alloc = 0;

  /** OTP's growth rule, which decides where long byte runs are cut. */
  private reserve(extra: number): void {
    const required = this.size + extra;
    if (this.alloc === 0) this.alloc = Math.max(required, SMALL);
    else if (required > this.alloc) {
      if (this.alloc >= REALLOC_LIMIT) {
        this.flush();
        this.reserve(extra);
        return;
      }
      this.alloc = Math.max(required, this.alloc * 2);
    }
  }

  addBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  addBinary(b: BitString): void {
    const n = b.size >>> 3;
    if (n === 0) return;
    const binSmall = n < SMALL;
    if (!binSmall && (this.size === 0 || this.size >= SMALL)) {
      this.flush();
      this.out.push(b);
    } else if (binSmall || n + this.size < SMALL * 2) {
      this.addBytes(b.bytes());
    } else {
      const spill = SMALL - this.size;
      this.addBytes(b.slice(0, spill * 8).bytes());
      this.flush();
      this.out.push(b.slice(spill * 8, (n - spill) * 8));
    }
  }

  flush(): void {
    if (this.size === 0) return;
    const buf = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      buf.set(c, o);
      o += c.length;
    }
    this.out.push(binaryFromBytes(buf));
    this.chunks = [];
    this.size = 0;
    this.alloc = 0;
  }
}

/** The iovec of `t`, or null if `t` is not an iolist. */
export function iolistToIovec(t: Term): Term | null {
  if (t instanceof BitString) {
    if ((t.size & 7) !== 0) return null;
    return t.size === 0 ? NIL : new Cons(t, NIL);
  }
  if (!(t instanceof Cons) && t !== NIL) return null;
  const acc = new Accumulator();
  const stack: Term[] = [];
  let x: Term = t;
  for (;;) {
    while (x instanceof Cons) {
      const h = x.head;
      if (typeof h === "number") {
        // A run of consecutive bytes goes into the accumulator at once.
        const run: number[] = [];
        while (x instanceof Cons && typeof x.head === "number") {
          const c = x.head;
          if (c < 0 || c > 255) return null;
          run.push(c);
          x = x.tail;
        }
        acc.addBytes(Uint8Array.from(run));
        continue;
      }
      if (h instanceof BitString) {
        if ((h.size & 7) !== 0) return null;
        acc.addBinary(h);
      } else if (h instanceof Cons || h === NIL) {
        if (x.tail !== NIL) stack.push(x.tail);
        x = h;
        continue;
      } else return null;
      x = x.tail;
    }
    if (x instanceof BitString) {
      if ((x.size & 7) !== 0) return null;
      acc.addBinary(x);
    } else if (x !== NIL) return null;
    if (stack.length === 0) break;
    x = stack.pop()!;
  }
  acc.flush();
  return listFromArray(acc.out);
}
