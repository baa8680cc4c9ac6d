// Keeps write requests to one spreadsheet at least an interval apart, and holds them back after Google answers 429.
import { RateLimitError } from '../../kernel/errors.js';
import type { Clock } from '../../ports/clock.js';

/** Google's advice for 429s: truncated exponential backoff from about a second up to about half a minute. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 32_000;

interface Lane {
  /** Earliest time the next write may start, one interval after the last. */
  next: number;
  /** No write before this time: Google answered 429 and asked (or was given) a pause. */
  holdUntil: number;
  /** 429s in a row, for the backoff's doubling. */
  strikes: number;
}

export class WriteSpacer {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  private lane(spreadsheetId: string): Lane {
    let lane = this.lanes.get(spreadsheetId);
    if (!lane) {
      lane = { next: 0, holdUntil: 0, strikes: 0 };
      this.lanes.set(spreadsheetId, lane);
    }
    return lane;
  }

  /**
   * Waits for this spreadsheet's next write slot (at most one interval) and takes it. During a backoff after a 429 it
   * throws RateLimitError at once instead, so a caller such as the engine's pump is never held up.
   */
  async acquire(spreadsheetId: string): Promise<void> {
    const lane = this.lane(spreadsheetId);
    const now = this.clock.now();
    if (lane.holdUntil > now) {
      throw new RateLimitError(`Google Sheets writes to ${spreadsheetId} are backing off after a rate limit`, { retryAfterMs: lane.holdUntil - now, status: 429 });
    }
    const slot = Math.max(now, lane.next);
    lane.next = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now);
  }

  /** A write was refused with 429: hold the lane back and return how long (Retry-After when Google sent one). */
  rateLimited(spreadsheetId: string, retryAfterMs: number | undefined): number {
    const lane = this.lane(spreadsheetId);
    lane.strikes += 1;
    const delay = retryAfterMs ?? Math.min(FIRST_BACKOFF_MS * 2 ** (lane.strikes - 1), MAX_BACKOFF_MS);
    lane.holdUntil = Math.max(lane.holdUntil, this.clock.now() + delay);
    return delay;
  }

  succeeded(spreadsheetId: string): void {
    this.lane(spreadsheetId).strikes = 0;
  }
}
