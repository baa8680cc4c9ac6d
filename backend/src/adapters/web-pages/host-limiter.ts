// Politeness: at most N requests in flight per host, the rest wait in arrival order (abortable).

interface HostSlots {
  active: number;
  readonly waiting: { resolve: () => void; reject: (reason: unknown) => void; signal: AbortSignal; onAbort: () => void }[];
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostSlots>();

  constructor(private readonly perHost: number) {}

  /** Waits for a slot on `host`; the returned function gives it back (call it exactly once). */
  async acquire(host: string, signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    let slots = this.hosts.get(host);
    if (!slots) {
      slots = { active: 0, waiting: [] };
      this.hosts.set(host, slots);
    }
    if (slots.active < this.perHost) {
      slots.active++;
    } else {
      const held = slots;
      await new Promise<void>((resolve, reject) => {
        const entry = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const index = held.waiting.indexOf(entry);
            if (index >= 0) held.waiting.splice(index, 1);
            reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
          },
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
        held.waiting.push(entry);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(host);
    };
  }

  /** Requests in flight on `host` right now (for tests and logs). */
  active(host: string): number {
    return this.hosts.get(host)?.active ?? 0;
  }

  private release(host: string): void {
    const slots = this.hosts.get(host);
    if (!slots) return;
    const next = slots.waiting.shift();
    if (next) {
      // The slot passes straight to the next waiter, so `active` stays the same.
      next.signal.removeEventListener('abort', next.onAbort);
      next.resolve();
      return;
    }
    slots.active--;
    if (slots.active === 0) this.hosts.delete(host);
  }
}
