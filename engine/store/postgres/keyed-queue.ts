/**
 * Per-key ordering of asynchronous tasks. Writes to one workflow (or one
 * package type) issued together without awaiting must apply in the order
 * they were issued, as in the other stores; over a connection pool they
 * would otherwise race. Tasks of different keys run concurrently.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Run `task` after every earlier task of `key` has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous === undefined ? task() : previous.then(task);
    // The tail never rejects, so one failed write does not poison its key.
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
