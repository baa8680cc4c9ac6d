// Merges the dispatch calls of one job that pile up while a dispatch is in flight into one Firestore step.

/** What a batch of calls with the same window asks for together. */
export interface MergedDispatch {
  readonly maxInFlight: number;
  readonly limit: number;
  readonly now: number;
}

interface Waiter<R> {
  readonly maxInFlight: number;
  readonly limit: number;
  readonly now: number;
  readonly resolve: (rows: R[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Every finished row asks for its slot to be passed on, so with 50 workers dispatch calls arrive faster than one
 * Firestore step (three reads and a commit) completes — and any two of them race for the same window anyway. So each
 * job runs one dispatch at a time in this process, and the calls that arrived meanwhile share the next one: their
 * limits add up, the rows go out in call order, and each call still gets at most its own limit. The merged step keeps
 * the smallest maxInFlight among them, so every caller's cap holds. (Merging only equal caps ran one step per distinct
 * cap: an auto window that moves with the observed latency asked ~5 different caps a second, and the pump's call
 * waited ten seconds behind them.)
 */
export class DispatchBatcher<R> {
  private readonly waiting = new Map<string, Array<Waiter<R>>>();
  private readonly busy = new Set<string>();

  constructor(private readonly run: (key: string, merged: MergedDispatch) => Promise<R[]>) {}

  submit(key: string, request: MergedDispatch): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push({ ...request, resolve, reject });
      this.waiting.set(key, queue);
      if (!this.busy.has(key)) void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    this.busy.add(key);
    try {
      for (let group = this.waiting.get(key); group !== undefined && group.length > 0; group = this.waiting.get(key)) {
        this.waiting.delete(key);
        const merged = {
          maxInFlight: Math.min(...group.map((w) => w.maxInFlight)),
          limit: group.reduce((sum, w) => sum + w.limit, 0),
          now: Math.max(...group.map((w) => w.now)),
        };
        try {
          const rows = await this.run(key, merged);
          let offset = 0;
          for (const waiter of group) {
            waiter.resolve(rows.slice(offset, offset + waiter.limit));
            offset += waiter.limit;
          }
        } catch (error) {
          for (const waiter of group) waiter.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.busy.delete(key);
    }
  }
}
