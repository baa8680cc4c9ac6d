// Puts every Sheets request of the adapter through the deployment's SheetsQuota: people's requests wait, flushes never do.
import { RateLimitError } from '../../kernel/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { SheetsCost, SheetsQuota, SheetsQuotaAnswer } from '../../ports/sheets-quota.js';

const GRANTED: SheetsQuotaAnswer = { granted: true };

export class QuotaGate {
  constructor(
    private readonly quota: SheetsQuota | undefined,
    private readonly clock: Clock,
    /** Longest a person's request (job start, estimate, proof) waits for a token before it is refused as rate limited. */
    private readonly maxWaitMs: number,
  ) {}

  /** One try for a background step (a flush): a refusal means "carry the rows to the next flush". */
  tryBackground(spreadsheetId: string, cost: SheetsCost): Promise<SheetsQuotaAnswer> {
    return this.quota ? this.quota.tryAcquire({ spreadsheetId, cost, priority: 'background' }) : Promise.resolve(GRANTED);
  }

  /** Waits for a person's request, at most maxWaitMs; then throws RateLimitError (the caller turns it into a `quota` refusal). */
  async interactive(spreadsheetId: string, cost: SheetsCost): Promise<void> {
    if (!this.quota) return;
    const deadline = this.clock.now() + this.maxWaitMs;
    for (;;) {
      const answer = await this.quota.tryAcquire({ spreadsheetId, cost, priority: 'interactive' });
      if (answer.granted) return;
      const left = deadline - this.clock.now();
      if (left <= 0) {
        throw new RateLimitError('Google Sheets: the deployment\'s Sheets request budget is used up for this minute', { retryAfterMs: answer.retryAfterMs, status: 429 });
      }
      await this.clock.sleep(Math.min(answer.retryAfterMs, left));
    }
  }
}
