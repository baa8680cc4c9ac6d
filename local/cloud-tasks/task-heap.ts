// The waiting tasks of one queue, earliest schedule time first (creation order breaks ties), with lazy removal.

export interface HeapEntry<T> {
  readonly at: number;
  readonly seq: number;
  readonly item: T;
  /** The item's version when pushed; an entry whose item moved on (rescheduled, dispatched, deleted) is skipped. */
  readonly version: number;
}

export class TaskHeap<T extends { readonly version: number }> {
  readonly #entries: HeapEntry<T>[] = [];

  get size(): number {
    return this.#entries.length;
  }

  push(entry: HeapEntry<T>): void {
    const a = this.#entries;
    a.push(entry);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  /** The earliest live entry, dropping stale ones on the way. */
  peek(): HeapEntry<T> | undefined {
    for (;;) {
      const top = this.#entries[0];
      if (!top || top.item.version === top.version) return top;
      this.#pop();
    }
  }

  pop(): HeapEntry<T> | undefined {
    const top = this.peek();
    if (top) this.#pop();
    return top;
  }

  clear(): void {
    this.#entries.length = 0;
  }

  #pop(): void {
    const a = this.#entries;
    const last = a.pop();
    if (last === undefined || a.length === 0) return;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

function before<T>(x: HeapEntry<T>, y: HeapEntry<T>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
