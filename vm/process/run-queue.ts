/**
 * The run queue: processes ready to run, in FIFO order. A flag on the process
 * makes "already queued?" O(1), so waking or spawning never scans the queue.
 */
import type { Process } from "./process.ts";

export class RunQueue {
  private items: Process[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends `p` unless it is already waiting in the queue. */
  push(p: Process): void {
    if (p.queued) return;
    p.queued = true;
    this.items.push(p);
  }

  /** The next process, or undefined when empty. */
  shift(): Process | undefined {
    if (this.head >= this.items.length) return undefined;
    const items = this.items;
    const p = items[this.head++]!;
    if (this.head === items.length) {
      // Empty again (the usual case): start over, holding on to no process.
      items.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > items.length) {
      // Compact now and then so the array does not grow without bound.
      this.items = items.slice(this.head);
      this.head = 0;
    }
    p.queued = false;
    return p;
  }

  clear(): void {
    for (let i = this.head; i < this.items.length; i++) this.items[i]!.queued = false;
    this.items = [];
    this.head = 0;
  }
}
