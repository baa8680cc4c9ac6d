// In-process mutual exclusion per key: steps that would only lose optimistic races to each other take turns instead.

/**
 * Optimistic commits are correct under any concurrency, but N steps of one process racing for the same document
 * waste N − 1 round trips per winner. Serializing them locally leaves only cross-process races to the retry loop.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
