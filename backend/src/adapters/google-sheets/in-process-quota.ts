// The Sheets quota governor inside one process: for the embedded path (one machine) and tests. Cloud Run uses the Firestore one.
import { decideGrant, firstCountedSlot, resolveQuotaWindow, slotOf, usedInWindow, type QuotaWaiter, type QuotaWindowOptions, type QuotaWindowSettings } from '../../kernel/sheets-quota-window.js';
import type { Clock } from '../../ports/clock.js';
import type { SheetsQuota, SheetsQuotaAnswer, SheetsQuotaRequest } from '../../ports/sheets-quota.js';
import { systemClock } from '../system-clock/system-clock.js';

export interface InProcessSheetsQuotaOptions extends QuotaWindowOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
}

export class InProcessSheetsQuota implements SheetsQuota {
  readonly settings: QuotaWindowSettings;
  private readonly clock: Clock;
  /** Granted requests per slot, per kind. */
  private readonly reads = new Map<number, number>();
  private readonly writes = new Map<number, number>();
  private readonly waiters = new Map<string, QuotaWaiter>();

  constructor(options: InProcessSheetsQuotaOptions) {
    this.settings = resolveQuotaWindow('InProcessSheetsQuota', options);
    this.clock = options.clock ?? systemClock;
  }

  get readsPerMinute(): number {
    return this.settings.readsPerMinute;
  }

  get writesPerMinute(): number {
    return this.settings.writesPerMinute;
  }

  tryAcquire(request: SheetsQuotaRequest): Promise<SheetsQuotaAnswer> {
    const now = this.clock.now();
    const slot = slotOf(now, this.settings);
    this.forget(slot, now);
    const answer = decideGrant({
      now,
      settings: this.settings,
      limits: { reads: this.settings.readsPerMinute, writes: this.settings.writesPerMinute },
      used: { reads: usedInWindow(this.reads, slot, this.settings), writes: usedInWindow(this.writes, slot, this.settings) },
      request,
      waiters: [...this.waiters.values()],
    });
    if (answer.granted) {
      this.reads.set(slot, (this.reads.get(slot) ?? 0) + request.cost.reads);
      this.writes.set(slot, (this.writes.get(slot) ?? 0) + request.cost.writes);
      this.waiters.delete(request.spreadsheetId);
    } else if (request.priority === 'background') {
      const since = this.waiters.get(request.spreadsheetId)?.since ?? now;
      this.waiters.set(request.spreadsheetId, { spreadsheetId: request.spreadsheetId, since, seenAt: now });
    }
    return Promise.resolve(answer);
  }

  /** Drops slots that no longer count and spreadsheets that stopped asking, so memory stays bounded. */
  private forget(slot: number, now: number): void {
    const first = firstCountedSlot(slot, this.settings);
    for (const counts of [this.reads, this.writes]) for (const key of counts.keys()) if (key < first) counts.delete(key);
    for (const [id, waiter] of this.waiters) if (now - waiter.seenAt > this.settings.waiterTtlMs) this.waiters.delete(id);
  }
}
