/**
 * A process mailbox with BEAM's selective-receive cursor.
 *
 * Messages live in an array with a moving head; `save` is the position the
 * current receive has scanned up to (BEAM's save pointer). Removing the message
 * under the cursor is O(1) at the head (the usual case) and O(n) elsewhere.
 * Every message keeps its arrival number so a receive marker (`make_ref()` then
 * `receive`) can start scanning after everything that was queued before it.
 */
import type { Term } from "../../terms/term.ts";

export class Mailbox {
  /** @internal Read by generated code's receive scan (jit/templates-receive.ts). */
  items: Term[] = [];
  private seqs: number[] = [];
  /** @internal As `items`. */
  head = 0;
  private arrivals = 0;
  /** Scan position, relative to `head`. */
  save = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(msg: Term): void {
    this.items.push(msg);
    this.seqs.push(this.arrivals++);
  }

  /** The message under the cursor, or undefined at the end (also inline in jit/templates-receive.ts). */
  current(): Term | undefined {
    const i = this.head + this.save;
    return i < this.items.length ? this.items[i] : undefined;
  }

  /** Skips the message under the cursor (`loop_rec_end`). */
  next(): void {
    this.save++;
  }

  /** Removes the message under the cursor and resets the cursor (`remove_message`). */
  removeCurrent(): Term {
    const i = this.head + this.save;
    const msg = this.items[i]!;
    if (this.save === 0) {
      this.items[i] = 0; // drop the reference for the GC
      this.head++;
      if (this.head === this.items.length) {
        // Empty again (the usual case): start over from a short array.
        this.items.length = 0;
        this.seqs.length = 0;
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.seqs = this.seqs.slice(this.head);
        this.head = 0;
      }
    } else if (i === this.items.length - 1) {
      // The newest message (a receive that matches the latest reply): no splice.
      this.items.pop();
      this.seqs.pop();
    } else {
      this.items.splice(i, 1);
      this.seqs.splice(i, 1);
    }
    this.save = 0;
    return msg;
  }

  /** Restarts scanning from the oldest message (`timeout`, after a match). */
  resetCursor(): void {
    this.save = 0;
  }

  /** A marker: the arrival number the next message will get. */
  marker(): number {
    return this.arrivals;
  }

  /** Moves the cursor past every message that arrived before `marker`. */
  useMarker(marker: number): void {
    let i = this.head + this.save;
    const end = this.items.length;
    while (i < end && this.seqs[i]! < marker) i++;
    this.save = i - this.head;
  }

  /** Markers by the reference they guard; created by the first `recv_marker_bind`. */
  private bound: Map<Term, number> | null = null;

  /** Associates a marker with the reference it guards (`recv_marker_bind`). */
  bindMarker(ref: Term, marker: number): void {
    const bound = (this.bound ??= new Map());
    if (bound.size > 64) bound.clear(); // stale markers only cost speed
    bound.set(ref, marker);
  }

  clearMarker(ref: Term): void {
    this.bound?.delete(ref);
  }

  /** `recv_marker_use`: skip messages older than the reference's marker, if bound. */
  useBoundMarker(ref: Term): void {
    const m = this.bound?.get(ref);
    if (m !== undefined) this.useMarker(m);
  }

  /** All queued messages, oldest first (for `process_info(P, messages)`). */
  toArray(): Term[] {
    return this.items.slice(this.head);
  }

  /** Removes every message matching `pred` (used by `demonitor(R, [flush])`). */
  removeWhere(pred: (m: Term) => boolean): number {
    const items: Term[] = [];
    const seqs: number[] = [];
    let removed = 0;
    for (let i = this.head; i < this.items.length; i++) {
      const m = this.items[i]!;
      if (pred(m)) removed++;
      else {
        items.push(m);
        seqs.push(this.seqs[i]!);
      }
    }
    this.items = items;
    this.seqs = seqs;
    this.head = 0;
    this.save = 0;
    return removed;
  }
}
