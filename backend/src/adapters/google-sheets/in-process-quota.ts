// The Sheets quota governor inside one process: for the embedded path (one machine) and tests. Cloud Run uses the Firestore one.
import { decideGrant, firstCountedSlot, grantStamp, resolveQuotaWindow, slotOf, usedInWindow, type GrantQuestion, type QuotaWaiter, type QuotaWindowOptions, type QuotaWindowSettings } from '../../kernel/sheets-quota-window.js';
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
  /** Spreadsheets that asked for background requests lately, granted or not: the ones fairness weighs. */
  private readonly waiters = new Map<string, QuotaWaiter>();
  /** When each spreadsheet last got a grant (dropped with its waiter, or after the counted window). */
  private readonly lastGrants = new Map<string, number>();

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
    const question: GrantQuestion = {
      now,
      settings: this.settings,
      limits: { reads: this.settings.readsPerMinute, writes: this.settings.writesPerMinute },
      used: { reads: usedInWindow(this.reads, slot, this.settings), writes: usedInWindow(this.writes, slot, this.settings) },
      usedInSlot: { reads: this.reads.get(slot) ?? 0, writes: this.writes.get(slot) ?? 0 },
      request,
      waiters: [...this.waiters.values()],
      lastGrantAt: this.lastGrants.get(request.spreadsheetId) ?? 0,
    };
    const answer = decideGrant(question);
    if (answer.granted) {
      this.reads.set(slot, (this.reads.get(slot) ?? 0) + request.cost.reads);
      this.writes.set(slot, (this.writes.get(slot) ?? 0) + request.cost.writes);
      this.lastGrants.delete(request.spreadsheetId);
      this.lastGrants.set(request.spreadsheetId, grantStamp(question));
    }
    if (request.priority === 'background') {
      this.waiters.set(request.spreadsheetId, { spreadsheetId: request.spreadsheetId, lastGrantAt: this.lastGrants.get(request.spreadsheetId) ?? 0, seenAt: now });
    }
    return Promise.resolve(answer);
  }

  /** Drops slots that no longer count and spreadsheets that stopped asking, so memory stays bounded. */
  private forget(slot: number, now: number): void {
    const first = firstCountedSlot(slot, this.settings);
    for (const counts of [this.reads, this.writes]) for (const key of counts.keys()) if (key < first) counts.delete(key);
    for (const [id, waiter] of this.waiters) if (now - waiter.seenAt > this.settings.waiterTtlMs) this.waiters.delete(id);
    // Oldest grants first (re-inserted on each grant): one that lies beyond the window and the waiter TTL tells nothing.
    for (const [id, at] of this.lastGrants) {
      if (now - at <= 2 * 60_000 + this.settings.waiterTtlMs || this.waiters.has(id)) break;
      this.lastGrants.delete(id);
    }
  }
}
